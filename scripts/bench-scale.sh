#!/usr/bin/env bash
# Scale benchmark (issue #6): Annalist vs SQLite FTS5 vs ripgrep on one corpus of N articles.
#
#   scripts/bench-scale.sh N [WORKDIR] [RUNS]
#
# Generates N articles from the BBC sentences (benches/scale.rs `gen`) as one .txt per article
# plus a CSV of the same texts, then times in one run: the Annalist import (release binary),
# the FTS5 build (sqlite3 CLI), every query through `annalist search`, sqlite3 (bm25 +
# snippet) and `rg -l` (median of RUNS whole-process runs), and the in-process figures.
# Prints one Markdown table. Needs sqlite3, rg (apt-get install sqlite3 ripgrep).
# The work folder (corpus, archive, FTS5 database) is deleted afterwards unless KEEP=1.
set -euo pipefail

N=${1:?usage: bench-scale.sh N [WORKDIR] [RUNS]}
WORK=${2:-/tmp/annalist-scale-$N}
RUNS=${3:-10}
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

for tool in sqlite3 rg; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 2; }
done

cargo build --release --bin annalist
cargo bench --bench scale --no-run

rm -rf "$WORK"
mkdir -p "$WORK"
df -h "$WORK" >&2
cargo bench --bench scale -- gen "$N" "$WORK"
cargo bench --bench scale -- run "$WORK" "$TARGET/release/annalist" "$RUNS"

if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
fi
