"""Streaming, resumable scoring runs: inputs → ``sentences.jsonl``, ``articles.jsonl``,
``errors.jsonl`` and ``run.json`` in an output folder.

Articles are scored in chunks. A chunk's sentence records are written and synced before its
article records, and an article record is the commit mark: on restart, partial lines and the
sentences of uncommitted articles are dropped, and committed articles (same id and content
hash) are skipped. A run killed at any moment therefore ends, once restarted, with exactly one
record per sentence. Memory is bounded by the chunk size, not by the number of articles.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .readers import format_of, read_articles
from .scoring import content_hash, prepare_batch, score_batch
from .types import Article, Skip

CHUNK_CHARS = 250_000
CHUNK_ARTICLES = 256
SENTENCES = "sentences.jsonl"
ARTICLES = "articles.jsonl"
ERRORS = "errors.jsonl"
RUN = "run.json"


@dataclass
class RunSummary:
    """Counts and timings of one scoring run (also written to ``run.json``)."""

    articles_scored: int = 0
    articles_resumed: int = 0
    sentences_scored: int = 0
    skipped: int = 0
    seconds: float = 0.0
    skips: list[Skip] = field(default_factory=list)


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n"


def recover(out_dir: Path) -> dict[str, str]:
    """Make an output folder consistent after an interruption; return ``{article_id: content_hash}`` of finished articles."""
    done: dict[str, str] = {}
    articles, sentences = out_dir / ARTICLES, out_dir / SENTENCES
    if articles.exists():
        kept = []
        with articles.open("rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break  # a partial last line: that article was never committed
                rec = json.loads(line)
                done[rec["article_id"]] = rec["content_hash"]
                kept.append(line)
        _rewrite(articles, kept)
    if sentences.exists():
        seen = set()
        kept = []
        with sentences.open("rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                rec = json.loads(line)
                key = (rec["article_id"], rec["index"])
                if rec["article_id"] in done and key not in seen:
                    seen.add(key)
                    kept.append(line)
        _rewrite(sentences, kept)
    return done


def read_scored_sentences(folder: Path, article_ids) -> dict[str, list[dict]]:
    """Sentence records of ``article_ids`` from a scored folder, each article's list in sentence order."""
    by_article: dict[str, list[dict]] = {aid: [] for aid in article_ids}
    with (Path(folder) / SENTENCES).open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["article_id"] in by_article:
                by_article[record["article_id"]].append(record)
    for records in by_article.values():
        records.sort(key=lambda r: r["index"])
    return by_article


