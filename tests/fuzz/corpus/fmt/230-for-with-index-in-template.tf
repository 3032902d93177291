out = [for i, v in var.l : "${i}: %{if v}yes%{else}no%{endif}"]
