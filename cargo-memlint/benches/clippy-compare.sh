#!/usr/bin/env bash
# cargo clippy against cargo memlint on one real crate of the benchmark
# corpus (regex-syntax, 58k lines, no dependencies): cold, and after one
# file is edited. Needs the corpus (vendor-corpus.sh) and a release build of
# cargo-memlint; builds nothing else from the network.
#
#   cargo-memlint/benches/clippy-compare.sh [CRATE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${MEMLINT_CORPUS:-$root/target/bench-corpus/vendor}"
crate="${1:-regex-syntax}"
memlint="$root/target/release/cargo-memlint"
[ -d "$corpus/$crate" ] || { echo "no $corpus/$crate: run vendor-corpus.sh first" >&2; exit 2; }
[ -x "$memlint" ] || cargo build --release --locked -p cargo-memlint --manifest-path "$root/Cargo.toml"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$corpus/$crate" "$work/$crate"
cd "$work/$crate"
rm -f .cargo-checksum.json
# A workspace of its own, its benches and tests left out (their
# dev-dependencies are not in the corpus), built against the vendored sources.
printf '\n[workspace]\n' >> Cargo.toml
awk '/^\[\[bench\]\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' Cargo.toml > Cargo.toml.new && mv Cargo.toml.new Cargo.toml
mkdir -p .cargo
printf '[source.crates-io]\nreplace-with = "corpus"\n\n[source.corpus]\ndirectory = "%s"\n' "$corpus" > .cargo/config.toml
cargo generate-lockfile --offline -q

edited="$(find src -name '*.rs' -size -40k | sort | tail -1)"
seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc; }
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
