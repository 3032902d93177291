for = 1
in = 2
if = 3
endif = 4
endfor = 5
else = 6
true = 7
false = 8
null = 9
block {
  true = "yes"
  for = "loop"
}
