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
_MARKS_RE = re.compile('[\n"\u201c\u201d\u201e\u2018\u2019]')
_ALNUM_RE = re.compile(r"[^\W_]")
_OPENERS = "\u201c\u201e"
_CLOSERS = "\u201d"
_ATTRIBUTION_RE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|noted|notes|added|adds|claimed|claims|declared|declares"
    r"|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|insisted|insists|warned|warns"
    r"|wrote|writes|reported|reports|reporting|asserted|asserts|affirmed|vowed|urged|urges|argued|argues"
    r"|explained|remarked|commented|recalled|alleged|alleges|accused|quoted|quoting"
    r"|cited|citing|according\s+to|in\s+a\s+(?:statement|speech|message|letter|report|commentary|editorial)"
    r"|pointed\s+out|(?:confirmed|acknowledged|admitted|believes?|thinks?|estimated|predicted)\s+that"
    # speech acts that carry content (codebook 5.2 step 3, changes 13 and 22): praise, thanks,
    # wishes, pledges, promises, orders, denials, estimates, in any clause and as participles
    r"|prais(?:ed|es|ing)|hail(?:ed|s|ing)|laud(?:ed|s|ing)|thank(?:ed|s|ing)|wish(?:ed|es|ing)"
    r"|pledg(?:ed|es|ing)|promis(?:ed|es|ing)|assur(?:ed|es|ing)|vow(?:s|ing)|urging|reaffirm(?:ed|s|ing)"
    r"|congratulat(?:ed|es|ing)|condemn(?:ed|s|ing)|denounc(?:ed|es|ing)|demand(?:ed|s|ing)"
    r"|den(?:ied|ies|ying)|caution(?:ed|s|ing)|describ(?:ed|es|ing)\s+(?:\w+\s+){0,6}?as"
    r"|call(?:ed|s)\s+(?:on|for|upon)|calling|dubb(?:ed|ing)|brand(?:ed|ing)"
    r"|is\s+(?:believed|estimated|expected|reported|said|thought)\s+to|estimat(?:es|ing)"
    r"|complain(?:ed|s|ing)?\s+(?:of|that|about)|express(?:ed|es|ing)|convey(?:ed|s|ing)"
    r"|ordered|instruct(?:ed|s|ing)|proclaim(?:ed|s|ing)|appeal(?:ed|s|ing)\s+(?:to|for)"
    r"|call(?:s|ed)?\s+(?:it|them|him|her|this|that)|put\s+it|sp(?:oke|eaks?)\s+of|claim|tell"
    r"|reject(?:ed|s|ing)|recall(?:s|ing)|highlight(?:ed|s|ing)|announc(?:ed|es|ing)|repudiat(?:ed|es|ing))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: offsets include the quotation marks; ``closed`` is False when unbalanced."""

    start: int
    end: int
    closed: bool = True


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Find quoted passages in ``text`` (straight and curly double quotes, and single curly quotes
    outside double ones, with apostrophes told apart), line by line."""
    spans: list[QuoteSpan] = []
    line_start = 0
    open_at: int | None = None
    single_at: int | None = None  # an open single curly quote (‘…’), used as outer quotes in headlines
    for match in _MARKS_RE.finditer(text):  # only quote marks and line ends matter
        i, ch = match.start(), match.group(0)
        if ch == "\n":
            if open_at is not None:
                spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, i), closed=False))
                open_at = None
            single_at = None
            line_start = i + 1
        elif ch == "\u2018" and open_at is None and single_at is None:
            single_at = i
        elif ch == "\u2019" and single_at is not None and not (_alnum_at(text, i - 1) and _alnum_at(text, i + 1)):
            spans.append(QuoteSpan(single_at, i + 1))
            single_at = None
        elif ch in _OPENERS or (ch == '"' and _opens(text, i, open_at is not None)):
            if open_at is not None:  # a new opening before the last closed: end the old span here
                spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, i), closed=False))
            open_at = i
            single_at = None
        elif ch in _CLOSERS or ch == '"':
            if open_at is None:  # a closing mark with no opening: quoted from the line start
                spans.append(QuoteSpan(line_start, i + 1, closed=False))
            else:
                spans.append(QuoteSpan(open_at, i + 1))
                open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at, _rstrip_end(text, open_at, len(text)), closed=False))
    return sorted(spans, key=lambda s: s.start)


def _alnum_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


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

    A unit without closing punctuation and without an unclosed quotation (a headline, a
    heading, a bullet fragment) is ``reporter``. Otherwise the attribution tag is set aside (a leading "X said" up to its
    cue, or a whole unquoted stretch after or between quotations that holds a cue), and
    the sentence is ``quoted`` when quotations hold at least half of the remaining letters,
    ``attributed`` when an attribution cue was found, ``reporter`` otherwise. The tag of a
    trailing or middle stretch is the comma-delimited clause that holds the cue.
    Returns the voice and the quote spans clipped to the sentence (article offsets).
    """
    inside = [QuoteSpan(max(s.start, start), min(s.end, end), s.closed)
              for s in spans if s.start < end and s.end > start]
    sentence = text[start:end]
    if not _HAS_FINAL_STOP.search(sentence) and all(s.closed for s in inside):
        return "reporter", inside
    segments, cursor = [], start
    for s in inside:
        segments.append(("plain", text[cursor:s.start]))
        segments.append(("quote", text[s.start:s.end]))
        cursor = s.end
    segments.append(("plain", text[cursor:end]))
    quoted = counted = 0
    attributed = False
    for k, (kind, piece) in enumerate(segments):
        letters = _letters(piece)
        if kind == "quote":
            quoted += letters
            counted += letters
            continue
        cue = _attribution_cue(piece)
        if cue is None:
            counted += letters
            continue
        attributed = True
        if k == 0 and len(segments) > 1:  # leading "The agency said (that)": only the tag is set aside
            counted += _letters(piece[cue.end():])
        else:  # trailing or middle ", the agency said,": the clause holding the cue is set aside
            left = max(piece.rfind(c, 0, cue.start()) for c in ",;:")
            right = min((i for i in (piece.find(c, cue.end()) for c in ",;:") if i >= 0), default=len(piece))
            counted += _letters(piece[:max(left, 0)]) + _letters(piece[right:])
    if counted and quoted / counted >= QUOTED_SHARE:
        return "quoted", inside
    return ("attributed" if attributed else "reporter"), inside


