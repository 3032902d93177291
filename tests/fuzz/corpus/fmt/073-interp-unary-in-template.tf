a = "${-1}"
b = "x${-1}"
c = "${!true}"
d = "x${!false}"
