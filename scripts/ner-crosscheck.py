"""Scores a predictions file of `annalist eval ner --predictions` with seqeval.

Reads `token gold predicted` lines (blank lines between sentences) and prints one JSON
object: seqeval's micro precision, recall and F1 and its per-label F1, in its default
(conlleval-compatible) mode.
"""

import json
import sys

from seqeval.metrics import classification_report, f1_score, precision_score, recall_score


def read(path):
    gold, predicted, g, p = [], [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            columns = line.split()
            if not columns:
                if g:
                    gold.append(g)
                    predicted.append(p)
                g, p = [], []
                continue
            g.append(columns[-2])
            p.append(columns[-1])
    if g:
        gold.append(g)
        predicted.append(p)
    return gold, predicted


def main():
    gold, predicted = read(sys.argv[1])
    report = classification_report(gold, predicted, output_dict=True, zero_division=0)
    labels = {
        k: v["f1-score"]
        for k, v in report.items()
        if k not in ("micro avg", "macro avg", "weighted avg")
    }
    print(json.dumps({
        "precision": precision_score(gold, predicted, zero_division=0),
        "recall": recall_score(gold, predicted, zero_division=0),
        "f1": f1_score(gold, predicted, zero_division=0),
        "labels": labels,
    }))


if __name__ == "__main__":
    main()
