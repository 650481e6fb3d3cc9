"""Who speaks in a sentence: the reporter, a direct quotation, or an attributed source.

Quotation marks are matched over the whole article, one line (paragraph) at a time, so a
quotation that runs across a sentence end marks both sentences. Straight quotes are read as
opening or closing from the characters around them; curly quotes by their shape. An opening
quote that never closes runs to the end of its line and is flagged, never an error.

A sentence is ``quoted`` when at least half of its letters and digits lie inside quotation
marks, ``attributed`` when its unquoted part carries an attribution cue ("said", "according
to", "was quoted as saying", "told reporters", ...), and ``reporter`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTED_SHARE = 0.5
_OPENERS = "\u201c\u201e"
_CLOSERS = "\u201d"
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|noted|notes|added|adds|claimed|claims|declared|declares"
    r"|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|insisted|insists|warned|warns"
    r"|wrote|writes|reported|reports|reporting|asserted|asserts|affirmed|vowed|urged|urges|argued|argues"
    r"|explained|remarked|commented|recalled|alleged|alleges|accused|quoted|quoting"
    r"|cited|citing|according\s+to|in\s+a\s+(?:statement|speech|message|letter|report|commentary|editorial)"
    r"|pointed\s+out|(?:announced|confirmed|denied|acknowledged|admitted|believes?|thinks?|estimated|predicted)\s+that)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: offsets include the quotation marks; ``closed`` is False when unbalanced."""

    start: int
    end: int
    closed: bool = True


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Find quoted passages in ``text`` (straight and curly double quotes), line by line."""
    spans: list[QuoteSpan] = []
    line_start = 0
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            if open_at is not None:
                spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, i), closed=False))
                open_at = None
            line_start = i + 1
        elif ch in _OPENERS or (ch == '"' and _opens(text, i, open_at is not None)):
            if open_at is not None:  # a new opening before the last closed: end the old span here
                spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, i), closed=False))
            open_at = i
        elif ch in _CLOSERS or ch == '"':
            if open_at is None:  # a closing mark with no opening: quoted from the line start
                spans.append(QuoteSpan(line_start, i + 1, closed=False))
            else:
                spans.append(QuoteSpan(open_at, i + 1))
                open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, len(text)), closed=False))
    return spans


def _opens(text: str, i: int, inside: bool) -> bool:
    """Whether the straight quote at ``i`` opens a quotation (from its neighbours, then state)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    can_open = (before.isspace() or before in "([{\u2014-/") and not after.isspace()
    can_close = not before.isspace() and (after.isspace() or not after.isalnum())
    if can_open != can_close:
        return can_open
    return not inside


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def classify_voice(text: str, start: int, end: int, spans: list[QuoteSpan]) -> tuple[str, list[QuoteSpan]]:
    """Voice of the sentence ``text[start:end]`` given the article's quote spans.

    Returns the voice and the quote spans clipped to the sentence (article offsets).
    """
    inside = [QuoteSpan(max(s.start, start), min(s.end, end), s.closed)
                  for s in spans if s.start < end and s.end > start]
    quoted_mask = [False] * (end - start)
    for s in inside:
        for k in range(s.start - start, s.end - start):
            quoted_mask[k] = True
    letters = quoted = 0
    unquoted_chars = []
    for k in range(end - start):
        ch = text[start + k]
        if ch.isalnum():
            letters += 1
            quoted += quoted_mask[k]
        unquoted_chars.append(" " if quoted_mask[k] else ch)
    if letters and quoted / letters >= QUOTED_SHARE:
        return "quoted", inside
    if _ATTRIBUTION_RE.search("".join(unquoted_chars)):
        return "attributed", inside
    return "reporter", inside
