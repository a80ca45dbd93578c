#!/usr/bin/env bash
# Trains the bundled base model of the entity tagger, assets/tagger/base.antg, on WNUT-17's
# train and dev splits (CC BY 4.0; ../shared/corpora/wnut17, see its SOURCE.md), with
# person → PER, location → LOC, group and corporation → ORG (creative-work and product
# become O). Deterministic: the same files give the same bytes.
#
#   scripts/train_tagger.sh [ANNALIST_BINARY]   (default: target/release/annalist)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-target/release/annalist}"
corpus="../shared/corpora/wnut17"
"$binary" model train \
    --conll "$corpus/wnut17train.conll" "$corpus/emerging.dev.conll" \
    --map person=PER,location=LOC,group=ORG,corporation=ORG \
    --source "WNUT-17 train+dev (CC BY 4.0), person=PER location=LOC group,corporation=ORG" \
    --output assets/tagger/base.antg
sha256sum assets/tagger/base.antg
