#!/usr/bin/env python3
"""setexp.py FILE < overrides -- replaces the expectation of cases by hand.
Each input line: EXPR<TAB>LINE[<TAB>LINE...], e.g.
  startswith("a", "a")<TAB>= true<TAB>: "bool"
Used for functions the oracle lacks or where Terraform differs from go-cty."""
import sys
sys.path.insert(0, __import__("os").path.dirname(__file__))
from importlib.machinery import SourceFileLoader
path = sys.argv[1]
over = {}
for l in sys.stdin.read().split("\n"):
    if l.strip():
        parts = l.split("\t")
        over[parts[0]] = parts[1:]
text = open(path, encoding="utf-8").read().split("\n")
out, i, seen = [], 0, set()
while i < len(text):
    l = text[i]
    out.append(l)
    i += 1
    if l.startswith("> ") and l[2:] in over:
        seen.add(l[2:])
        while i < len(text) and (text[i][:2] in ("= ", ": ", "! ", "? ", "@ ")):
            i += 1
        out.extend(over[l[2:]])
for k in over:
    if k not in seen:
        print("not found:", k, file=sys.stderr)
open(path, "w", encoding="utf-8").write("\n".join(out))
