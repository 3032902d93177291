a = var.a.b.c.d
b = data.aws_ami.ubuntu.id
c = module.vpc.outputs.subnet_ids
d = each.value.name
e = self.private_ip
f = path.module