def _rewrite(path: Path, lines: list[bytes]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as fh:
        fh.writelines(lines)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def count_articles(inputs: list[str]) -> int | None:
    """Cheap count of the articles in ``inputs`` (JSONL lines, CSV rows are not counted exactly), for the ETA."""
    import gzip

    total = 0
    for root in map(Path, inputs):
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            fmt = format_of(f)
            if fmt == "jsonl":
                opener = gzip.open if f.name.lower().endswith(".gz") else open
                try:
                    with opener(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except (OSError, EOFError):
                    pass
            elif fmt is not None:
                total += 1
    return total or None


def run_scoring(inputs: list[str], out_dir: str | Path, classifier, *, text_field: str = "text", id_field: str = "id",
                batch_size: int = 64, device: str = "cpu", limit: int | None = None, progress: bool = True,
                evidence: bool = True, model_info: dict | None = None, workers: int = 0) -> RunSummary:
    """Score every article of ``inputs`` into ``out_dir``, resuming a previous run there.

    With ``workers`` > 0, worker processes read ahead: they segment, attribute voice and tokenize
    the next chunks while the model scores the current one (so a GPU does not wait on the CPU).
    Output is byte-identical whatever the number of workers.
    """
    from tqdm.auto import tqdm

    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = recover(out_dir)
    summary = RunSummary()
    bar = tqdm(total=count_articles(inputs) if progress else None, disable=not progress, unit="article",
               desc="scoring", dynamic_ncols=True)
    with (out_dir / SENTENCES).open("a", encoding="utf-8") as sent_fh, \
            (out_dir / ARTICLES).open("a", encoding="utf-8") as art_fh, \
            (out_dir / ERRORS).open("w", encoding="utf-8") as err_fh:

        def skip(item: Skip) -> None:
            summary.skipped += 1
            summary.skips.append(item)
            err_fh.write(_dumps({"origin": item.origin, "line": item.line, "article_id": item.article_id,
                                 "reason": item.reason}))
            err_fh.flush()

        def flush(chunk: list[Article], prepared) -> None:
            pending = []
            for article, records in _score_safely(chunk, classifier, batch_size, device, evidence, skip, prepared):
                sent_fh.writelines(_dumps(r) for r in records)
                summary.sentences_scored += len(records)
                pending.append(article)
            sent_fh.flush()
            os.fsync(sent_fh.fileno())
            art_fh.writelines(_dumps(a) for a in pending)  # the commit mark, written after the sentences
            art_fh.flush()
            os.fsync(art_fh.fileno())
            summary.articles_scored += len(pending)
            bar.update(len(chunk))
            bar.set_postfix(sent_per_s=f"{summary.sentences_scored / max(time.perf_counter() - started, 1e-9):.0f}")

        chunks = _chunks(inputs, text_field, id_field, limit, done, summary, skip, bar, out_dir)
        if workers > 0:
            _run_with_workers(chunks, flush, workers, classifier, evidence)
        else:
            for chunk in chunks:
                flush(chunk, None)
    bar.close()
    summary.seconds = time.perf_counter() - started
    _write_run_json(out_dir, inputs, summary, model_info or {}, batch_size, device)
    return summary


def _chunks(inputs, text_field, id_field, limit, done, summary, skip, bar, out_dir):
    """Articles still to score, in chunks bounded by characters and count; skips are recorded on the way."""
    seen: dict[str, str] = {}
    chunk: list[Article] = []
    chars = n_read = 0
    for item in read_articles(inputs, text_field=text_field, id_field=id_field):
        if isinstance(item, Skip):
            skip(item)
            bar.update(1 if item.line is not None else 0)
            continue
        n_read += 1
        if limit is not None and n_read > limit:
            break
        origin = item.origin.rsplit(":", 1)[0] if _line_of(item) is not None else item.origin
        if item.id in seen:
            skip(Skip(origin, _line_of(item), f"duplicate article id {item.id!r} (first read at {seen[item.id]})", item.id))
            bar.update(1)
            continue
        seen[item.id] = item.origin
        if item.id in done:
            if done[item.id] == content_hash(item):
                summary.articles_resumed += 1
            else:
                skip(Skip(origin, _line_of(item), f"article id {item.id!r} was already scored in {out_dir} with different text",
                          item.id))
            bar.update(1)
            continue
        chunk.append(item)
        chars += len(item.text)
        if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_ARTICLES:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


_WORKER_STATE: dict = {}


def _init_worker(tokenizer, max_length, evidence):
    _WORKER_STATE.update(tokenizer=tokenizer, max_length=max_length, evidence=evidence)


def _prepare_in_worker(chunk):
    return prepare_batch(chunk, _WORKER_STATE["tokenizer"], _WORKER_STATE["max_length"], _WORKER_STATE["evidence"])


def _run_with_workers(chunks, flush, workers: int, classifier, evidence: bool) -> None:
    """Prepare chunks in ``workers`` processes, at most ``workers + 1`` ahead, and flush them in order."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    tokenizer = classifier.tokenizer if classifier is not None else None
    max_length = classifier.max_length if classifier is not None else 0
    context = multiprocessing.get_context("spawn")  # no fork of a process holding torch threads
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(tokenizer, max_length, evidence)) as pool:
        pending = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_prepare_in_worker, chunk)))
            if len(pending) > workers + 1:
                done_chunk, future = pending.popleft()
                flush(done_chunk, _result_or_none(future))
        while pending:
            done_chunk, future = pending.popleft()
            flush(done_chunk, _result_or_none(future))


def _result_or_none(future):
    """A worker's prepared chunk, or None (the chunk is then prepared inline, where failures are isolated)."""
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - the inline path re-runs the chunk and records per-article failures
        return None


def _line_of(article: Article) -> int | None:
    head, sep, tail = article.origin.rpartition(":")
    return int(tail) if sep and tail.isdigit() else None


def _score_safely(chunk, classifier, batch_size, device, evidence, skip, prepared=None):
    """Score a chunk; if it fails, score its articles one by one and record the ones that fail."""
    try:
        return score_batch(chunk, classifier, batch_size=batch_size, device=device, evidence=evidence, prepared=prepared)
    except Exception:  # noqa: BLE001 - isolate the failing article below; each failure is recorded
        results = []
        for article in chunk:
            try:
                results += score_batch([article], classifier, batch_size=batch_size, device=device, evidence=evidence)
            except Exception as exc:  # noqa: BLE001
                skip(Skip(article.origin.rsplit(":", 1)[0], _line_of(article), f"scoring failed: {type(exc).__name__}: {exc}", article.id))
        return results


def _write_run_json(out_dir: Path, inputs, summary: RunSummary, model_info: dict, batch_size: int, device: str) -> None:
    import importlib.metadata as md

    versions = {}
    for pkg in ("framing", "torch", "transformers", "sentencex", "peft"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rate = summary.sentences_scored / summary.seconds if summary.seconds else 0.0
    run = {"inputs": [str(i) for i in inputs], "model": model_info, "batch_size": batch_size, "device": device,
           "counts": {"articles_scored": summary.articles_scored, "articles_resumed": summary.articles_resumed,
                      "sentences_scored": summary.sentences_scored, "skipped": summary.skipped},
           "timings": {"seconds": round(summary.seconds, 2), "sentences_per_second": round(rate, 1),
                       "peak_rss_mb": round(peak_kb / 1024, 1)},
           "versions": {"python": platform.python_version(), **versions}, "argv": sys.argv}
    (out_dir / RUN).write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
