"""``framing train``: fine-tune the classifier from a config, with early stopping on dev."""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from .config import Config
from .labels import SENTIMENTS
from .metrics import f1_scores, micro_f1, tune_thresholds, tune_thresholds_micro
from .model import FramingClassifier, Predictions, pad_batch

LEXICAL_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Random batches of similar length: shuffle, sort inside chunks of 50 batches, shuffle batches.

    Padding a random batch to its longest sentence wastes ~40 % of the compute on short sentences.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: lengths[i])
        batches += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def _collate(rows, idx, pad_id):
    ids, mask = pad_batch([rows["input_ids"][i] for i in idx], pad_id)
    return (ids, mask, torch.tensor([rows["labels"][i] for i in idx], dtype=torch.float32),
            torch.tensor([rows["has_labels"][i] for i in idx], dtype=torch.bool),
            torch.tensor([rows["sentiment"][i] for i in idx], dtype=torch.long),
            torch.tensor([rows["sentiment_score"][i] for i in idx], dtype=torch.float32))


def evaluate_split(classifier: FramingClassifier, split, batch_size: int = 128, *,
                   threshold_objective: str = "per_label", preds: Predictions | None = None) -> dict:
    """Dev metrics used for model selection at dev-tuned thresholds.

    ``selection`` is the mean of the device score (macro-F1 for ``per_label`` thresholds,
    micro-F1 for ``micro``), and, when the model has a sentiment head, the sentiment macro-F1 and
    the Pearson r of the score on dev rows with continuous gold (the held-out NYT editorials).
    ``preds`` are the classifier's predictions for ``split`` when already computed.
    """
    if preds is None:
        preds = classifier.predict(split["text"], batch_size=batch_size)
    labelled = np.asarray(split["has_labels"], dtype=bool)
    gold = np.asarray(split["labels"], dtype=float)[labelled] > 0.5
    probs = preds.device_probs[labelled]
    tune = tune_thresholds_micro if threshold_objective == "micro" else tune_thresholds
    thresholds = tune(gold, probs)
    decided = probs >= np.asarray(thresholds)
    f1 = f1_scores(gold, decided)[2]
    present = gold.any(0)
    out = {"device_macro_f1": float(f1[present].mean()) if present.any() else 0.0,
           "device_micro_f1": micro_f1(gold, decided), "thresholds": thresholds}
    device_score = out["device_micro_f1"] if threshold_objective == "micro" else out["device_macro_f1"]
    if preds.sentiment_probs is not None:
        from sklearn.metrics import f1_score

        sgold = np.asarray(split["sentiment"])
        keep = sgold >= 0
        if keep.any():
            out["sentiment_macro_f1"] = float(f1_score(sgold[keep], preds.sentiment_probs[keep].argmax(1),
                                                       average="macro", labels=list(range(len(SENTIMENTS)))))
        scores = np.asarray(split["sentiment_score"], dtype=float)
        continuous = np.isfinite(scores)
        if continuous.sum() > 2:
            out["sentiment_pearson_r"] = float(np.corrcoef(preds.sentiment_score[continuous], scores[continuous])[0, 1])
    parts = [device_score] + [out[k] for k in ("sentiment_macro_f1", "sentiment_pearson_r") if k in out]
    out["selection"] = float(np.mean(parts))
    out["device_score"] = device_score
    return out


