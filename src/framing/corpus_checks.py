"""Checks that a hand-written corpus is not templated: shared 8-word runs and over-used openings.

Standard library only, so writers can run ``scripts/check_corpus_parts.py`` before installing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

RUN_LENGTH = 8
MAX_OPENING_USES = 15
_QUOTE_RE = re.compile(r'"[^"]*"?|\u201c[^\u201d]*\u201d?')
_WORD_RE = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def words_with_quote_flag(text: str) -> list[tuple[str, bool]]:
    """Lower-cased words of ``text``, each flagged True when it lies inside quotation marks."""
    inside = [False] * len(text)
    for m in _QUOTE_RE.finditer(text):
        inside[m.start():m.end()] = [True] * (m.end() - m.start())
    return [(m.group(0), inside[m.start()]) for m in _WORD_RE.finditer(text.lower())]


def shared_runs(sentences: Iterable[tuple[str, str | None, str]]) -> list[tuple[str, list[str]]]:
    """Runs of 8 identical words shared by different sentences ``(id, pair_id, text)``.

    Allowed (not reported): a run shared only within one event (same ``pair_id``) where at
    least one occurrence lies inside quotation marks, i.e. a neutral report quoting its
    paired state-media article.
    """
    runs = defaultdict(list)
    for sid, pair, text in sentences:
        words = words_with_quote_flag(text)
        for j in range(len(words) - RUN_LENGTH + 1):
            window = words[j:j + RUN_LENGTH]
            runs[" ".join(w for w, _ in window)].append((sid, pair, any(q for _, q in window)))
    found = []
    for gram, occurrences in runs.items():
        ids = sorted({sid for sid, _, _ in occurrences})
        if len(ids) < 2:
            continue
        pairs = {p for _, p, _ in occurrences}
        if len(pairs) == 1 and None not in pairs and any(q for _, _, q in occurrences):
            continue
        found.append((gram, ids))
    return found


def overused_openings(texts: Iterable[str], limit: int = MAX_OPENING_USES) -> dict[str, int]:
    """First-four-word openings used more than ``limit`` times, with their counts."""
    counts = Counter(" ".join(w for w, _ in words[:4]) for words in map(words_with_quote_flag, texts) if len(words) >= 4)
    return {opening: n for opening, n in counts.items() if n > limit}
