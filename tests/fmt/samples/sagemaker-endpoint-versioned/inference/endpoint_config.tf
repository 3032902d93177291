# inference/endpoint_config.tf
resource "aws_sagemaker_endpoint_configuration" "this" {
name_prefix = "${var.environment}-${var.model_config.name}-"
production_variants {
variant_name = "primary"
model_name = aws_sagemaker_model.this.name
initial_instance_count = var.model_config.instance_count
instance_type = var.model_config.instance_type
initial_variant_weight = 1.0
}
tags = {
Environment = var.environment
Model = var.model_config.name
}
lifecycle {
create_before_destroy = true
}
}
