bucket = "logs-${var.account_id}-${data.aws_region.current.name}"
arn    = "arn:aws:s3:::${aws_s3_bucket.this.id}/*"
