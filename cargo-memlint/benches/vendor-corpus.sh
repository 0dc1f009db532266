#!/usr/bin/env bash
# Vendors the benchmark corpus: the crates pinned by corpus/Cargo.lock (17
# well-known crates and their dependencies for every platform, ~150 MB of
# Rust) into a directory, by default target/bench-corpus at the workspace root.
#
#   cargo-memlint/benches/vendor-corpus.sh [DIR]
#   cargo bench -p cargo-memlint --bench corpus     # reads target/bench-corpus
#
# Needs crates.io once (cargo's download cache is used when warm).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="${1:-$root/target/bench-corpus}"

if [ -d "$dest/vendor" ]; then
    echo "corpus already vendored at $dest (delete it to vendor again)"
else
    mkdir -p "$dest"
    # --locked: exactly the versions in corpus/Cargo.lock, or fail.
    cargo vendor --quiet --locked --manifest-path "$here/corpus/Cargo.toml" "$dest/vendor.tmp" > /dev/null
    mv "$dest/vendor.tmp" "$dest/vendor"
fi
files=$(find "$dest/vendor" -name '*.rs' | wc -l)
bytes=$(find "$dest/vendor" -name '*.rs' -printf '%s\n' | awk '{ s += $1 } END { print s }')
echo "corpus: $dest/vendor: $files .rs files, $((bytes / 1000000)) MB"
