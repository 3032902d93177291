a = <<EOT
EOTX
EOT EOT
xEOT
 EOTx
EOT;
EOT
b = <<EOT
	 EOT
c = 1
