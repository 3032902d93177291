resource "aws_launch_template" "this" {
  name_prefix   = "${local.name_prefix}-"
  image_id      = var.ami_id
  instance_type = var.instance_type

  lifecycle {
    create_before_destroy = true
    prevent_destroy       = false
    ignore_changes        = [tags["LastModified"], image_id]
    replace_triggered_by  = [null_resource.trigger.id]

    precondition {
      condition     = data.aws_ami.selected.architecture == "x86_64"
      error_message = "The selected AMI must be for the x86_64 architecture."
    }

    postcondition {
      condition     = self.latest_version > 0
      error_message = "Launch template has no versions."
    }
  }
}

resource "aws_db_instance" "main" {
  identifier = "main"

  lifecycle {
    ignore_changes = all
  }
}
