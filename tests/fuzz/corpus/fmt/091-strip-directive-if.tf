a = "x  %{~ if var.c ~}  yes  %{~ else ~}  no  %{~ endif ~}  y"
b = "x  %{ if var.c ~}  yes  %{ else }  no  %{~ endif }  y"
