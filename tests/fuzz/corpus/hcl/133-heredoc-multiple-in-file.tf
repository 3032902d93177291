a = <<A
first
A
b = <<B
second
B
c = <<-C
    third
    C
