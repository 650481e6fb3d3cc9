"""Load annotated data into a ``datasets.DatasetDict`` with one schema for every label set.

Columns: ``id``, ``article_id``, ``text``, ``labels`` (multi-hot floats in config label
order), ``has_labels`` (False for sentiment-only rows), ``sentiment`` (class index, -1 when
unknown) and ``sentiment_score`` (continuous gold in [-1, 1], NaN when unknown; when a training
set has no continuous gold at all, the classes stand in as -1, 0 and 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .config import Config
from .labels import SENTIMENTS

REQUIRED_CORPUS_FIELDS = ("id", "article_id", "text", "devices")
_SENTIMENT_SCORE = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
# The SemEval-2023 train labels contain one misspelt technique name; it is mapped to the real one.
SEMEVAL_LABEL_FIXES = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


class DataError(ValueError):
    """A data file breaks the schema; the message names the file, the line and the problem."""


def _row(rid, article_id, text, devices, labels, sentiment=None, score=None, has_labels=True):
    hot = [0.0] * len(labels)
    for d in devices:
        hot[labels.index(d)] = 1.0
    sentiment_index = SENTIMENTS.index(sentiment) if sentiment is not None else -1
    if score is None:
        score = math.nan
    return {"id": rid, "article_id": article_id, "text": text, "labels": hot, "has_labels": has_labels,
            "sentiment": sentiment_index, "sentiment_score": float(score)}


def read_corpus_file(path: str | Path, labels: list[str], *, need_sentiment: bool = True) -> list[dict]:
    """Read one corpus JSONL split, checking every line against the schema and ``labels``."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: data file not found")
    rows, seen = [], set()
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: invalid JSON ({exc.msg})") from None
            missing = [f for f in REQUIRED_CORPUS_FIELDS + (("sentiment",) if need_sentiment else ()) if f not in rec]
            if missing:
                raise DataError(f"{where}: missing field(s) {', '.join(missing)}")
            unknown = [d for d in rec["devices"] if d not in labels]
            if unknown:
                raise DataError(f"{where}: unknown label(s) {', '.join(unknown)}; the config's labels are {', '.join(labels)}")
            sentiment = rec.get("sentiment") if need_sentiment else None
            if sentiment is not None and sentiment not in SENTIMENTS:
                raise DataError(f"{where}: sentiment {sentiment!r} is not one of {', '.join(SENTIMENTS)}")
            if rec["id"] in seen:
                raise DataError(f"{where}: duplicate id {rec['id']!r}")
            seen.add(rec["id"])
            rows.append(_row(rec["id"], rec["article_id"], rec["text"], rec["devices"], labels, sentiment))
    return rows


def check_article_splits(splits: dict[str, list[dict]]) -> None:
    """Raise when one article's sentences appear in more than one split."""
    owner: dict[str, str] = {}
    for name, rows in splits.items():
        for r in rows:
            first = owner.setdefault(r["article_id"], name)
            if first != name:
                raise DataError(f"article {r['article_id']!r} is split across {first} and {name}: split by article")


NYT_HALVES = ("even", "odd", "even-train", "even-dev")


