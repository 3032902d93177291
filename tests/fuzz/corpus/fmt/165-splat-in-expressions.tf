count_ids = length(aws_instance.web[*].id)
first = aws_instance.web[*].id[0]
joined = "${join(",", var.xs[*].name)}"
cond = var.x ? var.ys[*].id : []
