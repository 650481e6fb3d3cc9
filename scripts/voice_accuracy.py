#!/usr/bin/env python3
"""Accuracy of the rule-based voice labels (framing.voice) on the annotated corpus.

Runs the quote matcher and the attribution rules over every article of data/corpus/articles.jsonl,
with the annotated sentence offsets, and compares with the gold voice of each sentence. Prints
accuracy, macro-F1 and the confusion matrix for train+dev (where the cue list was tuned) and for
the held-out test split. Usage: python scripts/voice_accuracy.py
"""
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.labels import VOICES  # noqa: E402
from framing.voice import classify_voice, find_quote_spans  # noqa: E402

CORPUS = ROOT / "data" / "corpus"


def main():
    gold, split_of = {}, {}
    for split in ("train", "dev", "test"):
        for line in (CORPUS / f"{split}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            gold[row["id"]], split_of[row["id"]] = row["voice"], split
    pairs = {"train+dev": ([], []), "test": ([], [])}
    for line in (CORPUS / "articles.jsonl").open(encoding="utf-8"):
        article = json.loads(line)
        spans = find_quote_spans(article["text"])
        for i, (start, end) in enumerate(article["sentence_offsets"]):
            sid = f"{article['id']}-{i:03d}"
            predicted, _ = classify_voice(article["text"], start, end, spans)
            group = pairs["test" if split_of[sid] == "test" else "train+dev"]
            group[0].append(gold[sid])
            group[1].append(predicted)
    for name, (y, p) in pairs.items():
        y, p = np.asarray(y), np.asarray(p)
        print(f"## {name}: {len(y)} sentences, accuracy {(y == p).mean():.1%}, "
              f"macro-F1 {f1_score(y, p, average='macro'):.3f}\n")
        print("| gold \\ predicted | " + " | ".join(VOICES) + " |\n|---|---|---|---|")
        for label, row in zip(VOICES, confusion_matrix(y, p, labels=list(VOICES))):
            print(f"| {label} | " + " | ".join(str(n) for n in row) + " |")
        print()


if __name__ == "__main__":
    main()
