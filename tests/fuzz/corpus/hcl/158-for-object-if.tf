enabled = { for k, v in var.features : k => v if v.enabled }
