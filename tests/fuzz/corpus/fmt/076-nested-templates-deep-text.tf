msg = "a ${"b ${"c ${var.d} e"} f"} g"
