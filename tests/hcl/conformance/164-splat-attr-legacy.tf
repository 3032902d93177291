ids = aws_instance.web.*.id
nested = var.list.*.a.b
bare = var.list.*
indexed_after = var.list.*.items[0]
