#!/usr/bin/env python3
"""Inter-annotator agreement between the corpus labels (first annotation, from the part files)
and the blind second pass in data/corpus/agreement/second_pass_*.jsonl.

Writes data/corpus/agreement/agreement.json (per-label Cohen's kappa and % agreement, sentiment
and voice) and disagreements.jsonl (every sentence where the two differ, for adjudication).
"""
import glob
import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

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


def main():
    first = first_annotation()
    second = {}
    for path in sorted(AGREE.glob("second_pass_[a-z].jsonl")):
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
                                   "pos_first": sum(a), "pos_second": sum(b)}
    a_any = [bool(first[i]["devices"]) for i in ids]
    b_any = [bool(second[i]["devices"]) for i in ids]
    result["labels"]["any device"] = {"kappa": cohen_kappa_score(a_any, b_any),
                                      "agreement": sum(x == y for x, y in zip(a_any, b_any)) / len(ids),
                                      "pos_first": sum(a_any), "pos_second": sum(b_any)}
    for field in ("sentiment", "voice"):
        a = [first[i][field] for i in ids]
        b = [second[i][field] for i in ids]
        result["labels"][field] = {"kappa": cohen_kappa_score(a, b), "agreement": sum(x == y for x, y in zip(a, b)) / len(ids)}
    exact = sum(set(first[i]["devices"]) == set(second[i]["devices"]) for i in ids)
    result["exact_device_set_agreement"] = exact / len(ids)
    (AGREE / "agreement.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    with (AGREE / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
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
    print(f"{n} sentences with a disagreement written to {AGREE / 'disagreements.jsonl'}")


if __name__ == "__main__":
    main()
