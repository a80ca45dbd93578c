#!/usr/bin/env bash
# Prints every evaluation figure of docs/evaluation.md from one binary, so a change to the
# suggesters or importers can show its figures are equal or better:
#
#   scripts/eval-snapshot.sh BINARY > figures.txt        (needs ../shared/corpora)
set -euo pipefail
bin="$(realpath "$1")"
cd "$(dirname "$0")/.."
c=../shared/corpora
g=$c/conflict-casualties/gun-violence-news
echo "== eval extraction"
"$bin" eval extraction $c/html-news/article-extraction-benchmark
echo "== eval timebank"
"$bin" eval timebank $c/timebank-tempeval3/TBAQ-cleaned/TimeBank
echo "== eval casualties (val)"
"$bin" eval casualties $g/X_val.json $g/y_val.json
echo "== eval casualties (train)"
"$bin" eval casualties $g/X_train.json $g/y_train.json
