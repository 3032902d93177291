a = <<EOT
literal $${var.x} and %%{if}
real ${var.y}
lone $ and % and $$ and %%
EOT
