a = <<EOT
héllo wörld
日本語テキスト
emoji 🎉
EOT
b = <<-EOT
    ünïcödé
      ïndented
    EOT
