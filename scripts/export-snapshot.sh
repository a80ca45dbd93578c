#!/usr/bin/env bash
# Exports a fixed archive in every format and prints one SHA-256 per output file, so a
# refactoring can show that what Annalist writes is byte-identical before and after:
#
#   scripts/export-snapshot.sh BINARY > before.txt    (on the old commit's binary)
#   scripts/export-snapshot.sh BINARY > after.txt     (on the new one)
#   diff before.txt after.txt
#
#   scripts/export-snapshot.sh OLD NEW    (the archive made by OLD, exported by NEW: the export
#                                          writers alone, when NEW also suggests differently)
#
# The archive is the demo articles plus the project's fixtures, with every suggestion made,
# then some accepted by hand and some by learning. Manifests are left out (they hold times).
set -euo pipefail
bin="$(realpath "$1")"
exporter="$(realpath "${2:-$1}")"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
a=(--archive "$work/archive")
export ANNALIST_CODER="${ANNALIST_CODER:-snapshot}"
"$bin" demo --dir "$work/archive" >/dev/null
"$bin" import "${a[@]}" "$root/tests/fixtures/news" --published 2024-01-19 >/dev/null 2>&1
"$bin" import "${a[@]}" "$root/tests/fixtures/wires.csv" >/dev/null 2>&1
"$bin" suggest "${a[@]}" --all >/dev/null
# Labelling over a suggestion accepts it (with its attributes): accept those of three articles.
for id in 1 2 3; do
    "$bin" annotate list "${a[@]}" --json "$id" |
        python3 -c 'import json,sys
for l in sys.stdin:
    a=json.loads(l)
    if a["status"]=="suggested": print(a["label"],a["start"],a["end"])' |
        while read -r label start end; do
            "$bin" annotate add "${a[@]}" "$id" --label "$label" --start "$start" --end "$end" \
                --annotator coder >/dev/null 2>&1 || true
        done
done
mkdir "$work/out"
for format in jsonl csv events-csv conll doccano label-studio web-annotation; do
    "$exporter" export "${a[@]}" --format "$format" --out "$work/out/accepted.$format" 2>/dev/null
    "$exporter" export "${a[@]}" --format "$format" --include-suggestions \
        --out "$work/out/all.$format" 2>/dev/null
done
"$exporter" export "${a[@]}" --format brat --include-suggestions --out "$work/out/brat" 2>/dev/null
"$exporter" list "${a[@]}" >"$work/out/list.txt"
# Scores move with tantivy's segment merges: compare the hits and snippets (sorted), not scores.
"$exporter" search "${a[@]}" killed | sed -E 's/(, |\()[0-9.]+\)$/\1)/' | LC_ALL=C sort >"$work/out/search.txt" || true
cd "$work/out"
find . -type f ! -name '*manifest.json' | LC_ALL=C sort | xargs sha256sum
