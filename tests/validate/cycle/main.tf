resource "aws_sns_topic" "a" {
  name = "${aws_sns_topic.b.name}-a"
}

resource "aws_sns_topic" "b" {
  name = "${aws_sns_topic.a.name}-b"
}
