resource "aws_security_group" "this" {
  name   = "${local.name_prefix}-sg"
  vpc_id = var.vpc_id

  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      from_port   = ingress.value.from_port
      to_port     = ingress.value.to_port
      protocol    = ingress.value.protocol
      cidr_blocks = ingress.value.cidr_blocks
      description = lookup(ingress.value, "description", null)
    }
  }

  dynamic "egress" {
    for_each = var.allow_all_egress ? [1] : []
    iterator = rule
    content {
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443

  dynamic "default_action" {
    for_each = var.redirect ? [] : [true]
    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.this.arn

      dynamic "forward" {
        for_each = var.weights
        content {
          target_group {
            arn    = forward.value.arn
            weight = forward.value.weight
          }
        }
      }
    }
  }
}
