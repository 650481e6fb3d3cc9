"""Record types passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One article: its id, full text, free-form metadata and where it was read from."""

    id: str
    text: str
    metadata: dict = field(default_factory=dict)
    origin: str = ""  # "path" or "path:line", for error messages


@dataclass(frozen=True)
class Skip:
    """An input that was not processed, and why (one line in ``errors.jsonl``)."""

    origin: str  # file path
    line: int | None
    reason: str
    article_id: str | None = None

    def message(self) -> str:
        """One-line human-readable form: ``path:line: reason``."""
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, with character offsets into the article text.

    ``text == article.text[start:end]`` always holds. ``quote_spans`` are offsets
    relative to the article text as well.
    """

    article_id: str
    index: int
    start: int
    end: int
    text: str
    voice: str = "reporter"
    quote_spans: tuple[tuple[int, int], ...] = ()
    unbalanced_quote: bool = False
