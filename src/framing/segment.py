"""Split article text into sentences with character offsets.

The segmenter is `sentencex` (Wikimedia's rule-based segmenter, Rust core), run on line
blocks: a line that ends without sentence punctuation and is followed by a capitalised line
is a heading or bullet and stays a unit of its own; a line followed by a lower-case
continuation (hard-wrapped text) is joined with it. Units longer than
``MAX_SENTENCE_CHARS`` (scraped text without punctuation) are cut at whitespace so one
unit never holds a whole file. Offsets always satisfy ``text[start:end] == sentence``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import sentencex

MAX_SENTENCE_CHARS = 2000
_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_END = frozenset('.!?:;"\u201d\u2019)\u2026')
_BULLET_RE = re.compile(r"\s*(?:[-*\u2022\u25aa\u2013]|\d{1,3}[.)])\s")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``, in order.

    >>> t = "Military alliance\\nKim met Putin in the U.S. on Jan. 5. They talked."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Military alliance', 'Kim met Putin in the U.S. on Jan. 5.', 'They talked.']
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        for boundary in sentencex.get_sentence_boundaries("en", block):
            start, end = _strip(block, boundary["start_index"], boundary["end_index"])
            if start < end:
                spans.extend(_cut_long(text, block_start + start, block_start + end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Line blocks: lines joined when the next one continues a hard-wrapped sentence."""
    block_start = block_end = None
    for match in _LINE_RE.finditer(text):
        line = match.group(0)
        if not line.strip():
            continue
        if block_start is not None and _continues(text[block_start:block_end], line):
            block_end = match.end()
            continue
        if block_start is not None:
            yield block_start, block_end
        block_start, block_end = match.start(), match.end()
    if block_start is not None:
        yield block_start, block_end


def _continues(previous: str, line: str) -> bool:
    stripped_prev = previous.rstrip()
    first = line.lstrip()[:1]
    return bool(stripped_prev) and stripped_prev[-1] not in _SENTENCE_END and first.islower() \
        and not _BULLET_RE.match(line)


def _strip(block: str, start: int, end: int) -> tuple[int, int]:
    while start < end and block[start].isspace():
        start += 1
    while end > start and block[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        yield start, piece_end
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end