def _letters(piece: str) -> int:
    return len(_ALNUM_RE.findall(piece))


def _attribution_cue(piece: str) -> re.Match | None:
    """The first attribution cue in an unquoted stretch, ignoring idioms and adjectival uses."""
    for match in _ATTRIBUTION_RE.finditer(piece):
        before = piece[:match.start()].split()
        previous = before[-1].lower().strip(",;:") if before else ""
        cue = match.group(0).lower()
        if previous in _NOT_SPEECH_BEFORE or (previous == "that" and cue == "said") \
                or (cue == "claimed" and previous in ("has", "have", "had")):
            continue
        if match.group(0).lower().startswith("according") and _NOT_SOURCE_AFTER.match(piece, match.end()):
            continue
        return match
    return None


_HAS_FINAL_STOP = re.compile(r"[.!?\u2026][\"\u201d\u2019')\]]*\s*$")
# "the stated aim", "a noted painter", "did not say", "declined to say", "that said", "all told";
# "the war has claimed lives" is handled beside them
_NOT_SPEECH_BEFORE = frozenset("the a an its their his her our your several many so-called not never n't to all".split())
_NOT_SOURCE_AFTER = re.compile(r"\s+(?:the\s+)?(?:plan|schedule|tradition|custom|protocol)\b", re.IGNORECASE)
