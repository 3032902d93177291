x = "%{ if a.b }x%{ endif }"
