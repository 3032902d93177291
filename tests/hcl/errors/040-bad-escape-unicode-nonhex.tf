a = "\uZZZZ"
