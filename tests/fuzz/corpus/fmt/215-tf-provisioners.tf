resource "aws_instance" "bastion" {
  ami           = var.ami
  instance_type = "t3.nano"

  connection {
    type        = "ssh"
    user        = "ubuntu"
    private_key = file(pathexpand("~/.ssh/id_ed25519"))
    host        = self.public_ip
  }

  provisioner "file" {
    source      = "${path.module}/files/setup.sh"
    destination = "/tmp/setup.sh"
  }

  provisioner "remote-exec" {
    inline = [
      "chmod +x /tmp/setup.sh",
      "sudo /tmp/setup.sh ${var.environment}",
    ]
  }

  provisioner "local-exec" {
    when    = destroy
    command = "echo 'destroying ${self.id}' >> destroy.log"
    environment = {
      TARGET = self.private_ip
    }
    on_failure = continue
  }
}
