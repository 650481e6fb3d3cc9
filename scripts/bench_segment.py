#!/usr/bin/env python3
"""Segmentation speed on real KCNA text, against baselines run in the same process.

Usage: python scripts/bench_segment.py [../shared/datasets/kcna-2011/kcna_2011.jsonl.gz]
Prints sentences/s on one core for: a plain regex split, sentencex on the raw text, framing's
segmenter (sentencex on line blocks, offsets, long-unit cuts), and segmentation + voice.
"""
import gzip
import json
import os
import re
import sys
import time

import sentencex

from framing.segment import sentence_spans
from framing.sentences import article_sentences
from framing.types import Article

DEFAULT = "../shared/datasets/kcna-2011/kcna_2011.jsonl.gz"
REGEX = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])|\n+")


def timed(name, fn, texts, baseline=None):
    start = time.perf_counter()
    n = sum(fn(t) for t in texts)
    seconds = time.perf_counter() - start
    rate = n / seconds
    ratio = f"{rate / baseline:.2f}x" if baseline else "baseline"
    print(f"| {name} | {n:,} | {seconds:.2f} | {rate:,.0f} | {ratio} |")
    return rate


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"{len(texts):,} articles, {sum(map(len, texts)) / 1e6:.1f} M characters, one core\n")
    print("| method | units | seconds | sentences/s | vs regex |\n|---|---|---|---|---|")
    base = timed("regex split (no abbreviation handling)", lambda t: len(REGEX.split(t)), texts)
    timed("sentencex on raw text", lambda t: len(sentencex.get_sentence_boundaries("en", t)), texts, base)
    timed("framing.segment.sentence_spans", lambda t: len(sentence_spans(t)), texts, base)
    timed("segmentation + quotes + voice", lambda t: len(article_sentences(Article("x", t))), texts, base)


if __name__ == "__main__":
    main()
