run "check" {
command=plan
assert {
condition = aws_instance.x.ami=="ami-1"
error_message="wrong ami"
}
}
