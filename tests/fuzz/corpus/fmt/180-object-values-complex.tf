m = {
  list   = [1, 2, 3]
  obj    = { x = "y" }
  expr   = var.a + 1
  tmpl   = "${var.a}-b"
  heredoc = <<EOT
text
EOT
  cond   = var.c ? 1 : 2
}
