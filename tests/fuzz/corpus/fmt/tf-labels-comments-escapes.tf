resource /* c */ a /* d */ b /* e */ {
}
x "a\u0041\"b" "$${x}" {}
