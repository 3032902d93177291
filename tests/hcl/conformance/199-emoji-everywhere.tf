emoji = "🎉"
m = {
  "🔑" = "🔒"
}
heredoc = <<EOT
🚀 ${var.x} 🌕
EOT
label "😀" {}
