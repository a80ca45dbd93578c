#!/usr/bin/env python3
"""Reads every export of one archive with the tools researchers read them with.

Usage: check-readers.py DIR

DIR holds the exports that tests/readers.rs writes: `<format>.<extension>`, or the
folder `<format>` (brat, parquet). The truth is the native
JSONL export read with Python's json module: each article's text and its spans. Every
reader must give back the same rows and spans; per reader one line is printed:

    reader <name>: rows N, spans N, mismatches N

and the exit code is 1 when any reader has a mismatch or fails, 0 otherwise. Runs offline:
`datasets` is told so (HF_DATASETS_OFFLINE=1) and reads the local file only.
"""

import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# The dtypes docs/formats.md documents for the CSV exports ("Reading the CSV exports in
# pandas"): integers as nullable Int64, text as str.
CSV_DTYPES = {
    "article_id": "Int64",
    "annotation_id": "Int64",
    "start": "Int64",
    "end": "Int64",
    "count": "Int64",
    "low": "Int64",
    "high": "Int64",
    "where_prec": "Int64",
    "lat": "Float64",
    "lon": "Float64",
    "title": "str",
    "text": "str",
    "label": "str",
    "attrs": "str",
}
EVENTS_CSV_DTYPES = {
    "article_id": "Int64",
    "annotation_id": "Int64",
    "quote_start": "Int64",
    "quote_end": "Int64",
    "count": "Int64",
    "low": "Int64",
    "high": "Int64",
    "place_where_prec": "Int64",
    "place_lat": "Float64",
    "place_lon": "Float64",
    "headline": "str",
    "quote": "str",
}
UCDP_DTYPES = {
    "id": "Int64",
    "year": "Int64",
    "number_of_sources": "Int64",
    "where_prec": "Int64",
    "date_prec": "Int64",
    "best": "Int64",
    "low": "Int64",
    "high": "Int64",
    "latitude": "Float64",
    "longitude": "Float64",
    "source_headline": "str",
}
ACLED_DTYPES = {
    "year": "Int64",
    "time_precision": "Int64",
    "geo_precision": "Int64",
    "fatalities": "Int64",
    "latitude": "Float64",
    "longitude": "Float64",
    "notes": "str",
}
EVIDENCE_DTYPES = {
    "row": "Int64",
    "event_id": "Int64",
    "article_id": "Int64",
    "annotation_id": "Int64",
    "annotation_uid": "str",
    "quote": "str",
    "column": "str",
    "value": "str",
}

# A Label Studio labeling config for the export's tasks (docs/formats.md, `label-studio`).
LABEL_STUDIO_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/>
    <Label value="DATE"/><Label value="CASUALTY"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""

FAILED = []


def report(name, rows, spans, mismatches, details=()):
    print(f"reader {name}: rows {rows}, spans {spans}, mismatches {mismatches}")
    for line in list(details)[:10]:
        print(f"  {line}")
    if mismatches:
        FAILED.append(name)


def truth(path):
    """Articles by id: (text, sorted list of (start, end, label), spans by uid)."""
    articles = {}
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        spans = sorted((a["start"], a["end"], a["label"]) for a in record["annotations"])
        by_uid = {a["uid"]: a for a in record["annotations"]}
        articles[record["id"]] = (record["text"], record, spans, by_uid)
    return articles


def compare(articles, found):
    """Mismatches between the truth and {article id: [(start, end, label)]}."""
    details = []
    for article_id in sorted(set(articles) | set(found)):
        want = articles.get(article_id, (None, None, []))[2]
        got = sorted(found.get(article_id, []))
        if want != got:
            details.append(f"article {article_id}: want {want} got {got}")
    return details


def strict_csv(path, dtypes):
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    for column, dtype in dtypes.items():
        if column in frame.columns and str(frame[column].dtype) != dtype:
            raise AssertionError(f"{path.name}: column {column} is {frame[column].dtype}, not {dtype}")
    return frame


def jsonl_pandas(articles, path):
    import pandas as pd

    frame = pd.read_json(path, lines=True, dtype=False)
    found = {}
    details = []
    for row in frame.itertuples():
        text = articles.get(row.id, ("",))[0]
        if row.text != text:
            details.append(f"article {row.id}: text differs")
        found[row.id] = [(a["start"], a["end"], a["label"]) for a in row.annotations]
        details += [f"article {row.id}: {a}" for a in row.annotations if row.text[a["start"] : a["end"]] != a["text"]]
    details += compare(articles, found)
    report("jsonl/pandas.read_json(lines=True)", len(frame), sum(map(len, found.values())), len(details), details)


