resource "aws_sns_topic" "t" {
  nmae = "alerts"
}
