a = <<EOT
She said "hello" and 'bye'.
{"json": "value", "n": 1}
EOT
