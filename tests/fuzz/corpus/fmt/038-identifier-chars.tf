snake_case = 1
kebab-case = 2
mixed_Case-9 = 3
_leading_underscore = 4
a1 = 5
ALLCAPS = 6
trailing- = 7
