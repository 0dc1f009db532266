#!/usr/bin/env bash
# cargo clippy against cargo memlint on one real crate of the benchmark
# corpus (regex-automata by default, 69k lines): cold, and after one
# file is edited. Needs the corpus (vendor-corpus.sh) and a release build of
# cargo-memlint; builds nothing else from the network.
#
#   cargo-memlint/benches/clippy-compare.sh [CRATE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${MEMLINT_CORPUS:-$root/target/bench-corpus/vendor}"
crate="${1:-regex-automata}"
memlint="$root/target/release/cargo-memlint"
[ -d "$corpus/$crate" ] || { echo "no $corpus/$crate: run vendor-corpus.sh first" >&2; exit 2; }
[ -x "$memlint" ] || cargo build --release --locked -p cargo-memlint --manifest-path "$root/Cargo.toml"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$corpus/$crate" "$work/$crate"
cd "$work/$crate"
rm -f .cargo-checksum.json
# A workspace of its own, its benches, tests and examples left out (their
# dev-dependencies are not in the corpus), built against the vendored sources.
printf '\n[workspace]\n' >> Cargo.toml
# Optional dependencies the corpus did not vendor (and the features naming
# them) go too.
CORPUS="$corpus" python3 - <<'PY'
import os, re
tables = re.split(r"(?m)^(?=\[)", open("Cargo.toml").read())
vendored = set(re.sub(r"-\d+\..*$", "", d) for d in os.listdir(os.environ["CORPUS"]))
optional = [m.group(1) for t in tables if (m := re.match(r"\[dependencies\.([\w-]+)\]", t))
            and "optional = true" in t and m.group(1) not in vendored]
keep = []
for t in tables:
    if t.startswith(("[[bench]]", "[[test]]", "[[example]]", "[dev-dependencies")) or any(t.startswith(f"[dependencies.{o}]") for o in optional):
        continue
    if t.startswith("[features]"):
        for o in optional:
            t = re.sub(r'"(dep:)?' + re.escape(o) + r'(\??/[^"]*)?",?', "", t)
    keep.append(t)
open("Cargo.toml", "w").write("".join(keep))
PY
mkdir -p .cargo
printf '[source.crates-io]\nreplace-with = "corpus"\n\n[source.corpus]\ndirectory = "%s"\n' "$corpus" > .cargo/config.toml
cargo generate-lockfile --offline -q

edited="$(find src -name '*.rs' -size -40k | sort | tail -1)"
# Seconds a command takes; a failure other than memlint's "findings" (1) stops the script.
seconds() {
    local start end status=0
    start=$(date +%s.%N)
    "$@" > "$work/last.log" 2>&1 || status=$?
    end=$(date +%s.%N)
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 -o "$1" = cargo ]; then
        cat "$work/last.log" >&2
        echo "error: \`$*\` failed ($status)" >&2
        exit 1
    fi
    echo "$end - $start" | bc
}
edit() { printf '\nfn memlint_compare_edit_%s() {}\n' "$1" >> "$edited"; }

lines=$(find src -name '*.rs' | xargs cat | wc -l)
echo "crate: $crate ($lines lines of Rust), edited file: $edited, $(nproc) cores"
clippy_cold=$(seconds cargo clippy --offline --target-dir "$work/target")
edit 1
clippy_edit=$(seconds cargo clippy --offline --target-dir "$work/target")
memlint_cold=$(seconds "$memlint" memlint --no-cache -W all)
"$memlint" memlint -W all --cache-dir "$work/cache" > /dev/null 2>&1 || true
edit 2
memlint_edit=$(seconds "$memlint" memlint -W all --cache-dir "$work/cache")
memlint_warm=$(seconds "$memlint" memlint -W all --cache-dir "$work/cache")
printf '%-40s %8.2f s\n' "cargo clippy, cold" "$clippy_cold" "cargo clippy, after a one-file edit" "$clippy_edit" \
    "cargo memlint, all rules, no cache" "$memlint_cold" "cargo memlint, after a one-file edit" "$memlint_edit" \
    "cargo memlint, unchanged" "$memlint_warm"
