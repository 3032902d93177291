ressource "aws_instance" "serveur-é" {
  étiquette = "valeur"
}
块 {
  值 = 1
}
thing "ünïcödé" ü {
}
