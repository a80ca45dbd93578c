#!/usr/bin/env bash
# Team archive benchmark on loopback: the local import of N articles, `team push` of that
# archive to a fresh team database, a new desktop's first `team join` (copy and index), and
# a second `team join` with nothing new (a later open's catch-up).
#
#   ANNALIST_TEST_PG=postgres://... scripts/bench-team.sh N [BINARY]
#
# ANNALIST_TEST_PG is a superuser URL (scripts/pg-test-server.sh start prints one). Prints
# one Markdown table. The work folder and the database are removed afterwards.
set -euo pipefail
N=${1:?usage: bench-team.sh N [BINARY]}
BIN=${2:-${CARGO_TARGET_DIR:-target}/release/annalist}
: "${ANNALIST_TEST_PG:?needs ANNALIST_TEST_PG (scripts/pg-test-server.sh start)}"
WORK=$(mktemp -d)
DB="bench_team_$$"
trap 'rm -rf "$WORK"; psql "$ANNALIST_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
python3 - "$N" >"$WORK/articles.jsonl" <<'PY'
import json, random, sys
random.seed(7)
words = "the convoy left at dawn and reports said seven people were killed near the border town by shelling".split()
for i in range(int(sys.argv[1])):
    text = " ".join(random.choice(words) for _ in range(160))
    print(json.dumps({"title": f"Report {i}", "text": f"Report {i}. {text}.", "source": f"outlet{i % 20}"}))
PY
psql "$ANNALIST_TEST_PG" -Xqc "CREATE DATABASE $DB"
URL="${ANNALIST_TEST_PG/\/postgres\?//$DB?}"
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
import=$(secs "$BIN" --archive "$WORK/local" import "$WORK/articles.jsonl")
"$BIN" team init "$URL" >/dev/null
push=$(secs "$BIN" --archive "$WORK/local" team push --url "$URL")
again=$(secs "$BIN" --archive "$WORK/local" team push --url "$URL")
join=$(secs "$BIN" --archive "$WORK/desk" team join "$URL")
catchup=$(secs "$BIN" --archive "$WORK/desk" team join "$URL")
echo "| $N articles ($(du -sh "$WORK/articles.jsonl" | cut -f1) JSONL) | seconds |"
echo "|---|---|"
echo "| local import | $import |"
echo "| team push (new team database) | $push |"
echo "| team push again (nothing new) | $again |"
echo "| new desktop's first team join (copy + index) | $join |"
echo "| team join again (no changes) | $catchup |"
