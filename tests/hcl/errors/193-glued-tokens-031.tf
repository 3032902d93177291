x = "%{ for a.b in y }x%{ endfor }"
