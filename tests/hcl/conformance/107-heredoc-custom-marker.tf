script = <<SCRIPT
yum install -y nginx
SCRIPT
policy = <<POLICY_JSON
{"Version": "2012-10-17"}
POLICY_JSON
other = <<EOF_1
x
EOF_1
