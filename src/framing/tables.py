"""Convert ``sentences.jsonl`` into flat CSV or Parquet tables, streaming in batches."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

BATCH_ROWS = 10_000
BASE_COLUMNS = ["article_id", "index", "start", "end", "text", "devices", "sentiment", "sentiment_score", "voice",
                "quote_spans", "evidence", "windows"]


def _batches(path: Path) -> Iterator[list[dict]]:
    with path.open(encoding="utf-8") as fh:
        while batch := [json.loads(line) for line in islice(fh, BATCH_ROWS)]:
            yield batch


def flat_row(record: dict, labels: list[str]) -> dict:
    """One sentence record as flat columns: devices joined by ';', a ``score_<label>`` column per label,
    spans and evidence as JSON text."""
    row = {
        "article_id": record["article_id"], "index": record["index"], "start": record["start"], "end": record["end"],
        "text": record["text"], "devices": ";".join(record["devices"]) if record["devices"] is not None else None,
        "sentiment": record["sentiment"], "sentiment_score": record["sentiment_score"], "voice": record["voice"],
        "quote_spans": json.dumps(record["quote_spans"]), "evidence": json.dumps(record["evidence"], ensure_ascii=False),
        "windows": record.get("windows", 1),
    }
    for label in labels:
        row[f"score_{label}"] = (record["scores"] or {}).get(label)
    return row


def _labels(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            scores = json.loads(line).get("scores")
            return list(scores) if scores else []
    return []


def convert_sentences(out_dir: Path, fmt: str) -> Path:
    """Write ``sentences.csv`` or ``sentences.parquet`` beside ``sentences.jsonl``; returns its path."""
    source = out_dir / "sentences.jsonl"
    labels = _labels(source)
    columns = BASE_COLUMNS + [f"score_{label}" for label in labels]
    target = out_dir / f"sentences.{fmt}"
    if fmt == "csv":
        with target.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for batch in _batches(source):
                writer.writerows(flat_row(r, labels) for r in batch)
        return target
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        fields = [pa.field(c, pa.int64() if c in ("index", "start", "end", "windows") else
                           pa.float64() if c == "sentiment_score" or c.startswith("score_") else pa.string())
                  for c in columns]
        schema = pa.schema(fields)
        with pq.ParquetWriter(target, schema) as writer:
            for batch in _batches(source):
                rows = [flat_row(r, labels) for r in batch]
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        return target
    raise ValueError(f"unknown table format {fmt!r} (csv, parquet)")
