#!/usr/bin/env python3
"""Synthetic annotated articles for export benchmarks: N lines of native JSONL, each article
150-400 words with 4 accepted annotations (LOC, ORG, DATE with a value, CASUALTY with count
and outcome). Usage: make-bench-articles.py N OUT.jsonl (seeded: the same N gives the same file)."""
import json
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
words = ("the army said strikes hit the border village on Tuesday killing nine people including "
         "four children officials in the province reported a spokesman for").split()


def span(text, needle, label, **attrs):
    start = text.index(needle)
    a = {"label": label, "start": start, "end": start + len(needle), "status": "accepted"}
    if attrs:
        a["attrs"] = attrs
    return a


with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        text = (f"Report {i}: Iran said strikes killed nine people in Saravan on 2024-01-18. "
                + " ".join(random.choice(words) for _ in range(random.randint(150, 400))))
        annotations = [
            span(text, "Saravan", "LOC"),
            span(text, "Iran", "ORG"),
            span(text, "2024-01-18", "DATE", value="2024-01-18"),
            span(text, "nine people", "CASUALTY", count=9, outcome="killed"),
        ]
        f.write(json.dumps({"title": f"Report {i}", "text": text, "published": "2024-01-19",
                            "url": f"https://example.org/{i}", "source": "Example",
                            "annotations": annotations}) + "\n")