def fit_lexical_blend(classifier: FramingClassifier, train_split, dev_split, *, threshold_objective: str,
                      seed: int) -> dict:
    """Fit the word n-gram model on train, then pick its blend weight and the thresholds on dev.

    The encoder's dev predictions are computed once; each weight in :data:`LEXICAL_WEIGHTS`
    re-tunes the thresholds, and the best dev device score wins (the smaller weight on ties).
    Sets ``classifier.lexical``, ``lexical_weight`` and ``thresholds``; returns the dev scores.
    """
    import dataclasses

    from .lexical import LexicalModel, blend

    labelled = np.asarray(train_split["has_labels"], dtype=bool)
    texts = [t for t, keep in zip(train_split["text"], labelled) if keep]
    gold = np.asarray(train_split["labels"], dtype=float)[labelled] > 0.5
    lexical = LexicalModel.fit(texts, gold, seed=seed)
    classifier.lexical, classifier.lexical_weight = None, 0.0
    encoder_preds = classifier.predict(dev_split["text"])
    lexical_probs = lexical.predict_proba(list(dev_split["text"]))
    scores, best = {}, None
    for weight in LEXICAL_WEIGHTS:
        preds = dataclasses.replace(encoder_preds, device_probs=blend(encoder_preds.device_probs, lexical_probs, weight))
        dev = evaluate_split(classifier, dev_split, threshold_objective=threshold_objective, preds=preds)
        scores[weight] = dev["device_score"]
        if best is None or dev["device_score"] > best[1]["device_score"]:
            best = (weight, dev)
    weight, dev = best
    classifier.lexical, classifier.lexical_weight, classifier.thresholds = lexical, weight, dev["thresholds"]
    return {"lexical_weight": weight, "dev_device_score_by_weight": scores}


def fit_vader_blend(classifier: FramingClassifier, dev_split) -> dict:
    """Pick the weight of VADER's compound score in the sentiment score on dev rows with continuous gold.

    Sets ``classifier.vader_weight`` (0 when dev has fewer than three such rows); returns the
    dev Pearson r of each candidate weight.
    """
    from .vader_blend import compound_scores, pick_weight

    gold = np.asarray(dev_split["sentiment_score"], dtype=float)
    continuous = np.flatnonzero(np.isfinite(gold))
    classifier.vader_weight = 0.0
    if len(continuous) < 3:
        return {"vader_weight": 0.0, "dev_pearson_r_by_vader_weight": {}}
    texts = [dev_split["text"][int(i)] for i in continuous]
    encoder_score = classifier.predict(texts).sentiment_score
    weight, by_weight = pick_weight(encoder_score, compound_scores(texts), gold[continuous])
    classifier.vader_weight = weight
    return {"vader_weight": weight, "dev_pearson_r_by_vader_weight": by_weight}


