#!/usr/bin/env python3
"""How much device macro-F1 is left on the table by a trained model's decisions, not its encoder.

Takes a trained model, computes once the encoder's device probabilities, the word n-gram model's
probabilities and the encoder's pooled sentence embeddings for the corpus train, dev and test
splits, then scores on test (thresholds always tuned on dev unless said otherwise):

- the shipped decision rule (one blend weight and per-label thresholds, both picked on dev);
- every blend weight with its dev-tuned thresholds (how much the weight choice alone moves test);
- per-label blend weights picked on dev;
- oracle thresholds tuned on test itself (an upper bound for any threshold rule; not a result);
- a stacked logistic regression on dev over both models' logits plus the previous and next
  sentence and the article mean and max (article context), thresholds from 5-fold article
  cross-validation on dev;
- a k-nearest-neighbour vote over the training sentences' fine-tuned embeddings as a third
  blend member;
- with ``--second MODEL``, the mean of both models' encoder probabilities (a two-seed ensemble,
  twice the training time), blended with the first model's n-gram probabilities.

Usage: python scripts/probe_headroom.py [MODEL_FOLDER] [--config configs/default.yaml] [--second MODEL]
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.config import load_config  # noqa: E402
from framing.data import read_corpus_file  # noqa: E402
from framing.lexical import blend  # noqa: E402
from framing.metrics import f1_scores, tune_thresholds  # noqa: E402
from framing.model import FramingClassifier, encode_texts, pad_batch  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
KNN_K = 20


@torch.inference_mode()
def pooled_embeddings(clf: FramingClassifier, texts: list[str]) -> np.ndarray:
    """Mean-pooled final token states of the (fine-tuned) encoder, averaged over a sentence's windows."""
    enc = encode_texts(clf.tokenizer, texts, clf.max_length)
    ids, owner = enc["input_ids"], np.asarray(enc["owner"])
    out = np.zeros((len(ids), clf.model.encoder.config.hidden_size), dtype=np.float32)
    order = np.argsort([len(x) for x in ids], kind="stable")
    for b in range(0, len(ids), 64):
        idx = order[b:b + 64]
        input_ids, mask = pad_batch([ids[i] for i in idx], clf.tokenizer.pad_token_id or 0)
        hidden = clf.model.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state.float()
        m = mask.unsqueeze(-1).float()
        out[idx] = ((hidden * m).sum(1) / m.sum(1)).numpy()
    pooled = np.zeros((len(texts), out.shape[1]), dtype=np.float32)
    np.add.at(pooled, owner, out)
    return pooled / np.bincount(owner, minlength=len(texts))[:, None]


def load_split(clf: FramingClassifier, lexical, path: str, labels: list[str]) -> dict:
    """One corpus split with the encoder's and the n-gram model's probabilities and the embeddings."""
    rows = read_corpus_file(ROOT / path, labels)
    texts = [r["text"] for r in rows]
    encoder_probs = clf.predict(texts, batch_size=128).device_probs
    return {"texts": texts, "article": np.asarray([r["article_id"] for r in rows]),
            "gold": np.asarray([r["labels"] for r in rows]) > 0.5, "enc": encoder_probs,
            "lex": lexical.predict_proba(texts), "emb": pooled_embeddings(clf, texts)}


def macro(gold, decided) -> float:
    return float(f1_scores(gold, decided)[2].mean())


def with_dev_thresholds(dev, test, dev_probs, test_probs):
    """(dev macro-F1, test macro-F1, test per-label F1) at thresholds tuned on dev."""
    th = np.asarray(tune_thresholds(dev["gold"], dev_probs))
    return macro(dev["gold"], dev_probs >= th), macro(test["gold"], test_probs >= th), \
        f1_scores(test["gold"], test_probs >= th)[2]


def context_features(split) -> np.ndarray:
    from scipy.special import logit

    enc, arts = split["enc"], split["article"]

    same_prev = np.r_[False, arts[1:] == arts[:-1]]
    same_next = np.r_[arts[:-1] == arts[1:], False]
    prev = np.where(same_prev[:, None], np.roll(enc, 1, axis=0), 0.0)
    nxt = np.where(same_next[:, None], np.roll(enc, -1, axis=0), 0.0)
    mean, top = np.zeros_like(enc), np.zeros_like(enc)
    for a in np.unique(arts):
        m = arts == a
        mean[m], top[m] = enc[m].mean(0), enc[m].max(0)
    clip = lambda p: logit(np.clip(p, 1e-4, 1 - 1e-4))  # noqa: E731
    return np.hstack([clip(enc), clip(split["lex"]), prev, nxt, mean, top])


