#!/usr/bin/env python3
"""Inter-annotator agreement between the corpus labels and a blind pass in data/corpus/agreement/.

  python scripts/agreement.py                  # session 1: second_pass_*.jsonl against the first
                                               # annotation (the part files, before adjudication)
  python scripts/agreement.py --pass test_pass # session 2: test_pass_*.jsonl, a blind relabelling
                                               # of the whole test split, against its gold labels
  python scripts/agreement.py --pass traindev_pass   # the same for the train and dev splits
  python scripts/agreement.py --pass wave3_pass      # the same for the articles of writing wave 3

Writes <prefix>agreement.json (per-label Cohen's kappa, % agreement, and the F1 the blind pass
scores when the reference is taken as gold: what a careful annotator reaches, a ceiling for
models; sentiment and voice too) and <prefix>disagreements.jsonl (every sentence where the two
differ, for adjudication). The prefix is empty for second_pass, else the pass name and "_".
Run the session-2 comparisons before their adjudication is applied by
build_corpus.py: afterwards the gold already holds the adjudicated labels.
"""
import argparse
import glob
import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.labels import DEVICES  # noqa: E402

AGREE = ROOT / "data" / "corpus" / "agreement"


def first_annotation() -> dict:
    """Labels as the writers gave them (before adjudication), keyed by corpus sentence id."""
    out = {}
    for path in sorted(glob.glob(str(ROOT / "data" / "corpus" / "parts" / "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                art = json.loads(line)
                for i, s in enumerate(art["sentences"]):
                    out[f"{art['article_id']}-{i:03d}"] = {**s, "article_id": art["article_id"]}
    return out


def gold_labels(split: str) -> dict:
    """Labels of a built split (after any adjudication), keyed by sentence id."""
    path = ROOT / "data" / "corpus" / f"{split}.jsonl"
    return {r["id"]: r for r in (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pass", dest="name", choices=("second_pass", "test_pass", "traindev_pass", "wave3_pass"),
                        default="second_pass")
    name = parser.parse_args().name
    if name == "second_pass":
        first, prefix = first_annotation(), ""
    else:  # the gold of whichever sentences the pass covers
        first, prefix = {k: v for split in ("train", "dev", "test") for k, v in gold_labels(split).items()}, f"{name}_"
    second = {}
    for path in sorted(AGREE.glob(f"{name}_[a-z].jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                second[rec["id"]] = rec
    ids = sorted(second)
    missing = [i for i in ids if i not in first]
    if missing:
        raise SystemExit(f"second pass has ids unknown to the corpus: {missing[:5]}")
    result = {"n_sentences": len(ids), "n_articles": len({first[i]["article_id"] for i in ids}), "labels": {}}
    for label in DEVICES:
        a = [label in first[i]["devices"] for i in ids]
        b = [label in second[i]["devices"] for i in ids]
        result["labels"][label] = {"kappa": cohen_kappa_score(a, b), "agreement": sum(x == y for x, y in zip(a, b)) / len(ids),
                                   "f1_second_vs_first": f1_score(a, b, zero_division=0.0),
                                   "pos_first": sum(a), "pos_second": sum(b)}
    result["device_macro_f1_second_vs_first"] = sum(result["labels"][d]["f1_second_vs_first"] for d in DEVICES) / len(DEVICES)
    a_any = [bool(first[i]["devices"]) for i in ids]
    b_any = [bool(second[i]["devices"]) for i in ids]
    result["labels"]["any device"] = {"kappa": cohen_kappa_score(a_any, b_any),
                                      "agreement": sum(x == y for x, y in zip(a_any, b_any)) / len(ids),
                                      "pos_first": sum(a_any), "pos_second": sum(b_any)}
    for field in ("sentiment", "voice"):
        a = [first[i][field] for i in ids]
        b = [second[i][field] for i in ids]
        result["labels"][field] = {"kappa": cohen_kappa_score(a, b), "agreement": sum(x == y for x, y in zip(a, b)) / len(ids),
                                   "macro_f1_second_vs_first": f1_score(a, b, average="macro")}
    exact = sum(set(first[i]["devices"]) == set(second[i]["devices"]) for i in ids)
    result["exact_device_set_agreement"] = exact / len(ids)
    (AGREE / f"{prefix}agreement.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    with (AGREE / f"{prefix}disagreements.jsonl").open("w", encoding="utf-8") as fh:
        n = 0
        for i in ids:
            f, s = first[i], second[i]
            if set(f["devices"]) != set(s["devices"]) or f["sentiment"] != s["sentiment"] or f["voice"] != s["voice"]:
                n += 1
                fh.write(json.dumps({"id": i, "text": f["text"],
                                     "first": {"devices": sorted(f["devices"]), "sentiment": f["sentiment"], "voice": f["voice"]},
                                     "second": {"devices": sorted(s["devices"]), "sentiment": s["sentiment"], "voice": s["voice"]}},
                                    ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1))
    print(f"{n} sentences with a disagreement written to {AGREE / f'{prefix}disagreements.jsonl'}")


if __name__ == "__main__":
    main()
