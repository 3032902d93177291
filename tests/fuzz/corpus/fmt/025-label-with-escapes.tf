thing "a\"b" "tab\there" "\u00e9" {}
