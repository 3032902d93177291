literal = "$${var.x}"
shell = "echo $${HOME}"
mixed = "$${a} and ${b}"
double = "$$${x}"
