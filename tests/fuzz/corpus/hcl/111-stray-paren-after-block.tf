variable "x" {
}
)
