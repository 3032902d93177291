env = "%{for k, v in var.env_vars}${k}=${v} %{endfor}"
