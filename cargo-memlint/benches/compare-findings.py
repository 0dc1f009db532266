#!/usr/bin/env python3
"""Runs two cargo-memlint binaries (a base and a new build) over crate directories and prints, per
crate, exit statuses, file counts, errors, notes, files outside the module tree, and the findings
added and removed: what to read and judge after a change (worth changing / not worth it / wrong).

    cargo-memlint/benches/compare-findings.py BASE_BIN NEW_BIN CRATE_DIR... [-- extra memlint args]

Crate directories are standalone packages (../shared/real-crates/trial.sh leaves them in
target/real-crates/src).
"""
import json, subprocess, sys, os
base, new = sys.argv[1], sys.argv[2]
dirs = sys.argv[3:]
extra = []
if '--' in dirs:
    i = dirs.index('--'); extra = dirs[i+1:]; dirs = dirs[:i]
def run(binary, d):
    out = f"/tmp/cmp-{os.getpid()}.json"
    p = subprocess.run([binary, "memlint", "--manifest-path", f"{d}/Cargo.toml", "--no-cache", "--output-format", "json", "-o", out] + extra,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try: j = json.load(open(out))
    except Exception as e: return p.returncode, None
    return p.returncode, j
def key(f): return (f["file"], f["line"], f["rule"], f["message"])
added_all, removed_all = [], []
print(f"{'crate':22} {'exit':>7} {'files':>11} {'errors':>7} notes outside  +find -find")
for d in dirs:
    name = os.path.basename(d.rstrip('/'))
    rb, jb = run(base, d); rn, jn = run(new, d)
    if jb is None or jn is None:
        print(name, "no JSON", rb, rn); continue
    fb = {key(f) for f in jb["findings"]}; fn = {key(f) for f in jn["findings"]}
    add = sorted(fn - fb); rem = sorted(fb - fn)
    added_all += [(name,) + a for a in add]; removed_all += [(name,) + r for r in rem]
    print(f"{name:22} {rb}->{rn:<3} {jb['summary']['files']:>5}->{jn['summary']['files']:<5} {len(jb['errors']):>3}->{len(jn['errors']):<3} {len(jn.get('notes',[])):>5} {len(jn.get('outside_module_tree',[])):>7} {len(add):>6} {len(rem):>5}")
print("\nADDED"); [print("  ", *a) for a in added_all]
print("REMOVED"); [print("  ", *r) for r in removed_all]
