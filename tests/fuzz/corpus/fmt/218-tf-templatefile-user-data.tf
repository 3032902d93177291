resource "aws_instance" "app" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"

  user_data = templatefile("${path.module}/templates/init.sh.tftpl", {
    cluster_name = var.cluster_name
    peers        = [for i in aws_instance.peer : i.private_ip]
  })

  user_data_replace_on_change = true

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_size = 30
    volume_type = "gp3"
    encrypted   = true
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 100
  }

  ebs_block_device {
    device_name = "/dev/sdg"
    volume_size = 200
  }
}
