name "value"
