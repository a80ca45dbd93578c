#!/usr/bin/env bash
# Streaming benchmark (issue 13, item 27): one JSON Lines dump of SIZE_MB (default 2048 MB,
# about 4 KB a record) imported by the release binary, timed with its peak memory.
#
#   scripts/bench-stream.sh [SIZE_MB] [WORKDIR]
#
# Generates the dump into WORKDIR (default /tmp/annalist-stream), runs
# `/usr/bin/time -v annalist --archive WORKDIR/archive import WORKDIR/dump.jsonl`, prints the
# summary line, the wall time, the peak RSS and the archive's size, then deletes WORKDIR
# (the dump and the archive it made) unless KEEP=1. Needs python3 and GNU time
# (apt-get install time). Never run in CI: it writes SIZE_MB twice or more to disk.
set -euo pipefail

SIZE_MB=${1:-2048}
WORK=${2:-/tmp/annalist-stream}
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

command -v python3 >/dev/null || { echo "error: python3 not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }

cargo build --release --bin annalist

rm -rf "$WORK"
mkdir -p "$WORK"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
df -h "$WORK" >&2

python3 - "$WORK/dump.jsonl" "$SIZE_MB" <<'PY'
import json, random, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(27)
words = [f"w{n}" for n in range(5000)] + "shelling convoy ceasefire talks residents said officials".split()
places = ["Kharkiv", "Aleppo", "Quetta", "Mariupol", "Gaza", "Khartoum"]
limit, written, n = size_mb * 1024 * 1024, 0, 0
with open(path, "w") as out:
    while written < limit:
        place = places[n % len(places)]
        body = " ".join(rng.choices(words, k=560))
        text = f"Report {n} from {place}\n\nFighting near {place} today. {body}."
        start = text.index("near ") + 5
        line = json.dumps({"title": f"Report {n}", "text": text, "published": "2024-01-19",
                           "source": "Wire", "annotations": [
                               {"label": "LOC", "start": start, "end": start + len(place),
                                "text": place}]}) + "\n"
        out.write(line)
        written += len(line)
        n += 1
print(f"generated {n} records, {written / 1024 / 1024:.0f} MB", file=sys.stderr)
PY

/usr/bin/time -v -o "$WORK/time.txt" \
    "$TARGET/release/annalist" --archive "$WORK/archive" import "$WORK/dump.jsonl"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$WORK/time.txt"
du -sh "$WORK/dump.jsonl" "$WORK/archive"
