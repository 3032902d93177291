x = { for k, v in a.b : k => v.c if v.d }
