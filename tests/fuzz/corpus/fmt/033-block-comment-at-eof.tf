a = 1
/* final */