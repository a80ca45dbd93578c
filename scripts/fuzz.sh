#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a bounded time each, one after the other.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, every target)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Inputs that crash
# are saved under fuzz/artifacts/TARGET/; repeat one with
#   cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# and turn it into a regression test (tests/bad_input.rs or the importer's unit tests).
# The corpus each run grows is kept in fuzz/corpus/TARGET/ (not committed) for the next run.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-600}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/annalist-fuzz-target}"

# A first run starts from one small valid input per format (later runs from the corpus).
seed() {
    local dir="corpus/$1"
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    local text='Strike on Kharkiv\n\nTwo people were killed in Kharkiv 😀 on 3 March 2024.\n'
    case "$1" in
        import_text) printf "$text" >"$dir/seed" ;;
        import_html) printf '<html><head><title>Strike</title><meta property="article:published_time" content="2024-03-03"></head><body><article><h1>Strike</h1><p>Two people were killed in Kharkiv.</p><p>More text &amp; more.</p></article></body></html>' >"$dir/seed" ;;
        import_feed) printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Strike</title><link>https://x.org/a</link><description>Two people &lt;b&gt;killed&lt;/b&gt;.</description><pubDate>Mon, 02 Oct 2023 10:00:00 GMT</pubDate></item></channel></rss>' >"$dir/seed"
            printf '<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><entry><title>T</title><updated>2016-02-01T10:00:00+01:00</updated><content type="html">Body</content></entry></feed>' >"$dir/seed2" ;;
        import_json) printf '[{"title":"Strike","text":"Two killed.","published":"2024-03","source":"Wire","url":"https://x.org"}]' >"$dir/seed" ;;
        import_jsonl) printf '{"title":"Strike","text":"Two killed in Kharkiv.","annotations":[{"start":14,"end":21,"label":"LOC"}]}\n{"text":"x"}\n' >"$dir/seed" ;;
        import_csv) printf 'title,text,date\nStrike,"Two killed, ""many"" hurt",2024-03-03\n' >"$dir/seed" ;;
        import_doccano) printf '{"text":"Two killed in Kharkiv.","label":[[14,21,"LOC"]]}\n{"text":"B","entities":[{"start_offset":0,"end_offset":1,"label":"PER"}]}\n' >"$dir/seed" ;;
        import_label_studio) printf '[{"id":1,"data":{"text":"Two killed in Kharkiv."},"annotations":[{"result":[{"type":"labels","value":{"start":14,"end":21,"text":"Kharkiv","labels":["LOC"]}}]}]}]' >"$dir/seed" ;;
        import_conll) printf -- '-DOCSTART- O\n\nTwo O\nkilled O\nin O\nKharkiv B-LOC\n. O\n\nNew B-ORG\nYork I-ORG\n' >"$dir/seed" ;;
        import_brat) printf 'Two killed in Kharkiv.\xffT1\tLOC 14 21\tKharkiv\nT2\tPER 0 3;4 10\tTwo killed\nA1\tNegated T1\n' >"$dir/seed" ;;
        import_any) printf "$text" | gzip -c >"$dir/seed" ;;
        query) printf 'Kharkiv AND "two killed" published:[2024-01 TO 2024-03] label:LOC -title:x' >"$dir/seed" ;;
    esac
}

# The code is `unsafe_code = forbid`: no sanitizer is needed to find panics, and none is faster.
cargo +nightly fuzz build -s none

failed=()
for target in "${targets[@]}"; do
    seed "$target"
    echo "== $target: ${seconds} s"
    if ! cargo +nightly fuzz run -s none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
        -print_final_stats=1 2>&1 | tail -n 25; then
        failed+=("$target")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "crashes or timeouts in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "no crash in ${#targets[@]} targets, ${seconds} s each"
