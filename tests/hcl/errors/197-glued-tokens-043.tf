resource a.b "c" {}
