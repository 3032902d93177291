resource "aws_sagemaker_endpoints" "e" {
}
