a = provider::aws::arn_parse(var.arn)
b = provider::terraform::encode_tfvars({ a = 1 })
c = provider::time::rfc3339_parse("2023-07-25T23:43:16Z").year
d = upper(provider::aws::arn_parse(var.arn).region)
