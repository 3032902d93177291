a = var.list.0
b = var.list.0.name
c = aws_instance.web.0.id
d = var.l.10
