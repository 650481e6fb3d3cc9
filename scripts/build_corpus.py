#!/usr/bin/env python3
"""Assemble data/corpus/ from the hand-written part files in data/corpus/parts/.

Writes train/dev/test.jsonl (one sentence per line) and articles.jsonl (full article text
with the offsets of each annotated sentence). Splits are drawn by event: both articles of a
pair (same pair_id) land in the same split, so no event leaks from train into test. Each
writing wave (WAVES) is split on its own, so adding a wave never moves an earlier event
to another split and earlier results stay comparable.
Adjudicated labels from data/corpus/agreement/adjudicated*.jsonl, when present, replace the
first annotation. Deterministic: the same parts give the same files.
"""
import glob
import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
SPLIT_SHARES = (("test", 0.18), ("dev", 0.12))
SEED = 2026
WAVES = (("w1", "w2", "w3", "w4", "w5", "w6", "w7"),  # session 1
         ("w8", "w9", "w10", "w11", "w12", "w13"),  # session 2: more of every region, no label quotas
         ("w14", "w15", "w16", "w17", "w18", "w19"))  # session 2, wave 3: loyalty and national glory


def article_text(sentences):
    """Headline, blank line, then paragraphs separated by blank lines; returns text and offsets."""
    text, offsets, para = "", [], None
    for s in sentences:
        if para is None:
            sep = ""
        elif s["para"] != para:
            sep = "\n\n"
        else:
            sep = " "
        text += sep
        offsets.append((len(text), len(text) + len(s["text"])))
        text += s["text"]
        para = s["para"]
    return text, offsets


def assign_splits(articles, seed) -> dict:
    """Split key (pair_id, or article_id when unpaired) -> split, filling test then dev by sentence share."""
    groups = defaultdict(list)
    for art in articles:
        groups[art["pair_id"] or art["article_id"]].append(art)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    total = sum(len(a["sentences"]) for a in articles)
    split_of, filled = {}, {name: 0 for name, _ in SPLIT_SHARES}
    for key in keys:
        size = sum(len(a["sentences"]) for a in groups[key])
        target = next((name for name, share in SPLIT_SHARES if filled[name] < share * total), "train")
        if target != "train":
            filled[target] += size
        split_of[key] = target
    return split_of


def main():
    articles, split_of = [], {}
    known = {w for wave in WAVES for w in wave}
    for path in sorted(glob.glob(str(CORPUS / "parts" / "*.jsonl"))):
        if Path(path).stem not in known:
            raise SystemExit(f"{path}: part file not listed in WAVES of {__file__}")
    for wave in WAVES:
        wave_articles = []
        for writer in wave:
            path = CORPUS / "parts" / f"{writer}.jsonl"
            if path.exists():
                with path.open(encoding="utf-8") as fh:
                    wave_articles += [json.loads(line) for line in fh if line.strip()]
        split_of.update(assign_splits(wave_articles, SEED))
        articles += wave_articles
    adjudicated = {}
    # adjudicated.jsonl (session 1), then the session-2 passes (test, train/dev, wave 3): later files win
    for adj_path in sorted((CORPUS / "agreement").glob("adjudicated*.jsonl")):
        with adj_path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    adjudicated[rec["id"]] = rec
    out = {name: [] for name in ("train", "dev", "test")}
    article_lines = []
    for art in articles:
        split = split_of[art["pair_id"] or art["article_id"]]
        text, offsets = article_text(art["sentences"])
        for i, (s, (start, end)) in enumerate(zip(art["sentences"], offsets)):
            sid = f"{art['article_id']}-{i:03d}"
            labels = adjudicated.get(sid, s)
            out[split].append({"id": sid, "article_id": art["article_id"], "index": i, "text": s["text"],
                               "devices": sorted(labels["devices"]), "sentiment": labels["sentiment"],
                               "voice": labels["voice"], "register": art["register"], "style": art["style"],
                               "pair_id": art["pair_id"]})
        article_lines.append({"id": art["article_id"], "title": art["sentences"][0]["text"], "text": text,
                              "register": art["register"], "style": art["style"], "source": art["source"],
                              "date": art["date"], "pair_id": art["pair_id"], "split": split,
                              "sentence_offsets": offsets})
    for name, rows in out.items():
        with (CORPUS / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    with (CORPUS / "articles.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(a, ensure_ascii=False) + "\n" for a in article_lines)
    print({name: len(rows) for name, rows in out.items()}, "articles:", len(article_lines),
          "adjudicated sentences applied:", sum(1 for rows in out.values() for r in rows if r["id"] in adjudicated))


if __name__ == "__main__":
    main()
