x = ${a.b}