def jsonl_datasets(articles, path):
    import datasets

    with tempfile.TemporaryDirectory() as cache:
        data = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=cache)
        found = {}
        details = []
        for row in data:
            if row["text"] != articles.get(row["id"], ("",))[0]:
                details.append(f"article {row['id']}: text differs")
            found[row["id"]] = [(a["start"], a["end"], a["label"]) for a in row["annotations"]]
            details += [f"article {row['id']}: {a['uid']}" for a in row["annotations"] if row["text"][a["start"] : a["end"]] != a["text"]]
        details += compare(articles, found)
        report("jsonl/datasets.load_dataset(json)", data.num_rows, sum(map(len, found.values())), len(details), details)


def annotations_csv(articles, path):
    frame = strict_csv(path, CSV_DTYPES)
    found = {}
    details = []
    for row in frame.itertuples():
        text, record = articles[row.article_id][:2]
        found.setdefault(row.article_id, []).append((row.start, row.end, row.label))
        if text[row.start : row.end] != row.text:
            details.append(f"row {row.Index}: {row.text!r} is not text[{row.start}:{row.end}]")
        if row.title != record["title"]:
            details.append(f"row {row.Index}: title {row.title!r} differs")
    details += compare({k: v for k, v in articles.items() if v[2]}, found)
    report("csv/pandas.read_csv", len(frame), len(frame), len(details), details)


def events_csv(articles, path):
    frame = strict_csv(path, EVENTS_CSV_DTYPES)
    details = []
    claims = {(k, s, e) for k, v in articles.items() for (s, e, label) in v[2] if label == "CASUALTY"}
    seen = set()
    for row in frame.itertuples():
        text, record = articles[row.article_id][:2]
        seen.add((row.article_id, row.quote_start, row.quote_end))
        if text[row.quote_start : row.quote_end] != row.quote:
            details.append(f"row {row.Index}: {row.quote!r} is not text[{row.quote_start}:{row.quote_end}]")
        if row.headline != record["title"]:
            details.append(f"row {row.Index}: headline {row.headline!r} differs")
    details += [f"claim {c} missing" for c in sorted(claims - seen)]
    details += [f"claim {c} not in the truth" for c in sorted(seen - claims)]
    report("events-csv/pandas.read_csv", len(frame), len(frame), len(details), details)


def event_dataset(articles, name, path, dtypes):
    table = strict_csv(path, dtypes)
    evidence = strict_csv(path.with_suffix(".evidence.csv"), EVIDENCE_DTYPES)
    details = []
    spans = evidence[evidence.annotation_uid.notna()]
    for row in spans.itertuples():
        article = articles.get(row.article_id)
        annotation = article[3].get(row.annotation_uid) if article else None
        if annotation is None:
            details.append(f"evidence row {row.Index}: span {row.annotation_uid} not exported")
        elif article[0][annotation["start"] : annotation["end"]] != row.quote:
            details.append(f"evidence row {row.Index}: quote {row.quote!r} differs")
    if len(table) == 0:
        details.append("no events")
    report(f"{name}/pandas.read_csv", len(table), len(spans), len(details), details)


