a = "  ${~ 1 ~}  "
b = ["${1}", "${var.x}"]
c = {"${1}" = 1}
d = "${var.x /* c */}"
e = "  ${~ var.x ~}  "
f = "${var.x}${""}"
g = "${""}"
h = <<EOT
  ${~ var.x ~}  
EOT
i = <<EOT
${1}
EOT
