# inference/model.tf
resource "aws_sagemaker_model" "this" {
# no name: the provider generates a unique one, so a new model version
# can be created while the old one still serves
execution_role_arn = aws_iam_role.sagemaker_execution.arn
primary_container {
image = var.model_config.image_uri
model_data_url = var.model_config.model_data_url
environment = {
SAGEMAKER_PROGRAM = "inference.py"
}
}
tags = {
Environment = var.environment
Model = var.model_config.name
}
}