def conll_expected(articles, path):
    """Tokens of the CoNLL file aligned to the texts, and the entities the documented tag
    rule gives over them: per sentence [(first token, end token, label)]."""
    sentences, tokens = [], []
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            continue
        if not line:
            if tokens:
                sentences.append(tokens)
            tokens = []
            continue
        token, tag = line.split("\t")
        tokens.append((token, tag))
    if tokens:
        sentences.append(tokens)
    # Align tokens to article texts in order: every token is a piece of its text.
    ids = sorted(articles)
    position, index = 0, 0
    aligned = []
    for sentence in sentences:
        placed = []
        for token, tag in sentence:
            while True:
                text = articles[ids[index]][0]
                found = text.find(token, position)
                if found >= 0 and text[position:found].strip() in ("", "\u200b", "\u200e", "\u200f"):
                    break
                index, position = index + 1, 0
            placed.append((ids[index], found, found + len(token), tag))
            position = found + len(token)
        aligned.append(placed)
    expected = []
    for placed in aligned:
        article_id = placed[0][0]
        spans = sorted(articles[article_id][2], key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
        tags = ["O"] * len(placed)
        for start, end, label in spans:
            covered = [i for i, (_, ts, _, _) in enumerate(placed) if start <= ts < end]
            if not covered or any(tags[i] != "O" for i in covered):
                continue
            if covered[0] > 0 and tags[covered[0] - 1] != "O" and tags[covered[0] - 1][2:] == label and placed[covered[0] - 1][1] >= start:
                continue
            for n, i in enumerate(covered):
                tags[i] = ("B-" if n == 0 else "I-") + label
        expected.append(tags)
    return sentences, expected


def entities_of(tags):
    from seqeval.metrics.sequence_labeling import get_entities

    return sorted((label, start, end + 1) for label, start, end in get_entities(list(tags)))


def conll_seqeval(articles, path):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    sentences, expected = conll_expected(articles, path)
    read = [[tag for _, tag in sentence] for sentence in sentences]
    details = []
    for n, (got, want) in enumerate(zip(read, expected)):
        if entities_of(got) != entities_of(want):
            details.append(f"sentence {n}: tags {entities_of(got)} want {entities_of(want)}")
    score = f1_score(expected, read, mode="strict", scheme=IOB2) if any(map(any, read)) else 0.0
    spans = sum(len(entities_of(s)) for s in read)
    if score != 1.0:
        details.append(f"seqeval strict IOB2 F1 {score}")
    report("conll/seqeval", len(read), spans, len(details), details)


def conll_spacy(articles, path):
    import spacy
    from spacy.tokens import DocBin

    sentences, expected = conll_expected(articles, path)
    with tempfile.TemporaryDirectory() as out:
        # spaCy's `ner` converter reads CoNLL-2003 columns (the tag is the last column).
        run = subprocess.run(
            [sys.executable, "-m", "spacy", "convert", str(path), out, "--converter", "ner", "--file-type", "spacy", "--n-sents", "1"],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            report("conll/spacy convert", 0, 0, 1, [run.stdout, run.stderr])
            return
        docs = list(DocBin().from_disk(next(Path(out).glob("*.spacy"))).get_docs(spacy.blank("xx").vocab))
    details = []
    tokens = [token.text for doc in docs for token in doc]
    want_tokens = [token for sentence in sentences for token, _ in sentence]
    if tokens != want_tokens:
        details.append(f"tokens differ: {len(tokens)} read, {len(want_tokens)} written")
    got = []
    offset = 0
    for doc in docs:
        got += [(ent.label_, offset + ent.start, offset + ent.end) for ent in doc.ents]
        offset += len(doc)
    want = []
    offset = 0
    for tags in expected:
        want += [(label, offset + start, offset + end) for label, start, end in entities_of(tags)]
        offset += len(tags)
    if sorted(got) != sorted(want):
        details += [f"entity {e} missing" for e in sorted(set(want) - set(got))]
        details += [f"entity {e} unexpected" for e in sorted(set(got) - set(want))]
    report("conll/spacy convert + DocBin", len(docs), len(got), len(details), details)


def label_studio(articles, path):
    from label_studio_sdk.converter import Converter

    with tempfile.TemporaryDirectory() as project:
        converter = Converter(config=LABEL_STUDIO_CONFIG, project_dir=project, download_resources=False)
        found = {}
        details = []
        rows = 0
        for item in converter.iter_from_json_file(str(path)):
            rows += 1
            article_id = item["id"]
            text = item["input"]["text"]
            if text != articles[article_id][0]:
                details.append(f"task {article_id}: text differs")
            for region in item["output"].get("label", []):
                start, end = region["start"], region["end"]
                for label in region["labels"]:
                    found.setdefault(article_id, []).append((start, end, label))
                if text[start:end] != region["text"]:
                    details.append(f"task {article_id}: {region['text']!r} is not text[{start}:{end}]")
    details += compare({k: v for k, v in articles.items() if v[2]}, found)
    report("label-studio/label_studio_sdk.converter", rows, sum(map(len, found.values())), len(details), details)


def brat(articles, folder):
    from pybrat.parser import BratParser

    examples = BratParser(error="raise").parse(folder)
    found = {}
    details = []
    for example in examples:
        article_id = int(Path(example.id).name)
        text = articles[article_id][0]
        if example.text != text:
            details.append(f"{article_id}.txt: text differs")
        for entity in example.entities:
            pieces = [text[s.start : s.end] for s in entity.spans]
            if " ".join(pieces) != entity.mention:
                details.append(f"{article_id}.ann {entity.id}: {entity.mention!r} is not {pieces}")
            found.setdefault(article_id, []).append((entity.spans[0].start, entity.spans[-1].end, entity.type))
    details += compare({k: v for k, v in articles.items() if v[2]}, found)
    report("brat/pybrat.BratParser", len(examples), sum(map(len, found.values())), len(details), details)


def doccano(articles, path):
    # doccano publishes no reader of its files apart from the server itself (see
    # docs/formats.md): Python's json and slicing, as doccano's importer reads them.
    found = {}
    details = []
    rows = 0
    for line in path.open(encoding="utf-8"):
        rows += 1
        record = json.loads(line)
        found[record["id"]] = [(s, e, label) for s, e, label in record["label"]]
        if record["text"] != articles[record["id"]][0]:
            details.append(f"line {rows}: text differs")
    details += compare(articles, found)
    report("doccano/json + slicing", rows, sum(map(len, found.values())), len(details), details)


def web_annotation(articles, path):
    # No JSON-LD reader runs offline on it: the context is a remote document (see
    # docs/formats.md). Python's json, the two selectors against the text.
    page = json.loads(path.read_text(encoding="utf-8"))
    by_source = {}
    for article_id, (_, record, _, _) in articles.items():
        by_source[record["url"] or f"urn:annalist:article:{article_id}"] = article_id
    found = {}
    details = []
    for item in page["items"]:
        target = item["target"]
        article_id = by_source[target["source"]]
        text = articles[article_id][0]
        position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
        quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
        start, end = position["start"], position["end"]
        if text[start:end] != quote["exact"]:
            details.append(f"{item['id']}: {quote['exact']!r} is not text[{start}:{end}]")
        if not text[:start].endswith(quote.get("prefix", "")) or not text[end:].startswith(quote.get("suffix", "")):
            details.append(f"{item['id']}: prefix or suffix differs")
        label = next(b["value"] for b in item["body"] if b["purpose"] == "tagging")
        found.setdefault(article_id, []).append((start, end, label))
    details += compare({k: v for k, v in articles.items() if v[2]}, found)
    report("web-annotation/json + selectors", len(page["items"]), len(page["items"]), len(details), details)


def parquet(articles, folder):
    import pyarrow.parquet as pq

    want = {
        "article_id": "int64",
        "start": "int64",
        "end": "int64",
        "label": "large_string|string",
        "text": "large_string|string",
    }
    annotations = pq.read_table(folder / "annotations.parquet")
    frame = annotations.to_pandas()
    details = []
    for name, types in want.items():
        actual = str(annotations.schema.field(name).type)
        if actual not in types.split("|"):
            details.append(f"annotations.{name} is {actual}")
    table = pq.read_table(folder / "articles.parquet")
    published = str(table.schema.field("published_date").type)
    if published != "date32[day]":
        details.append(f"articles.published_date is {published}")
    texts = dict(zip(table.column("article_id").to_pylist(), table.column("text").to_pylist()))
    found = {}
    for row in frame.itertuples():
        found.setdefault(row.article_id, []).append((row.start, row.end, row.label))
        if texts[row.article_id][row.start : row.end] != row.text:
            details.append(f"annotation {row.Index}: {row.text!r} is not text[{row.start}:{row.end}]")
    if texts != {k: v[0] for k, v in articles.items()}:
        details.append("article texts differ")
    details += compare({k: v for k, v in articles.items() if v[2]}, found)
    report("parquet/pyarrow.parquet.read_table", table.num_rows, len(frame), len(details), details)


def main():
    folder = Path(sys.argv[1])
    articles = truth(folder / "jsonl.jsonl")
    print(f"truth (json module on jsonl.jsonl): {len(articles)} articles, {sum(len(v[2]) for v in articles.values())} spans")
    checks = [
        (jsonl_pandas, "jsonl.jsonl"),
        (jsonl_datasets, "jsonl.jsonl"),
        (annotations_csv, "csv.csv"),
        (events_csv, "events-csv.csv"),
        (lambda a, p: event_dataset(a, "events-ucdp", p, UCDP_DTYPES), "events-ucdp.csv"),
        (lambda a, p: event_dataset(a, "events-acled", p, ACLED_DTYPES), "events-acled.csv"),
        (conll_spacy, "conll.conll"),
        (conll_seqeval, "conll.conll"),
        (label_studio, "label-studio.json"),
        (brat, "brat"),
        (doccano, "doccano.jsonl"),
        (web_annotation, "web-annotation.jsonld"),
        (parquet, "parquet"),
    ]
    for check, name in checks:
        path = folder / name
        if not path.exists():
            print(f"reader for {name}: the export is missing")
            FAILED.append(name)
            continue
        try:
            check(articles, path)
        except Exception as error:  # noqa: BLE001 - a reader that fails is a mismatch
            print(f"reader for {name} failed: {type(error).__name__}: {error}")
            FAILED.append(name)
    if FAILED:
        print(f"readers with mismatches or failures: {', '.join(FAILED)}")
        sys.exit(1)
    print("every reader agrees with the native export")


if __name__ == "__main__":
    main()
