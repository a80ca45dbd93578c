#!/usr/bin/env python3
"""Cross-check `annalist agree` against the Python packages researchers report agreement with.

Builds deterministic coded data (3 coders, 4 labels, articles some coders did not code,
casualty counts and outcomes that sometimes differ), imports it into a fresh archive with the
built binary (native JSONL, one `coder` per span), runs `annalist agree --json`, and
asserts to 3 decimals that its figures equal:

- `krippendorff.alpha` (nominal, interval, ratio) and `nltk.metrics.agreement.AnnotationTask`
  alpha on the values of matched casualty claims;
- `statsmodels` `cohens_kappa` (each pair) and `fleiss_kappa` (all coders) on the BIO tags of
  the tokens, per label;
- `bratiaa` pairwise F1 per label (exact boundaries) on the brat export of two coders, and a
  few-line Python computation of the exact and overlap F1.

Usage: agreement-crosscheck.py ANNALIST_BINARY WORK_DIR (run with the venv's python; .ci/run
makes the venv). Exit code 0 and "all equal to 3 decimals" when every figure agrees.
"""

import json
import math
import random
import re
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

CODERS = ["ana", "ben", "cy"]
# Share of the articles each coder codes: ben and cy leave some out (positions seen by only
# some coders).
CODES_SHARE = {"ana": 1.0, "ben": 0.85, "cy": 0.7}
PLACES = ["Saravan", "Quetta", "Panjgur", "Turbat", "Gwadar", "Kech", "Zahedan", "Khash"]
GROUPS = ["Jaish", "Baloch", "Front", "Army"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OUTCOMES = ["killed", "injured", "missing"]
ARTICLES = 60
SEED = 15


def sentence(rng):
    """One sentence and its gold spans (label, start, end, attrs) relative to it."""
    place, other = rng.sample(PLACES, 2)
    group = rng.choice(GROUPS)
    day = rng.choice(DAYS)
    count = rng.randint(1, 40)
    outcome = rng.choice(OUTCOMES)
    parts = [
        ("LOC", place), (None, " officials said "), ("CASUALTY", f"{count} people were {outcome}"),
        (None, " in "), ("LOC", other), (None, " on "), ("DATE", day), (None, " after "),
        ("ORG", group), (None, " fighters attacked."),
    ]
    text, spans, at = "", [], 0
    for label, piece in parts:
        if label:
            attrs = {"count": count, "outcome": outcome} if label == "CASUALTY" else {}
            spans.append({"label": label, "start": at, "end": at + len(piece), "attrs": attrs,
                          "words": piece.split(" ")})
        text += piece
        at += len(piece)
    return text, spans


def code(rng, coder, gold, text):
    """What one coder marks: most gold spans, some with a shorter boundary, a wrong label or
    another value; the first span always (so every coded article has a span)."""
    spans = []
    for index, g in enumerate(gold):
        if index > 0 and rng.random() < 0.12:
            continue
        start, end, label = g["start"], g["end"], g["label"]
        attrs = dict(g["attrs"])
        if label == "CASUALTY" and rng.random() < 0.25:
            # "12 people" instead of "12 people were killed": overlapping, not exact.
            end = start + len(" ".join(g["words"][:2]))
        if label == "CASUALTY" and rng.random() < 0.2:
            attrs["count"] = max(0, attrs["count"] + rng.choice([-2, -1, 1, 3]))
        if label == "CASUALTY" and rng.random() < 0.15:
            attrs["outcome"] = rng.choice(OUTCOMES)
        if label == "CASUALTY" and rng.random() < 0.1:
            del attrs["count"]
        if label == "ORG" and rng.random() < 0.2:
            label = "LOC"
        spans.append({"label": label, "start": start, "end": end, "attrs": attrs,
                      "annotator": coder, "coder": coder, "status": "accepted",
                      "claim": g.get("claim")})
    return spans


def build(rng):
    """Articles: text, gold spans, and each coder's spans (absent: not coded)."""
    articles = []
    claim = 0
    for number in range(1, ARTICLES + 1):
        text, gold = "", []
        for _ in range(rng.randint(1, 3)):
            piece, spans = sentence(rng)
            if text:
                text += " "
            for s in spans:
                s["start"] += len(text)
                s["end"] += len(text)
                if s["label"] == "CASUALTY":
                    s["claim"] = claim
                    claim += 1
            text += piece
            gold.extend(spans)
        layers = {c: code(rng, c, gold, text) for c in CODERS if rng.random() < CODES_SHARE[c]}
        articles.append({"id": number, "text": text, "layers": layers})
    return articles


def run(binary, archive, *args):
    out = subprocess.run([binary, "--archive", str(archive), *args], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"annalist {' '.join(args)} failed ({out.returncode}): {out.stderr}")
    return out.stdout


def tokens(text):
    # The texts are plain ASCII words, numbers and a final full stop: Annalist's tokenizer
    # cuts them the same way (the token counts are compared below too).
    return [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]", text)]


def bio(toks, ranges):
    tags = ["O"] * len(toks)
    for start, end in sorted(ranges):
        begun = False
        for i, (ts, te) in enumerate(toks):
            if te <= start or ts >= end:
                continue
            if tags[i] == "O":
                tags[i] = "I" if begun else "B"
            begun = True
    return tags


def close(name, ours, theirs, failures):
    if ours is None or theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        failures.append(f"{name}: annalist {ours}, reference {theirs} (undefined)")
        return
    if round(ours, 3) != round(float(theirs), 3):
        failures.append(f"{name}: annalist {ours:.6f}, reference {float(theirs):.6f}")
    else:
        print(f"{name}: {ours:.4f} = {float(theirs):.4f}")


def check_values(articles, report, failures):
    """α of the casualty values, units = claims (matched across coders by construction: each
    coder's claim spans overlap only the claim they came from)."""
    measured = [a for a in articles if len(a["layers"]) >= 2]
    claims = {}
    for a in measured:
        for coder, spans in a["layers"].items():
            for s in spans:
                if s["label"] == "CASUALTY":
                    claims.setdefault(s["claim"], {})[coder] = s["attrs"]
    units = sorted(claims)
    figures = {(v["attribute"], v["metric"]): v["alpha"] for v in report["values"]}
    for key, metric in [("count", "interval"), ("count", "ratio"), ("outcome", "nominal")]:
        outcome_codes = {o: i for i, o in enumerate(sorted(OUTCOMES))}
        def value(attrs):
            if attrs is None or key not in attrs:
                return np.nan
            return outcome_codes[attrs[key]] if key == "outcome" else attrs[key]
        data = [[value(claims[u].get(c)) for u in units] for c in CODERS]
        ours = figures[(key, metric)]
        close(f"alpha {key} {metric} (krippendorff)", ours,
              krippendorff.alpha(reliability_data=data, level_of_measurement=metric), failures)
        if metric == "ratio":
            continue
        triples = [(c, str(u), claims[u][c][key]) for u in units for c in CODERS
                   if c in claims[u] and key in claims[u][c]]
        # NLTK pairs values within an item; items with a single value add nothing.
        paired = {}
        for t in triples:
            paired.setdefault(t[1], []).append(t)
        triples = [t for ts in paired.values() if len(ts) >= 2 for t in ts]
        if metric == "interval":
            task = AnnotationTask(data=triples, distance=interval_distance)
        else:
            task = AnnotationTask(data=triples)
        close(f"alpha {key} {metric} (nltk)", ours, task.alpha(), failures)


def check_kappas(articles, report, failures):
    labels = report["labels"]
    measured = [a for a in articles if len(a["layers"]) >= 2]
    for pair in report["pairs"]:
        a, b = pair["coder_a"], pair["coder_b"]
        both = [x for x in measured if a in x["layers"] and b in x["layers"]]
        count = sum(len(tokens(x["text"])) for x in both)
        if count != pair["tokens"]:
            failures.append(f"tokens of {a}~{b}: annalist {pair['tokens']}, python {count}")
        for entry in pair["labels"]:
            label = entry["label"]
            table = np.zeros((3, 3))
            index = {"O": 0, "B": 1, "I": 2}
            for x in both:
                toks = tokens(x["text"])
                ranges = lambda c: [(s["start"], s["end"]) for s in x["layers"][c]
                                    if s["label"] == label]
                for ta, tb in zip(bio(toks, ranges(a)), bio(toks, ranges(b))):
                    table[index[ta], index[tb]] += 1
            close(f"cohen kappa {label} {a}~{b} (statsmodels)", entry["token_kappa"],
                  cohens_kappa(table, return_results=False), failures)
    complete = [x for x in measured if len(x["layers"]) == len(CODERS)]
    for entry in report["labels_all_coders"]:
        label = entry["label"]
        rows = []
        for x in complete:
            toks = tokens(x["text"])
            per_coder = [bio(toks, [(s["start"], s["end"]) for s in x["layers"][c]
                                    if s["label"] == label]) for c in CODERS]
            rows.extend(zip(*per_coder))
        table, _ = aggregate_raters(np.array(rows))
        close(f"fleiss kappa {label} (statsmodels)", entry["fleiss_kappa"],
              fleiss_kappa(table, method="fleiss"), failures)


def f1_by_hand(articles, a, b, label, overlap):
    matched = total = 0
    for x in articles:
        if a not in x["layers"] or b not in x["layers"]:
            continue
        first = [(s["start"], s["end"]) for s in x["layers"][a] if s["label"] == label]
        second = [(s["start"], s["end"]) for s in x["layers"][b] if s["label"] == label]
        total += len(first) + len(second)
        if not overlap:
            matched += len(set(first) & set(second))
            continue
        # The data has at most one overlapping partner per span, so greedy is exact here.
        used = set()
        for s in first:
            for j, t in enumerate(second):
                if j not in used and min(s[1], t[1]) > max(s[0], t[0]):
                    used.add(j)
                    matched += 1
                    break
    return 2 * matched / total if total else None


def check_f1(binary, archive, work, articles, report, failures):
    from bratiaa import compute_f1_agreement

    a, b = "ana", "ben"
    pair = next(p for p in report["pairs"] if p["coder_a"] == a and p["coder_b"] == b)
    project = work / "brat-project"
    both = {x["id"] for x in articles if a in x["layers"] and b in x["layers"]}
    for coder in (a, b):
        out = work / f"brat-{coder}"
        run(binary, archive, "export", "--format", "brat", "--layer", coder, "--out", str(out))
        (project / coder).mkdir(parents=True)
        shutil.copy(out / "annotation.conf", project / "annotation.conf")
        for ann in out.glob("*.ann"):
            article = int(re.search(r"\d+", ann.stem).group())
            if article in both:
                shutil.copy(ann, project / coder / ann.name)
                shutil.copy(ann.with_suffix(".txt"), project / coder / ann.with_suffix(".txt").name)
    if len(list((project / a).glob("*.ann"))) != len(both):
        failures.append(f"brat export: {len(both)} articles coded by both expected")
    agreement = compute_f1_agreement(str(project))
    means, _ = agreement.mean_sd_per_label()
    for label, mean in zip(agreement.labels, means):
        entry = next((e for e in pair["labels"] if e["label"] == label), None)
        if entry is None:
            continue
        close(f"f1 exact {label} {a}~{b} (bratiaa)", entry["exact"]["f1"], float(mean), failures)
    for entry in pair["labels"]:
        for kind in ("exact", "overlap"):
            close(f"f1 {kind} {entry['label']} {a}~{b} (by hand)", entry[kind]["f1"],
                  f1_by_hand(articles, a, b, entry["label"], kind == "overlap"), failures)


def main():
    binary, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    articles = build(rng)
    records = []
    for x in articles:
        spans = [{k: v for k, v in s.items() if k != "claim"}
                 for c in sorted(x["layers"]) for s in x["layers"][c]]
        records.append({"id": x["id"], "title": f"Report {x['id']}", "text": x["text"],
                        "annotations": spans})
    data = work / "coded.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    archive = work / "archive"
    run(binary, archive, "import", str(data), "--format", "jsonl")
    report = json.loads(run(binary, archive, "agree", "--json"))
    measured = [x for x in articles if len(x["layers"]) >= 2]
    assert report["articles"] == len(measured), (report["articles"], len(measured))
    assert report["partial"]["articles"] > 0, "the data must have partly coded articles"
    failures = []
    check_values(articles, report, failures)
    check_kappas(articles, report, failures)
    check_f1(binary, archive, work, articles, report, failures)
    if failures:
        print("\n".join(["DIFFERENT:"] + failures))
        sys.exit(1)
    print(f"all equal to 3 decimals ({len(measured)} articles, {len(CODERS)} coders)")


if __name__ == "__main__":
    main()
