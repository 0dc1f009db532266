#!/usr/bin/env bash
# `cargo memlint --fix` on unseen code: fixes the `src/` of every crate of
# the vendored benchmark corpus (see vendor-corpus.sh) in a copy, then
# checks that the corpus still compiles and that a second --fix changes
# nothing. Offline; takes a few minutes.
#
#   cargo-memlint/benches/fix-corpus.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$root/target/bench-corpus/vendor"
work="${1:-$root/target/fix-corpus}"
[ -d "$corpus" ] || { echo "vendor the corpus first: $here/vendor-corpus.sh" >&2; exit 2; }

cargo build --quiet --release -p cargo-memlint --manifest-path "$root/Cargo.toml"
memlint="$root/target/release/cargo-memlint"

rm -rf "$work" && mkdir -p "$work/corpus/src" "$work/corpus/.cargo"
cp -r "$corpus" "$work/vendor"
cp "$here/corpus/Cargo.toml" "$here/corpus/Cargo.lock" "$work/corpus/"
: > "$work/corpus/src/lib.rs"
cat > "$work/corpus/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "vendored-sources"
[source.vendored-sources]
directory = "$work/vendor"
TOML

cd "$work"
# Runs memlint; exit status 1 or 2 is expected (findings are left, and one
# corpus file doesn't parse), anything else (a crash) stops the script.
lint() {
    local status=0
    "$memlint" memlint vendor/*/src --fix --allow-dirty --no-cache > /dev/null 2> "$1" || status=$?
    if [ "$status" -gt 2 ]; then echo "memlint failed ($status): $1" >&2; exit 1; fi
}
lint fix.log
grep '^memlint: applied' fix.log || echo "memlint: nothing to fix"
diff -r -u "$corpus" vendor > fixes.diff || true
echo "changed: $(grep -c '^diff ' fixes.diff) files, $(grep -c '^+[^+]' fixes.diff) lines added, $(grep -c '^-[^-]' fixes.diff) removed (fixes.diff)"

# Cargo checks vendored sources against their checksums: fixed files differ.
for f in vendor/*/.cargo-checksum.json; do
    sed -i 's/"files":{[^}]*}/"files":{}/' "$f"
done
if ! (cd corpus && cargo check --offline --quiet); then
    echo "cargo check: the fixed corpus does not compile" >&2
    exit 1
fi
echo "cargo check: the fixed corpus compiles"

lint fix2.log
if grep -q '^memlint: applied' fix2.log; then
    echo "a second --fix changed more:" && grep '^memlint: applied' fix2.log && exit 1
fi
echo "a second --fix changes nothing"
