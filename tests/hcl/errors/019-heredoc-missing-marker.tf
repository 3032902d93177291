a = <<
x

