locals {}
terraform {}
provider "null" {}
resource "null_resource" "noop" {}
