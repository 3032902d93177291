variable "a" {}
variable "b" {}
variable "c" { type = string }
output "a" { value = 1 }
output "b" { value = 2 }
