a = "%{if var.enabled}on%{endif}"
b = "%{ if var.enabled }on%{ endif }"
c = "state: %{if var.enabled}on%{else}off%{endif}."
