#!/usr/bin/env python3
"""tests/eval/gen.py — generates tests/eval/NAME.txt from tests/eval/src/NAME.src
using the oracle (/tmp/tfc-oracle/hcleval, hcl 2.14 + go-cty). Not needed to run
the tests: the generated files are committed.

A .src file has one expression per line ('#' comments). "as TYPE: EXPR" lines
are evaluated with the matching to*() function (TYPE in string, number, bool,
list(any), set(any), map(any)). The oracle's value and type are written in
`terraform console` format, written independently of tfc's own formatter.
Errors become "error: SUMMARY" (the first error on that line)."""
import json, os, re, subprocess, sys, tempfile, unicodedata

ORACLE = os.environ.get("HCLEVAL", "/tmp/tfc-oracle/hcleval")
HERE = os.path.dirname(os.path.abspath(__file__))

def go_quote(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"': out.append('\\"')
        elif ch == '\\': out.append('\\\\')
        elif ch == '\a': out.append('\\a')
        elif ch == '\b': out.append('\\b')
        elif ch == '\f': out.append('\\f')
        elif ch == '\n': out.append('\\n')
        elif ch == '\r': out.append('\\r')
        elif ch == '\t': out.append('\\t')
        elif ch == '\v': out.append('\\v')
        elif c < 0x20 or c == 0x7f: out.append('\\x%02x' % c)
        elif c < 0x80: out.append(ch)
        elif unicodedata.category(ch)[0] in 'LMNPS': out.append(ch)
        elif c < 0x10000: out.append('\\u%04x' % c)
        else: out.append('\\U%08x' % c)
    out.append('"')
    return ''.join(out)

def friendly(t):
    if isinstance(t, str):
        return {"dynamic": "dynamic"}.get(t, t)
    k = t[0]
    if k in ("list", "set", "map"):
        return "%s of %s" % (k, friendly(t[1]))
    return k

def multiline(s, ind):
    lines = s.split("\n")
    if len(lines) < 2:
        return None
    op = "<<-" if ind > 0 else "<<"
    d = "EOT"
    while any(l.strip() == d for l in lines):
        d += "_"
    out = op + d
    for l in lines:
        out += "\n" + " " * ind + l
    return out + "\n" + " " * ind + d

def fmt(t, v, ind=0):
    if v is None:
        if t == "dynamic": return "null"
        if t == "string": return "tostring(null)"
        if t == "number": return "tonumber(null)"
        if t == "bool": return "tobool(null)"
        if isinstance(t, list) and t[0] in ("list", "set", "map"):
            return "to%s(null) /* of %s */" % (t[0], friendly(t[1]))
        return "null /* %s */" % friendly(t)
    if t == "string":
        m = multiline(v, ind)
        return m if m is not None else go_quote(v)
    if t == "number": return v
    if t == "bool": return "true" if v else "false"
    k = t[0]
    if k in ("list", "set", "tuple"):
        etys = [t[1]] * len(v) if k != "tuple" else t[1]
        s = "["
        for et, ev in zip(etys, v):
            s += "\n" + " " * (ind + 2) + fmt(et, ev, ind + 2) + ","
        if v: s += "\n" + " " * ind
        s += "]"
        return s if k == "tuple" else "to%s(%s)" % (k, s)
    if k in ("map", "object"):
        s = "{"
        keys = sorted(v.keys(), key=lambda x: x.encode())
        for key in keys:
            et = t[1] if k == "map" else t[1][key]
            km = multiline(key, ind + 2)
            s += "\n" + " " * (ind + 2) + (km if km is not None else go_quote(key)) + " = " + fmt(et, v[key], ind + 2)
        if v: s += "\n" + " " * ind
        s += "}"
        return s if k == "object" else "tomap(%s)" % s
    raise ValueError(t)

def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")

TOFN = {"string": "tostring", "number": "tonumber", "bool": "tobool",
        "list(any)": "tolist", "set(any)": "toset", "map(any)": "tomap"}

def gen(src, dst):
    cases = []
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cases.append(line)
    hcl = []
    for i, c in enumerate(cases):
        expr = c
        m = re.match(r"as ([^:]+): (.*)$", c)
        if m:
            expr = "%s(%s)" % (TOFN[m.group(1)], m.group(2))
        hcl.append("c%05d = %s" % (i, expr))
    with tempfile.NamedTemporaryFile("w", suffix=".hcl", delete=False, encoding="utf-8") as f:
        f.write("\n".join(hcl) + "\n")
        path = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as vf:
        json.dump({"var": json.load(open(os.path.join(HERE, "vars.json"), encoding="utf-8"))}, vf)
        vpath = vf.name
    p = subprocess.run([ORACLE, "-vars", vpath, "-types", path], capture_output=True, text=True)
    os.unlink(path)
    os.unlink(vpath)
    try:
        out = json.loads(p.stdout, parse_float=str, parse_int=str) if p.stdout.strip() else {}
    except ValueError:
        sys.exit("oracle output unreadable for %s:\n%s\n%s" % (src, p.stdout[:500], p.stderr[:2000]))
    errs = {}
    for l in p.stderr.splitlines():
        m = re.match(r".*?:(\d+),\d+-\d+,\d+: error: ([^;]*);", l)
        if m:
            errs.setdefault(int(m.group(1)) - 1, m.group(2))
        elif l.strip():
            m2 = re.match(r".*?:(\d+),\d+-\d+: error: ([^;]*);", l)
            if m2:
                errs.setdefault(int(m2.group(1)) - 1, m2.group(2))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# Generated by tests/eval/gen.py from src/%s with the oracle; do not edit.\n" % os.path.basename(src))
        for i, c in enumerate(cases):
            key = "c%05d" % i
            if i in errs:
                want = "error" if c.startswith("as ") else "error: " + errs[i]
            elif key in out:
                want = esc(fmt(out[key]["type"], out[key]["value"]))
            else:
                sys.exit("no result for %s line %d: %s\n%s" % (src, i, c, p.stderr[:3000]))
            f.write("%s\n=> %s\n" % (c, want))

if __name__ == "__main__":
    names = sys.argv[1:] or [n[:-4] for n in sorted(os.listdir(os.path.join(HERE, "src"))) if n.endswith(".src")]
    for n in names:
        gen(os.path.join(HERE, "src", n + ".src"), os.path.join(HERE, n + ".txt"))
        print("generated", n)