def train(cfg: Config, *, progress: bool = True) -> dict:
    """Train on ``cfg``'s data, keep the epoch with the best dev score, tune thresholds, save.

    Writes ``output_dir/config.yaml``, ``train_log.jsonl``, ``metrics.json`` and the model in
    ``output_dir/model``. Returns the metrics dict.
    """
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup, set_seed

    from .data import load_dataset_dict

    started = time.perf_counter()
    set_seed(cfg.train.seed)
    if cfg.train.threads:
        torch.set_num_threads(cfg.train.threads)
    out_dir = Path(cfg.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.yaml").write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False), encoding="utf-8")
    data = load_dataset_dict(cfg, splits=("train", "dev"))
    classifier = FramingClassifier.from_config(cfg)
    tok = classifier.tokenizer
    train_rows = data["train"].map(
        lambda b: {"input_ids": tok(b["text"], truncation=True, max_length=cfg.model.max_length)["input_ids"]},
        batched=True).to_dict()
    model = classifier.model
    labels = np.asarray(train_rows["labels"], dtype=float)[np.asarray(train_rows["has_labels"], dtype=bool)]
    positives = labels.sum(0)
    pos_weight = torch.tensor(np.minimum((len(labels) - positives) / np.maximum(positives, 1), cfg.train.pos_weight_cap),
                              dtype=torch.float32)
    sentiment_counts = np.bincount([s for s in train_rows["sentiment"] if s >= 0], minlength=len(SENTIMENTS))
    class_weight = torch.tensor(sentiment_counts.sum() / np.maximum(sentiment_counts, 1) / len(SENTIMENTS), dtype=torch.float32)

    if cfg.model.delta_rank:
        # their change would not be stored (framing.low_rank), so they stay as in the base model
        model.encoder.get_input_embeddings().weight.requires_grad_(False)
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.") and p.requires_grad]
    enc_params = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": enc_params, "lr": cfg.train.learning_rate},
        {"params": head_params, "lr": cfg.train.head_learning_rate}], weight_decay=cfg.train.weight_decay)
    steps_per_epoch = math.ceil(len(train_rows["text"]) / cfg.train.batch_size)
    total = cfg.train.max_steps or steps_per_epoch * cfg.train.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * cfg.train.warmup_ratio), total)
    rng = random.Random(cfg.train.seed)
    lengths = [len(x) for x in train_rows["input_ids"]]
    pad_id = tok.pad_token_id or 0

    best, best_state, bad_epochs, step, log = -1.0, None, 0, 0, []
    log_file = (out_dir / "train_log.jsonl").open("w", encoding="utf-8")
    for epoch in range(cfg.train.epochs):
        model.train()
        batches = length_grouped_batches(lengths, cfg.train.batch_size, rng)
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{cfg.train.epochs}", disable=not progress, unit="batch")
        epoch_loss = 0.0
        for idx in bar:
            ids, mask, y, has_y, sent, score = _collate(train_rows, idx, pad_id)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.train.bf16):
                dev_logits, sent_logits, sent_score = model(ids, mask)
            loss = _loss(dev_logits.float(), y, has_y, pos_weight, sent_logits, sent, class_weight, sent_score, score,
                         cfg.train.sentiment_loss_weight, cfg.train.score_loss_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            epoch_loss += loss.item()
            step += 1
            bar.set_postfix(loss=f"{loss.item():.3f}")
            if cfg.train.max_steps and step >= cfg.train.max_steps:
                break
        dev = evaluate_split(classifier, data["dev"], threshold_objective=cfg.train.threshold_objective)
        entry = {"epoch": epoch + 1, "step": step, "train_loss": epoch_loss / max(len(batches), 1),
                 **{k: v for k, v in dev.items() if k != "thresholds"}, "elapsed_s": round(time.perf_counter() - started, 1)}
        log.append(entry)
        log_file.write(json.dumps(entry) + "\n")
        log_file.flush()
        if progress:
            print(json.dumps(entry))
        if dev["selection"] > best:
            best, bad_epochs = dev["selection"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            classifier.thresholds = dev["thresholds"]
        else:
            bad_epochs += 1
            if bad_epochs >= cfg.train.patience:
                break
        if cfg.train.max_steps and step >= cfg.train.max_steps:
            break
    log_file.close()
    model.load_state_dict(best_state)
    if cfg.model.delta_rank:
        classifier.cut_to_low_rank(cfg.model.delta_rank)
        if not cfg.model.lexical_blend:  # (the blend re-tunes them anyway)
            classifier.thresholds = evaluate_split(classifier, data["dev"],
                                                   threshold_objective=cfg.train.threshold_objective)["thresholds"]
    blend_metrics = {}
    if cfg.model.lexical_blend:
        blend_metrics = fit_lexical_blend(classifier, data["train"], data["dev"],
                                          threshold_objective=cfg.train.threshold_objective, seed=cfg.train.seed)
    if cfg.model.vader_blend and cfg.sentiment:
        blend_metrics.update(fit_vader_blend(classifier, data["dev"]))
    if progress and blend_metrics:
        print(json.dumps(blend_metrics))
    metrics = {"best_dev": max(log, key=lambda e: e["selection"]), **blend_metrics, "epochs_run": len(log),
               "train_rows": len(train_rows["text"]), "train_seconds": round(time.perf_counter() - started, 1),
               "threads": torch.get_num_threads()}
    classifier.save(out_dir / "model", metrics=metrics)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def _loss(dev_logits, y, has_y, pos_weight, sent_logits, sent, class_weight, sent_score, score, sentiment_weight,
          score_weight=1.0):
    loss = dev_logits.sum() * 0.0
    if has_y.any():
        loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(
            dev_logits[has_y], y[has_y], pos_weight=pos_weight)
    if sent_logits is not None:
        known = sent >= 0
        if known.any():
            loss = loss + sentiment_weight * torch.nn.functional.cross_entropy(
                sent_logits.float()[known], sent[known], weight=class_weight)
        finite = torch.isfinite(score)
        if finite.any():
            loss = loss + sentiment_weight * score_weight * torch.nn.functional.mse_loss(sent_score.float()[finite],
                                                                                         score[finite])
    return loss
