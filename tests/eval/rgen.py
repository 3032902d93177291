import random, sys
r = random.Random(int(sys.argv[1]))
N = int(sys.argv[2])
def atom(d):
    c = r.randrange(12)
    if c == 0: return str(r.choice([0, 1, 2, 3, 10, -1, 0.5, 1.5, 100, 7]))
    if c == 1: return r.choice(['"a"', '"b"', '""', '"1"', '"true"', '"x y"', '"2.5"'])
    if c == 2: return r.choice(['true', 'false'])
    if c == 3: return 'null'
    if c == 4: return r.choice(['var.str', 'var.num', 'var.list', 'var.map', 'var.obj', 'var.nested', 'var.nums', 'var.users', 'var.empty', 'var.yes'])
    if c == 5 and d > 0: return '[' + ', '.join(expr(d-1) for _ in range(r.randrange(4))) + ']'
    if c == 6 and d > 0:
        ks = r.sample(['a', 'b', 'c', 'd'], r.randrange(4))
        return '{' + ', '.join('%s = %s' % (k, expr(d-1)) for k in ks) + '}'
    if c == 7 and d > 0: return '"x${%s}y"' % expr(d-1)
    if c == 8 and d > 0:
        return '[for %s in %s : %s%s]' % ('i, v' if r.random() < .5 else 'v', coll(d-1), r.choice(['v', 'i', '"${v}"', '[v]', 'v == null', expr(d-1)]).replace('i', 'v') if False else r.choice(['v', '"${v}"', '[v]', 'v == null']), r.choice(['', ' if v != null', ' if v == "a"']))
    if c == 9 and d > 0:
        return '{for k, v in %s : %s => v%s}' % (coll(d-1), r.choice(['k', '"${k}"', 'tostring(k)'[0:0] or '"k${k}"']), r.choice(['', '...']))
    if c == 10 and d > 0: return '%s[*]%s' % (coll(d-1), r.choice(['', '.a', '.b']))
    if c == 11 and d > 0: return '%s[%s]' % (coll(d-1), r.choice(['0', '1', '"a"', '"x"', '-1']))
    return '1'
def coll(d):
    return r.choice(['var.list', 'var.map', 'var.nested', 'var.obj', 'var.users', '[1, 2]', '{a = 1, b = "x"}', '[{a = 1}, {a = 2}]', 'var.empty', atom(d)])
def expr(d):
    c = r.randrange(6)
    if c < 2 or d == 0: return atom(d)
    if c == 2: return '(%s %s %s)' % (expr(d-1), r.choice(['+', '-', '*', '/', '%', '==', '!=', '<', '>=']), expr(d-1))
    if c == 3: return '(%s ? %s : %s)' % (r.choice(['true', 'false', 'var.yes', expr(d-1)]), expr(d-1), expr(d-1))
    if c == 4: return '!%s' % atom(d-1)
    return atom(d)
seen = set()
while len(seen) < N:
    e = expr(3)
    if '/ 0' in e or '% 0' in e: continue
    seen.add(e)
for e in seen: print(e)
