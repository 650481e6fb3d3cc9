"""Article → sentence records: segmentation plus voice, the model-free half of scoring."""

from __future__ import annotations

from .segment import sentence_spans
from .types import Article, Sentence
from .voice import classify_voice, find_quote_spans


def article_sentences(article: Article) -> list[Sentence]:
    """Split ``article`` into :class:`Sentence` records with offsets, voice and quote spans."""
    text = article.text
    quotes = find_quote_spans(text)
    sentences = []
    for index, (start, end) in enumerate(sentence_spans(text)):
        voice, spans = classify_voice(text, start, end, quotes)
        sentences.append(Sentence(
            article_id=article.id, index=index, start=start, end=end, text=text[start:end], voice=voice,
            quote_spans=tuple((s.start, s.end) for s in spans),
            unbalanced_quote=any(not s.closed for s in spans),
        ))
    return sentences
