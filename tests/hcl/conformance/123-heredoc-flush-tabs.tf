a = <<-EOT
		one
			two
		three
	EOT
b = <<-EOT
	  mixed
  	mixed2
	EOT
