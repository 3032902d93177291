a = "${var.name}"
b = "${ var.name }"
c = "${
  var.name
}"