def read_nyt_sentiment(folder: str | Path, *, half: str, n_labels: int = 0) -> list[dict]:
    """Sentences of the VADER NYT-editorial set: ``half`` is ``even`` or ``odd`` editorial numbers.

    ``even-dev`` is every fifth even editorial (numbers 2, 12, 22, ...) and ``even-train`` the other
    even ones, so training can select epochs on editorials it never saw without touching the odd
    (benchmark) half. Gold ratings in [-4, 4] become scores in [-1, 1]; classes use the ±0.5 cut
    of the published baseline.
    """
    if half not in NYT_HALVES:
        raise ValueError(f"half must be one of {NYT_HALVES}, got {half!r}")
    path = Path(folder) / "nytEditorialSnippets_GroundTruth.txt"
    if not path.exists():
        raise DataError(f"{path}: NYT editorial file not found")
    rows = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8", errors="strict").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t", 2)
        if len(parts) != 3:
            raise DataError(f"{path}:{line_no}: expected id<TAB>rating<TAB>sentence")
        sid, rating, text = parts
        editorial = int(sid.split("_")[0])
        if (editorial % 2 == 0) != half.startswith("even"):
            continue
        if half in ("even-train", "even-dev") and ((editorial // 2) % 5 == 1) != (half == "even-dev"):
            continue
        rating = float(rating)
        sentiment = "positive" if rating > 0.5 else "negative" if rating < -0.5 else "neutral"
        row = _row(f"nyt-{sid}", f"nyt-{editorial}", text, [], [None] * n_labels, sentiment, score=rating / 4.0,
                   has_labels=False)
        rows.append(row)
    return rows


def read_semeval_split(folder: str | Path, split: str, labels: list[str]) -> list[dict]:
    """Lines of SemEval-2023 Task 3 subtask 3 (``train`` or ``dev``) with their techniques."""
    folder = Path(folder)
    label_file = folder / f"{split}-labels-subtask-3.txt"
    articles = folder / f"{split}-articles-subtask-3"
    if not label_file.exists():
        raise DataError(f"{label_file}: SemEval label file not found")
    cache: dict[str, list[str]] = {}
    rows = []
    for line_no, line in enumerate(label_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        article_id, number = parts[0], int(parts[1])
        names = [SEMEVAL_LABEL_FIXES.get(n, n) for n in (parts[2].split(",") if len(parts) > 2 and parts[2] else [])]
        unknown = [n for n in names if n not in labels]
        if unknown:
            raise DataError(f"{label_file}:{line_no}: unknown label(s) {', '.join(unknown)}")
        if article_id not in cache:
            cache[article_id] = (articles / f"article{article_id}.txt").read_text(encoding="utf-8").splitlines()
        text = cache[article_id][number - 1].strip()
        if text:
            rows.append(_row(f"{article_id}-{number}", article_id, text, names, labels, has_labels=True))
    return rows


def _split_off_dev(rows: list[dict], fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    import random

    articles = sorted({r["article_id"] for r in rows})
    random.Random(seed).shuffle(articles)
    dev_articles = set(articles[: max(1, int(len(articles) * fraction))])
    return [r for r in rows if r["article_id"] not in dev_articles], [r for r in rows if r["article_id"] in dev_articles]


def load_dataset_dict(cfg: Config, *, splits: tuple[str, ...] = ("train", "dev", "test")):
    """Load the splits named in ``cfg.data`` as a ``DatasetDict`` in the common schema.

    For SemEval, ``dev`` is carved from train articles (for early stopping and thresholds)
    and ``test`` is the official dev set, whose gold labels are public.
    """
    from datasets import Dataset, DatasetDict

    data = cfg.data
    if data.format == "corpus":
        loaded = {name: read_corpus_file(getattr(data, name), cfg.labels, need_sentiment=cfg.sentiment)
                  for name in splits}
    else:
        train_rows = read_semeval_split(data.path, "train", cfg.labels)
        train_rows, dev_rows = _split_off_dev(train_rows, data.dev_fraction, cfg.train.seed)
        everything = {"train": train_rows, "dev": dev_rows, "test": read_semeval_split(data.path, "dev", cfg.labels)}
        loaded = {name: everything[name] for name in splits}
    check_article_splits(loaded)
    if data.extra_sentiment:
        # the even half trains, minus a fifth of its editorials that joins dev for model selection
        for name, half in (("train", "even-train"), ("dev", "even-dev")):
            if name in loaded:
                loaded[name] = loaded[name] + read_nyt_sentiment(data.extra_sentiment, half=half, n_labels=len(cfg.labels))
    if cfg.sentiment and "train" in loaded and not any(math.isfinite(r["sentiment_score"]) for r in loaded["train"]):
        # no continuous gold to learn the score from: fall back to the classes (-1, 0, 1)
        for rows in loaded.values():
            for r in rows:
                if r["sentiment"] >= 0:
                    r["sentiment_score"] = _SENTIMENT_SCORE[SENTIMENTS[r["sentiment"]]]
    for name, rows in loaded.items():
        if not rows:
            raise DataError(f"the {name} split is empty: nothing to {'train on' if name == 'train' else 'evaluate'}")
    return DatasetDict({name: Dataset.from_list(rows) for name, rows in loaded.items()})
