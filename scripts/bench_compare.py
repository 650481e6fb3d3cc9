#!/usr/bin/env python3
"""Scale check of `framing compare`: N sentences a side, time and peak memory per stage.

Usage: python scripts/bench_compare.py SCORED_FOLDER [--sentences 100000] [--embed-precision bf16]

Builds two scored folders of at least N sentences each by repeating the records of
SCORED_FOLDER (article ids suffixed with the copy number; side B starts half-way through the
records so the sides differ), then runs the whole comparison in this process and prints the
seconds of each stage and the peak resident memory.
"""
import argparse
import json
import resource
import tempfile
import time
from pathlib import Path


def build_side(source: Path, target: Path, n_sentences: int, offset: int) -> int:
    """Copy articles (with their sentences) from ``source`` until ``n_sentences`` are written."""
    target.mkdir(parents=True)
    sentences: dict[str, list[str]] = {}
    with (source / "sentences.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            sentences.setdefault(json.loads(line)["article_id"], []).append(line)
    articles = (source / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = articles[offset:] + articles[:offset]
    written = copy = 0
    with (target / "articles.jsonl").open("w", encoding="utf-8") as art_fh, \
            (target / "sentences.jsonl").open("w", encoding="utf-8") as sent_fh:
        while written < n_sentences:
            for line in articles:
                art = json.loads(line)
                new_id = f"{art['article_id']}#{copy}"
                for s in sentences.get(art["article_id"], []):
                    rec = json.loads(s)
                    rec["article_id"] = new_id
                    sent_fh.write(json.dumps(rec) + "\n")
                art["article_id"] = new_id
                art_fh.write(json.dumps(art) + "\n")
                written += art["n_sentences"]
                if written >= n_sentences:
                    break
            copy += 1
    return written


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scored")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--embed-precision", default="bf16")
    args = parser.parse_args()

    from framing.compare import compare_groups, load_groups
    from framing.compare_report import write_comparison
    from framing.embed import SentenceEncoder

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n_a = build_side(Path(args.scored), tmp / "a", args.sentences, 0)
        n_b = build_side(Path(args.scored), tmp / "b", args.sentences, 5000)
        start = time.perf_counter()
        a, b = load_groups({"A": [tmp / "a"], "B": [tmp / "b"]})
        load_s = time.perf_counter() - start
        encoder = SentenceEncoder(precision=args.embed_precision)
        t = time.perf_counter()
        result = compare_groups(a, b, encoder=encoder)
        compare_s = time.perf_counter() - t
        t = time.perf_counter()
        write_comparison(result, tmp / "out")
        write_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| sentences A / B | {n_a:,} / {n_b:,} |")
    print(f"| articles A / B | {len(a.article_ids):,} / {len(b.article_ids):,} |")
    print(f"| load scored folders | {load_s:.1f} s |")
    for key, value in result["timings"].items():
        print(f"| {key} | {value:.1f} s |")
    print(f"| of which sentence embeddings ({args.embed_precision}) | {result['aligned_pairs']['encode_seconds']:.1f} s |")
    print(f"| compare total | {compare_s:.1f} s |")
    print(f"| write JSON + HTML | {write_s:.1f} s |")
    print(f"| peak resident memory | {peak:,.0f} MB |")


if __name__ == "__main__":
    main()
