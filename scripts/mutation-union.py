#!/usr/bin/env python3
# Adds up Stryker runs of one project made in parts (see tests/MUTATION.md, Media.Api):
#   python3 scripts/mutation-union.py a.json[:File1.cs,File2.cs] b.json ...
# Prints each file's and the whole score, a mutant counting as detected when any listed run (restricted to
# the files named after its colon, if any) killed it or timed it out. Only for runs of the same source.
import json, sys
from collections import Counter, defaultdict
rank = {'Killed': 3, 'Timeout': 3, 'Survived': 2, 'NoCoverage': 1}
best = {}
for arg in sys.argv[1:]:
    path, _, only = arg.partition(':')
    only = set(only.split(',')) if only else None
    r = json.load(open(path))
    for f, d in r['files'].items():
        name = f.split('/')[-1]
        if only and name not in only: continue
        for m in d['mutants']:
            st = m['status']
            if st not in rank: continue
            k = (name, m['location']['start']['line'], m['location']['start']['column'], m['mutatorName'], m.get('replacement'))
            if k not in best or rank[st] > rank[best[k]]: best[k] = st
per = defaultdict(Counter)
for (name, *_), st in best.items(): per[name][st] += 1
tot = Counter()
for name in sorted(per, key=lambda n: (per[n]['Killed'] + per[n]['Timeout']) / sum(per[n].values())):
    c = per[name]; tot.update(c)
    d = c['Killed'] + c['Timeout']; t = sum(c.values())
    print(f"  {name:34s} {100*d/t:5.1f} % ({d}/{t})  survived {c['Survived']}, no coverage {c['NoCoverage']}")
d = tot['Killed'] + tot['Timeout']; t = sum(tot.values())
print(f"TOTAL {100*d/t:.1f} % ({d} detected of {t}: {tot['Killed']} killed, {tot['Timeout']} timeout, {tot['Survived']} survived, {tot['NoCoverage']} no coverage)")
