#!/usr/bin/env python3
"""How much of a fully fine-tuned encoder survives when its change is stored as low-rank deltas.

A fully fine-tuned MiniLM-L6 is 87 MB, past the 10 MB a shipped model may take in git. Storing
only ``W_tuned - W_base`` of each encoder matrix as a rank-r product (truncated SVD), with the
base model's word embeddings and the tuned biases and LayerNorms, would fit for small r. This
probe rebuilds the encoder at several ranks through ``framing.low_rank`` (the shipped format) and scores each on the corpus test split with the
model's own n-gram blend weight and thresholds re-tuned on dev, next to the encoder as trained.

Usage: python scripts/probe_delta_rank.py runs/default-fullft/model [--ranks 32 64 128]
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.config import config_from_dict  # noqa: E402
from framing.data import read_corpus_file  # noqa: E402
from framing.lexical import blend  # noqa: E402
from framing.metrics import f1_scores, tune_thresholds  # noqa: E402
from framing.low_rank import apply_low_rank_delta, low_rank_delta, word_embedding_name  # noqa: E402
from framing.model import FramingClassifier, resolve_base  # noqa: E402


def low_rank_encoder_state(tuned: dict, base: dict, words: str, rank: int, encoder) -> tuple[dict, float]:
    """Encoder weights rebuilt from the rank-``rank`` delta of ``tuned`` (word embeddings taken from
    ``base``), and the megabytes that delta would take on disk."""
    encoder.load_state_dict({**tuned, words: base[words]})
    delta = low_rank_delta(encoder, base, rank)
    encoder.load_state_dict(base)
    apply_low_rank_delta(encoder, delta)
    return encoder.state_dict(), sum(t.numel() * t.element_size() for t in delta.values()) / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="a model folder trained with model.adapter=none")
    parser.add_argument("--ranks", type=int, nargs="+", default=[32, 64, 128])
    args = parser.parse_args()
    from transformers import AutoModel

    torch.set_num_threads(2)
    clf = FramingClassifier.load(ROOT / args.model)
    if clf.meta.get("adapter") != "none" or clf.lexical is None:
        raise SystemExit(f"{args.model}: needs a fully fine-tuned model with a word n-gram blend")
    cfg = config_from_dict(clf.meta["config"])
    lexical, weight = clf.lexical, clf.lexical_weight
    clf.lexical = None
    splits = {}
    for name in ("dev", "test"):
        rows = read_corpus_file(ROOT / getattr(cfg.data, name), clf.labels)
        texts = [r["text"] for r in rows]
        splits[name] = {"texts": texts, "gold": np.asarray([r["labels"] for r in rows]) > 0.5,
                        "lex": lexical.predict_proba(texts)}
    tuned = {k: v.clone() for k, v in clf.model.encoder.state_dict().items()}
    base = AutoModel.from_pretrained(resolve_base(clf.meta["base_model"]), use_safetensors=True).state_dict()

    def score(label: str, megabytes: float):
        probs = {n: blend(clf.predict(s["texts"], batch_size=128).device_probs, s["lex"], weight)
                 for n, s in splits.items()}
        th = np.asarray(tune_thresholds(splits["dev"]["gold"], probs["dev"]))
        dev = f1_scores(splits["dev"]["gold"], probs["dev"] >= th)[2].mean()
        test = f1_scores(splits["test"]["gold"], probs["test"] >= th)[2]
        print(f"| {label} | {megabytes:.1f} | {dev:.3f} | {test.mean():.3f} | "
              f"{clf.labels[int(np.argmin(test))]} {test.min():.3f} |", flush=True)

    print("| encoder | stored MB | dev macro-F1 | test macro-F1 | lowest device on test |")
    print("|---|---|---|---|---|")
    score("as trained (full weights, fp32)", sum(v.numel() * v.element_size() for v in tuned.values()) / 1e6)
    words = word_embedding_name(clf.model.encoder)
    scratch = AutoModel.from_pretrained(resolve_base(clf.meta["base_model"]), use_safetensors=True)
    for rank in args.ranks:
        state, megabytes = low_rank_encoder_state(tuned, base, words, rank, scratch)
        clf.model.encoder.load_state_dict(state)
        score(f"rank-{rank} deltas, base word embeddings", megabytes)


if __name__ == "__main__":
    main()
