a = "[ %{~ for x in var.xs ~} ${x} %{~ endfor ~} ]"
b = "[ %{ for x in var.xs ~} ${x} %{~ endfor } ]"
