tags = { Name = "attr" }

tags {
  Name = "block"
}
