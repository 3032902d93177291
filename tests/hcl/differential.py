#!/usr/bin/env python3
"""tests/hcl/differential.py — differential testing of `tfc hcl2json`
against the oracle (HashiCorp's parser; ../shared/oracle/README.md).

Mutates the conformance files at random (deletes bytes, inserts tokens,
duplicates slices), runs the oracle over all mutants in one process and tfc
on each, and lists every disagreement:

  REJECT  oracle accepts, tfc exits non-zero
  DIFF    both accept, the JSON differs
  ACCEPT  oracle rejects (syntax error), tfc exits 0
  CRASH   tfc exits with something other than 0 or 1
  LINE    both reject, tfc's first diagnostic is on another line

Most of the cases in errors/135-166 were found this way. Not part of the
test suite (it needs the oracle); minimise a finding by hand, then add it to
conformance/ or errors/ and run regen-expected.sh.

  tests/hcl/differential.py [--tfc build/tfc] [--oracle /tmp/tfc-oracle]
                            [--seed 1] [--count 1000] [--match SUBSTRING]
"""
import argparse
import glob
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

TOKENS = [b'{', b'}', b'[', b']', b'(', b')', b'"', b'${', b'%{', b'~', b'\n',
          b'=', b',', b'.', b'*', b'...', b':', b'?', b'<<EOT\n', b'EOT\n',
          b'#', b'/*', b'*/', b'\\', b'$$', b'%%', b'-', b'!', b'0', b'1.5',
          b'x', b'for', b'in', b'if', b'endif', b'else', b'endfor', b' ',
          b'\t', b'\r\n', b'\r', b'=>', b'&&', b'[*]', b'.0', b'e5']


def mutate(rng, data):
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randint(0, len(data))
        if op < 0.35 and data:
            data = data[:pos] + data[pos + rng.randint(1, 4):]
        elif op < 0.8:
            data = data[:pos] + rng.choice(TOKENS) + data[pos:]
        else:
            a = rng.randint(0, len(data))
            data = data[:pos] + data[a:a + rng.randint(1, 30)] + data[pos:]
    return data


def same(a, b):
    """JSON equality with numbers compared as doubles (like jsoncmp)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        a, b = float(a), float(b)
        return a == b or math.isclose(a, b, rel_tol=1e-15)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def first_line_of_tfc(stderr):
    seen = False
    for line in stderr.splitlines():
        if not seen:
            seen = 'Error: ' in line
            continue
        m = re.search(r'\bon .+ line (\d+)[:,]', line)
        if m:
            return int(m.group(1))
        if 'Error: ' in line:
            return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tfc', default='build/tfc')
    ap.add_argument('--oracle', default='/tmp/tfc-oracle')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--match', default='')
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    sources = sorted(f for f in glob.glob(os.path.join(here, 'conformance', '*.tf'))
                     if args.match in os.path.basename(f))
    sources = [f for f in sources if os.path.getsize(f) <= 3000]
    if not sources:
        sys.exit('no conformance files match')
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix='tfc-diff.')
    mdir = os.path.join(work, 'm')
    os.makedirs(mdir)
    n = 0
    while n < args.count:
        data = mutate(rng, open(rng.choice(sources), 'rb').read())
        try:
            data.decode('utf-8')  # the oracle would see U+FFFD instead
        except UnicodeDecodeError:
            continue
        with open(os.path.join(mdir, 'm%05d.tf' % n), 'wb') as fh:
            fh.write(data)
        n += 1

    out = os.path.join(work, 'o')
    res = subprocess.run(['node', os.path.join(args.oracle, 'hcl2json-batch.mjs'),
                          '--out', out, 'm'], cwd=work, capture_output=True)
    found = 0
    for row in res.stdout.decode('utf-8', 'replace').splitlines():
        status, path, msg = (row.split('\t') + ['', ''])[:3]
        name = os.path.basename(path)
        t = subprocess.run([args.tfc, 'hcl2json', '-no-color', os.path.join(work, path)],
                           capture_output=True, timeout=10)
        err = t.stderr.decode('utf-8', 'replace')
        problem = None
        if t.returncode not in (0, 1):
            problem = 'CRASH exit %d' % t.returncode
        elif status == 'ok':
            want = json.load(open(os.path.join(out, path + '.json')))
            if t.returncode:
                problem = 'REJECT ' + next((l for l in err.splitlines() if 'Error: ' in l), '')
            else:
                try:
                    got = json.loads(t.stdout)
                except ValueError:
                    got = None
                if not same(want, got):
                    problem = 'DIFF'
        elif 'convert' not in msg:
            m = re.search(re.escape(name) + r':(\d+),', msg)
            want_line = int(m.group(1)) if m else None
            if t.returncode == 0:
                problem = 'ACCEPT ' + msg[:160]
            elif want_line is not None and first_line_of_tfc(err) != want_line:
                problem = 'LINE got=%s want=%s %s' % (first_line_of_tfc(err), want_line, msg[:160])
        if problem:
            found += 1
            print('%s: %s' % (os.path.join(work, path), problem))
    print('%d mutants, %d disagreements (files kept in %s)' % (n, found, work),
          file=sys.stderr)


if __name__ == '__main__':
    main()
