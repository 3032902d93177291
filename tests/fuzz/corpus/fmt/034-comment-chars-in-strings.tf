a = "# not a comment"
b = "// not a comment"
c = "/* not a comment */"
d = "http://example.com/path"
