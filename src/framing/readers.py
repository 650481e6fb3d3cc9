"""Read articles from .txt, .jsonl, .csv and .html files (optionally gzipped) and folders.

Every input has a defined outcome: an :class:`~framing.types.Article`, or a
:class:`~framing.types.Skip` naming the file, the line and the problem. Readers never
raise on bad content, so one bad file or line never stops a batch.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .types import Article, Skip

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv", ".html", ".htm")
MAX_ARTICLE_CHARS = 50_000_000
_BINARY_SNIFF_BYTES = 8192


def read_articles(
    paths: Iterable[str | Path], *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Article | Skip]:
    """Yield every article found in ``paths`` (files or folders, searched recursively).

    Folders are walked in sorted order and only files with a supported suffix
    (``.txt .jsonl .csv .html .htm``, each optionally ``.gz``) are read; other files
    in a folder are recorded as skips. ``text_field``/``id_field`` name the fields of
    JSONL and CSV records; their other fields are kept as metadata.
    """
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from read_file(child, text_field=text_field, id_field=id_field)
        elif path.exists():
            yield from read_file(path, text_field=text_field, id_field=id_field)
        else:
            yield Skip(str(path), None, "no such file or folder")


def format_of(path: Path) -> str | None:
    """The reader format of ``path`` (``txt``, ``jsonl``, ``csv``, ``html``), or None."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for suffix in SUPPORTED_SUFFIXES:
        if name.endswith(suffix):
            return "html" if suffix == ".htm" else suffix[1:]
    return None


def article_stem(path: Path) -> str:
    """File name without its format suffix and ``.gz``: the id of a one-article file."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).stem


def read_file(path: Path, *, text_field: str = "text", id_field: str = "id") -> Iterator[Article | Skip]:
    """Yield the articles of one file, or skips explaining what could not be read."""
    fmt = format_of(path)
    if fmt is None:
        yield Skip(str(path), None, f"unsupported file type (expected one of {', '.join(SUPPORTED_SUFFIXES)}, optionally .gz)")
        return
    try:
        if fmt == "jsonl":  # streamed line by line: memory does not grow with the file
            yield from _read_jsonl(path, text_field, id_field)
            return
        raw = _read_bytes(path)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Skip(str(path), None, f"cannot read file: {exc}")
        return
    if not raw.strip():
        yield Skip(str(path), None, "empty file")
        return
    if b"\x00" in raw[:_BINARY_SNIFF_BYTES]:
        yield Skip(str(path), None, "binary file (NUL bytes), not text")
        return
    text = _decode(path, raw)
    if isinstance(text, Skip):
        yield text
    elif fmt == "txt":
        yield _checked(Article(article_stem(path), text, {}, str(path)))
    elif fmt == "csv":
        yield from _read_csv(path, text, text_field, id_field)
    else:
        yield _read_html(path, text)


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def _read_bytes(path: Path) -> bytes:
    with _open_binary(path) as fh:
        return fh.read()


def _decode(path: Path, raw: bytes, line: int | None = None) -> str | Skip:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = line if line is not None else raw.count(b"\n", 0, exc.start) + 1
        return Skip(str(path), bad_line, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")


def _checked(article: Article, line: int | None = None) -> Article | Skip:
    """Return the article, or a skip when its text is empty or over the size limit."""
    where = article.origin.rsplit(":", 1)[0] if line is not None else article.origin
    if not article.text.strip():
        return Skip(where, line, "empty article text", article.id)
    if len(article.text) > MAX_ARTICLE_CHARS:
        return Skip(where, line, f"article longer than {MAX_ARTICLE_CHARS:,} characters", article.id)
    return article


def _record_to_article(path: Path, line: int, record: object, text_field: str, id_field: str) -> Article | Skip:
    if not isinstance(record, dict):
        return Skip(str(path), line, f"expected a JSON object, got {type(record).__name__}")
    if text_field not in record:
        return Skip(str(path), line, f"missing text field {text_field!r} (fields: {', '.join(map(str, record)) or 'none'})")
    text = record[text_field]
    if not isinstance(text, str):
        return Skip(str(path), line, f"text field {text_field!r} is {type(text).__name__}, not a string")
    raw_id = record.get(id_field)
    article_id = str(raw_id) if raw_id not in (None, "") else f"{article_stem(path)}-{line}"
    metadata = {k: v for k, v in record.items() if k not in (text_field, id_field)}
    return _checked(Article(article_id, text, metadata, f"{path}:{line}"), line)


def _read_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[Article | Skip]:
    with _open_binary(path) as fh:
        if b"\x00" in fh.read(_BINARY_SNIFF_BYTES):
            yield Skip(str(path), None, "binary file (NUL bytes), not text")
            return
    seen_content = False
    with _open_binary(path) as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            seen_content = True
            decoded = _decode(path, line, line_no)
            if isinstance(decoded, Skip):
                yield decoded
                continue
            try:
                record = json.loads(decoded)
            except json.JSONDecodeError as exc:
                yield Skip(str(path), line_no, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            yield _record_to_article(path, line_no, record, text_field, id_field)
    if not seen_content:
        yield Skip(str(path), None, "empty file")


def _read_csv(path: Path, text: str, text_field: str, id_field: str) -> Iterator[Article | Skip]:
    csv.field_size_limit(MAX_ARTICLE_CHARS + 1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or text_field not in reader.fieldnames:
        yield Skip(str(path), 1, f"CSV header has no text column {text_field!r} (columns: {', '.join(reader.fieldnames or [])})")
        return
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                yield Skip(str(path), line, "row has more cells than the header")
                continue
            yield _record_to_article(path, line, {k: v for k, v in row.items() if v is not None}, text_field, id_field)
    except csv.Error as exc:
        yield Skip(str(path), reader.line_num, f"malformed CSV: {exc}")


def _read_html(path: Path, html: str) -> Article | Skip:
    """Extract the main text of an HTML page with trafilatura (scripts and styles dropped)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        text = trafilatura.html2txt(html) or ""
    metadata = {}
    if doc is not None:
        for key in ("title", "date", "url", "author", "sitename"):
            value = getattr(doc, key, None)
            if value:
                metadata[key] = value
    return _checked(Article(article_stem(path), text, metadata, str(path)))
