variable "who" {
  type = string
  validation {
    condition     = var.who == "nobody"
    error_message = "who is ${var.who}."
  }
}
