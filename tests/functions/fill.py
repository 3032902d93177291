#!/usr/bin/env python3
"""fill.py FILE... -- fills in missing expectations of golden function cases
from the oracle (/tmp/tfc-oracle/hcleval).  A case is a '> EXPR' line; a case
with no '=' or '!' line after it gets the oracle's answer written in.  Cases
that already carry an expectation are left alone (hand-written from the
Terraform documentation where the oracle lacks the function or differs).
Only used to (re)generate the data; the test suite never needs the oracle."""
import json, re, subprocess, sys, tempfile

ORACLE = "/tmp/tfc-oracle/hcleval"

def parse(path):
    blocks, cur = [], None
    pre = []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if line.startswith("> "):
            cur = {"expr": line[2:], "exp": [], "pre": pre}
            pre = []
            blocks.append(cur)
        elif cur is not None and line[:2] in ("= ", ": ", "! ", "? ", "@ ") or line in ("?", "@"):
            cur["exp"].append(line)
        else:
            pre.append(line)
    return blocks, pre

class Num(str):
    """A JSON number kept as the oracle wrote it (Python would reprint
    0.00001 as 1e-05)."""

def dump(v):
    if isinstance(v, Num):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + dump(v[k]) for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dump(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)

def oracle(exprs):
    with tempfile.NamedTemporaryFile("w", suffix=".hcl", delete=False) as f:
        for i, e in enumerate(exprs):
            f.write("c%05d = %s\n" % (i, e))
        name = f.name
    p = subprocess.run([ORACLE, "-types", name], capture_output=True, text=True)
    out = json.loads(p.stdout, parse_float=Num, parse_int=Num) if p.stdout.strip() else {}
    errs = {}
    for l in p.stderr.split("\n"):
        m = re.match(r".*?:(\d+),\d+-\d+,\d+: error: (.*)$", l)
        if m:
            errs.setdefault(int(m.group(1)) - 1, m.group(2))
    res = []
    for i in range(len(exprs)):
        k = "c%05d" % i
        if i in errs:
            res.append(["! " + errs[i]])
        elif k in out:
            v = out[k]
            res.append(["= " + dump(v["value"]),
                        ": " + json.dumps(v["type"], separators=(",", ":"), ensure_ascii=False, sort_keys=True)])
        else:
            res.append(["! (oracle gave nothing)"])
    return res

for path in sys.argv[1:]:
    blocks, tail = parse(path)
    todo = [b for b in blocks if not b["exp"]]
    for b, r in zip(todo, oracle([b["expr"] for b in todo]) if todo else []):
        b["exp"] = r
    with open(path, "w", encoding="utf-8") as f:
        for b in blocks:
            for l in b["pre"]:
                f.write(l + "\n")
            f.write("> " + b["expr"] + "\n")
            for l in b["exp"]:
                f.write(l + "\n")
        f.write("\n".join(tail))