def stacked(dev, test, labels) -> tuple[float, float, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    x_dev, x_test = context_features(dev), context_features(test)
    articles = np.unique(dev["article"])
    np.random.default_rng(0).shuffle(articles)
    out_of_fold = np.zeros(dev["gold"].shape)
    for fold in np.array_split(articles, 5):
        held = np.isin(dev["article"], fold)
        for j in range(len(labels)):
            fit = LogisticRegression(C=0.1, max_iter=3000).fit(x_dev[~held], dev["gold"][~held, j])
            out_of_fold[held, j] = fit.predict_proba(x_dev[held])[:, 1]
    th = np.asarray(tune_thresholds(dev["gold"], out_of_fold))
    test_probs = np.column_stack([LogisticRegression(C=0.1, max_iter=3000).fit(x_dev, dev["gold"][:, j])
                                  .predict_proba(x_test)[:, 1] for j in range(len(labels))])
    return macro(dev["gold"], out_of_fold >= th), macro(test["gold"], test_probs >= th), \
        f1_scores(test["gold"], test_probs >= th)[2]


def knn_vote(train, query) -> np.ndarray:
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    sims = unit(query["emb"]) @ unit(train["emb"]).T
    idx = np.argpartition(-sims, KNN_K, axis=1)[:, :KNN_K]
    w = np.maximum(np.take_along_axis(sims, idx, 1), 0) ** 4
    return (train["gold"][idx] * w[..., None]).sum(1) / w.sum(1, keepdims=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", nargs="?", default="models/framing-minilm")
    parser.add_argument("--config", default="configs/default.yaml")
    parser.add_argument("--second", help="a second model of the same labels, e.g. the same config with another seed")
    args = parser.parse_args()
    torch.set_num_threads(2)
    clf = FramingClassifier.load(ROOT / args.model)
    if clf.lexical is None:
        raise SystemExit(f"{args.model}: this probe needs a model with a word n-gram blend")
    cfg = load_config(ROOT / args.config)
    lexical, weight = clf.lexical, clf.lexical_weight
    clf.lexical = None  # encoder probabilities alone; the blend is recomputed below
    splits = {name: load_split(clf, lexical, getattr(cfg.data, name), clf.labels) for name in ("train", "dev", "test")}
    clf.lexical = lexical
    train, dev, test = splits["train"], splits["dev"], splits["test"]
    both = lambda s, w: blend(s["enc"], s["lex"], w)  # noqa: E731
    rows = []
    shipped = np.asarray(clf.thresholds)
    rows.append(("shipped rule (weight %.1f, its thresholds)" % weight, None,
                 macro(test["gold"], both(test, weight) >= shipped), f1_scores(test["gold"], both(test, weight) >= shipped)[2]))
    for w in WEIGHTS:
        rows.append((f"blend weight {w:.1f}, dev thresholds", *with_dev_thresholds(dev, test, both(dev, w), both(test, w))))
    per_label = np.zeros(len(clf.labels))
    for j in range(len(clf.labels)):
        best = max(WEIGHTS, key=lambda w: (with_dev_thresholds({"gold": dev["gold"][:, [j]]}, {"gold": test["gold"][:, [j]]},
                                                               both(dev, w)[:, [j]], both(test, w)[:, [j]])[0], -w))
        per_label[j] = best
    rows.append(("per-label blend weights picked on dev", *with_dev_thresholds(
        dev, test, blend(dev["enc"], dev["lex"], per_label), blend(test["enc"], test["lex"], per_label))))
    oracle = np.asarray(tune_thresholds(test["gold"], both(test, weight)))
    rows.append((f"oracle: thresholds tuned on test (weight {weight:.1f})", None,
                 macro(test["gold"], both(test, weight) >= oracle), f1_scores(test["gold"], both(test, weight) >= oracle)[2]))
    rows.append(("stacked LR with article context (dev-trained)", *stacked(dev, test, clf.labels)))
    knn_dev, knn_test = knn_vote(train, dev), knn_vote(train, test)
    for share in (0.15, 0.25):
        rows.append((f"+ kNN vote of fine-tuned embeddings, share {share}", *with_dev_thresholds(
            dev, test, (1 - share) * both(dev, weight) + share * knn_dev, (1 - share) * both(test, weight) + share * knn_test)))
    if args.second:
        second = FramingClassifier.load(ROOT / args.second)
        second.lexical = None
        for name, split in (("dev", dev), ("test", test)):
            split["enc2"] = second.predict(split["texts"], batch_size=128).device_probs
        for w in (0.4, 0.5, 0.6):
            rows.append((f"two-model ensemble (mean encoder probabilities), n-gram weight {w:.1f}", *with_dev_thresholds(
                dev, test, blend((dev["enc"] + dev["enc2"]) / 2, dev["lex"], w),
                blend((test["enc"] + test["enc2"]) / 2, test["lex"], w))))
    print(f"test split: {len(test['texts']):,} sentences; dev {len(dev['texts']):,}; train {len(train['texts']):,}\n")
    print("| decision rule | dev macro-F1 | test macro-F1 | lowest device on test |")
    print("|---|---|---|---|")
    for name, dev_score, test_score, per in rows:
        j = int(np.argmin(per))
        dev_text = "–" if dev_score is None else f"{dev_score:.3f}"
        print(f"| {name} | {dev_text} | {test_score:.3f} | {clf.labels[j]} {per[j]:.3f} |")
    print(f"\nper-label weights picked on dev: {dict(zip(clf.labels, per_label.round(1).tolist()))}")


if __name__ == "__main__":
    main()
