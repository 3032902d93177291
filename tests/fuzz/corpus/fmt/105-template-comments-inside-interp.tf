a = "${var.x # comment
}"
b = "x${ /* c */ var.y /* d */ }z"
