ids = aws_instance.web[*].id
names = var.list[*].name
nested = var.list[*].a.b
indexed = var.list[*].tags["Name"]
bare = var.list[*]
