subnets = var.public ? [for s in var.subnets : s.id] : []
tags = var.extra ? merge(var.tags, { Extra = "yes" }) : var.tags
