a = <<EOT
backslash-n: \n
quote: \"
tab: \t
unicode: \u00e9
EOT
