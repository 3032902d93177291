who = "tfvars"
