"""``framing evaluate``: a model's metrics on a split, with baselines computed in the same run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from . import baselines
from .config import config_from_dict
from .labels import SENTIMENTS
from .metrics import bootstrap_f1, expected_calibration_error, f1_scores, micro_f1


def load_eval_rows(cfg, data: str | None, data_format: str | None) -> tuple[list[dict], str]:
    """The rows to evaluate on and a name for them: the config's test split by default,
    a corpus JSONL file, a SemEval-2023 folder (its dev set) or the NYT editorials (odd half)."""
    from .data import read_corpus_file, read_nyt_sentiment, read_semeval_split

    fmt = data_format or ("config" if data is None else "corpus")
    if fmt == "config":
        if cfg.data.format == "semeval2023":
            return read_semeval_split(cfg.data.path, "dev", cfg.labels), "semeval2023-dev"
        return read_corpus_file(cfg.data.test, cfg.labels, need_sentiment=cfg.sentiment), Path(cfg.data.test).stem
    if fmt == "corpus":
        return read_corpus_file(data, cfg.labels, need_sentiment=cfg.sentiment), Path(data).stem
    if fmt == "semeval2023":
        return read_semeval_split(data, "dev", cfg.labels), "semeval2023-dev"
    if fmt == "nyt":
        return read_nyt_sentiment(data, half="odd", n_labels=len(cfg.labels)), "nyt-odd"
    raise ValueError(f"unknown data format {fmt!r} (corpus, semeval2023, nyt)")


def _device_block(labels, gold, probs, pred, n_boot, seed):
    p, r, f = f1_scores(gold, pred)
    ci = bootstrap_f1(gold, pred, n_boot=n_boot, seed=seed)
    per_label = {lab: {"precision": float(p[j]), "recall": float(r[j]), "f1": float(f[j]),
                       "f1_ci95": [float(ci[j, 0]), float(ci[j, 1])], "support": int(gold[:, j].sum())}
                 for j, lab in enumerate(labels)}
    if probs is not None:
        for j, lab in enumerate(labels):
            per_label[lab]["ece"] = expected_calibration_error(gold[:, j], probs[:, j])
    return {"per_label": per_label, "micro_f1": micro_f1(gold, pred), "macro_f1": float(f.mean())}


def _sentiment_block(gold_cls, pred_cls, gold_score=None, pred_score=None):
    from sklearn.metrics import accuracy_score, f1_score

    out = {"accuracy": float(accuracy_score(gold_cls, pred_cls)),
           "macro_f1": float(f1_score(gold_cls, pred_cls, average="macro", labels=list(range(len(SENTIMENTS)))))}
    if gold_score is not None and pred_score is not None:
        out["pearson_r"] = float(np.corrcoef(gold_score, pred_score)[0, 1])
    return out


def evaluate(model_dir: str | Path, *, data: str | None = None, data_format: str | None = None,
             n_boot: int = 1000, seed: int = 0) -> dict:
    """Evaluate the model in ``model_dir`` and the baselines on the same rows; return every number."""
    from .data import load_dataset_dict
    from .model import FramingClassifier

    started = time.perf_counter()
    classifier = FramingClassifier.load(model_dir)
    cfg = config_from_dict(classifier.meta["config"])
    rows, name = load_eval_rows(cfg, data, data_format)
    texts = [r["text"] for r in rows]
    preds = classifier.predict(texts)
    result = {"model": str(model_dir), "data": name, "n_sentences": len(rows), "labels": classifier.labels,
              "thresholds": classifier.thresholds, "models": {}}
    model_block: dict = {}
    labelled = np.asarray([r["has_labels"] for r in rows], dtype=bool)
    gold = np.asarray([r["labels"] for r in rows], dtype=float)[labelled] > 0.5 if labelled.any() else None
    train_rows = None
    try:
        train_rows = load_dataset_dict(cfg, splits=("train",))["train"].to_list()
    except (FileNotFoundError, ValueError) as exc:
        result["baselines_skipped"] = f"training split not readable: {exc}"
    if gold is not None:
        probs = preds.device_probs[labelled]
        model_block["devices"] = _device_block(classifier.labels, gold, probs, classifier.decide(probs), n_boot, seed)
        lex = baselines.lexicon_predict([t for t, k in zip(texts, labelled) if k], classifier.labels)
        if any(lab in baselines.LEXICON for lab in classifier.labels):
            result["models"]["lexicon"] = {"devices": _device_block(classifier.labels, gold, None, lex, n_boot, seed)}
        if train_rows is not None:
            tr = [r for r in train_rows if r["has_labels"]]
            tf_probs = baselines.tfidf_logreg([r["text"] for r in tr], np.asarray([r["labels"] for r in tr]) > 0.5,
                                              [t for t, k in zip(texts, labelled) if k], seed=seed)
            result["models"]["tfidf_logreg"] = {"devices": _device_block(classifier.labels, gold, tf_probs, tf_probs >= 0.5, n_boot, seed)}
    sentiment_gold = np.asarray([r["sentiment"] for r in rows])
    known = sentiment_gold >= 0
    if preds.sentiment_probs is not None and known.any():
        gold_score = np.asarray([r["sentiment_score"] for r in rows])[known] if name == "nyt-odd" else None
        model_block["sentiment"] = _sentiment_block(sentiment_gold[known], preds.sentiment_probs[known].argmax(1),
                                                    gold_score, preds.sentiment_score[known])
        compound = baselines.vader_scores([t for t, k in zip(texts, known) if k])
        result["models"].setdefault("vader", {})["sentiment"] = _sentiment_block(
            sentiment_gold[known], baselines.vader_classes(compound), gold_score, compound)
        if train_rows is not None:
            tr = [r for r in train_rows if r["sentiment"] >= 0]
            cls = baselines.tfidf_sentiment([r["text"] for r in tr], np.asarray([r["sentiment"] for r in tr]),
                                            [t for t, k in zip(texts, known) if k])
            result["models"].setdefault("tfidf_logreg", {})["sentiment"] = _sentiment_block(sentiment_gold[known], cls)
    result["models"] = {"framing": model_block, **result["models"]}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def to_markdown(result: dict) -> str:
    """A markdown report: summary per model, then per-label F1 with 95 % intervals and calibration."""
    lines = [f"## Evaluation on `{result['data']}` ({result['n_sentences']} sentences)", "",
             "| model | device micro-F1 | device macro-F1 | sentiment acc. | sentiment macro-F1 | Pearson r |",
             "|---|---|---|---|---|---|"]
    fmt = lambda v: f"{v:.3f}" if isinstance(v, float) else "–"  # noqa: E731
    for name, block in result["models"].items():
        d, s = block.get("devices", {}), block.get("sentiment", {})
        lines.append(f"| {name} | {fmt(d.get('micro_f1'))} | {fmt(d.get('macro_f1'))} | {fmt(s.get('accuracy'))} "
                     f"| {fmt(s.get('macro_f1'))} | {fmt(s.get('pearson_r'))} |")
    devices = result["models"]["framing"].get("devices")
    if devices:
        others = [n for n in result["models"] if n != "framing" and "devices" in result["models"][n]]
        lines += ["", "| label | support | P | R | F1 (95 % CI) | ECE | threshold | " + " | ".join(f"{o} F1" for o in others) + " |",
                  "|---|---|---|---|---|---|---|" + "---|" * len(others)]
        for j, (lab, m) in enumerate(devices["per_label"].items()):
            extra = " | ".join(f"{result['models'][o]['devices']['per_label'][lab]['f1']:.3f}" for o in others)
            lines.append(f"| {lab} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
                         f"({m['f1_ci95'][0]:.2f}–{m['f1_ci95'][1]:.2f}) | {m.get('ece', 0):.3f} | "
                         f"{result['thresholds'][j]:.3f} | {extra} |")
    return "\n".join(lines) + "\n"


def write_evaluation(result: dict, out_dir: str | Path) -> Path:
    """Write ``evaluation.json`` and ``evaluation.md`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluation.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out_dir / "evaluation.md").write_text(to_markdown(result), encoding="utf-8")
    return out_dir
