#!/usr/bin/env python3
"""scripts/corpus-score.py BINARY PATH... (e.g. .build/debug/bounceplan Tests/BounceClassificationTests/Corpus/blind/*.tsv): scores corpus TSV files with `BINARY classify --tsv`.
Blind files (path contains /blind/) print aggregates and false-suppression ids only.
SCORE_FLAGS=-v lists open misses."""
import os, subprocess, sys
binary, paths = sys.argv[1], sys.argv[2:]
verbose = os.environ.get("SCORE_FLAGS", "") == "-v"
tot = dict(rows=0, cat=0, reason=0, keep=0, false=0, supp=0, missed=0)
for path in paths:
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if not line or line.startswith("#"): continue
        f = line.split("\t")
        if len(f) != 6: print(f"malformed {path}:{n}"); continue
        rows.append((n, f))
    inp = "".join(f"{f[0]}\t{f[1]}\t{f[2]}\n" for _, f in rows)
    out = subprocess.run([binary, "classify", "--tsv"], input=inp, capture_output=True, text=True, check=True).stdout.split("\n")
    blind = "/blind/" in path
    s = dict(rows=0, cat=0, reason=0, keep=0, false=0, supp=0, missed=0); falses = []
    for (n, f), o in zip(rows, out):
        cat, reason, rule = (o.split("\t") + ["", "", ""])[:3]
        s["rows"] += 1
        if cat == f[3]:
            s["cat"] += 1; s["reason"] += reason == f[4]
        elif verbose and not blind:
            print(f"  {path}:{n}: expected {f[3]}/{f[4]}, got {cat}/{reason} [{rule}] {f[2][:120]}")
        if f[3] == "suppress":
            s["supp"] += 1; s["missed"] += cat != "suppress"
        else:
            s["keep"] += 1
            if cat == "suppress": s["false"] += 1; falses.append(f"{os.path.basename(path)}:{n}")
    for k in tot: tot[k] += s[k]
    r = max(s["rows"], 1)
    print(f"{path}: rows={s['rows']} cat={s['cat']/r:.3f} reason={s['reason']/r:.3f} false={s['false']}/{s['keep']} missed={s['missed']}/{s['supp']}" + (f" false_ids={' '.join(falses)}" if falses else ""))
r = max(tot["rows"], 1)
print(f"TOTAL rows={tot['rows']} cat={tot['cat']/r:.3f} reason={tot['reason']/r:.3f} false={tot['false']}/{tot['keep']} missed={tot['missed']}/{tot['supp']}")
