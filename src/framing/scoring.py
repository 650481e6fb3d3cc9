"""Score a batch of articles: a pure function from articles to sentence and article records.

No I/O happens here, so a distributed engine can map :func:`score_batch` over partitions.

``framing_score`` of an article (or of one voice's sentences) is the mean over its sentences
of the strongest predicted device probability, counting 0 for a sentence with no device above
its threshold: 0 when nothing is framed, 1 when every sentence carries a device with
certainty. It grows both with how much of the text is framed and with how strongly.
"""

from __future__ import annotations

import hashlib

import numpy as np

from .labels import SENTIMENTS
from .sentences import article_sentences
from .types import Article

PROB_DECIMALS = 4
VOICE_GROUPS = {"reporter": ("reporter",), "quoted_or_attributed": ("quoted", "attributed")}


def content_hash(article: Article) -> str:
    """SHA-1 of the article text: with the id, the key that tells a finished article on resume."""
    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()


def prepare_batch(articles: list[Article], tokenizer=None, max_length: int = 128, evidence: bool = True):
    """The CPU half of scoring: sentences (segmentation, voice) and, given a tokenizer, their token ids.

    Pure and picklable, so worker processes can prepare the next batch while the model runs.
    """
    per_article = [article_sentences(a) for a in articles]
    encoded = None
    if tokenizer is not None:
        from .model import encode_texts

        encoded = encode_texts(tokenizer, [s.text for sents in per_article for s in sents], max_length, offsets=evidence)
    return per_article, encoded


def score_batch(articles: list[Article], classifier, *, batch_size: int = 64, device: str = "cpu",
                evidence: bool = True, prepared=None) -> list[tuple[dict, list[dict]]]:
    """Score ``articles``: returns one ``(article_record, sentence_records)`` pair per article.

    Sentences of all articles are predicted together, in length-sorted batches. With
    ``classifier=None`` only segmentation and voice are filled in (devices and sentiment null).
    ``prepared`` is :func:`prepare_batch`'s result for ``articles`` when a worker computed it.
    """
    per_article, encoded = prepared if prepared is not None else prepare_batch(articles)
    flat = [s for sents in per_article for s in sents]
    preds = classifier.predict([s.text for s in flat], batch_size=batch_size, device=device, evidence=evidence,
                               encoded=encoded) if classifier is not None and flat else None
    above = classifier.decide(preds.device_probs) if preds is not None else None
    out, row = [], 0
    for article, sentences in zip(articles, per_article):
        records = []
        for s in sentences:
            records.append(_sentence_record(s, classifier, preds, above, row))
            row += 1
        out.append((article_record(article, records, classifier.labels if classifier else []), records))
    return out


def _sentence_record(s, classifier, preds, above, row: int) -> dict:
    record = {"article_id": s.article_id, "index": s.index, "start": s.start, "end": s.end, "text": s.text,
              "devices": None, "scores": None, "sentiment": None, "sentiment_score": None, "voice": s.voice,
              "quote_spans": [list(q) for q in s.quote_spans], "evidence": None}
    if s.unbalanced_quote:
        record["unbalanced_quote"] = True
    if preds is None:
        return record
    probs = preds.device_probs[row]
    record["devices"] = [lab for lab, hit in zip(classifier.labels, above[row]) if hit]
    record["scores"] = {lab: round(float(p), PROB_DECIMALS) for lab, p in zip(classifier.labels, probs)}
    if preds.sentiment_probs is not None:
        record["sentiment"] = SENTIMENTS[int(preds.sentiment_probs[row].argmax())]
        record["sentiment_score"] = round(float(preds.sentiment_score[row]), PROB_DECIMALS)
    record["evidence"] = preds.evidence[row] if preds.evidence is not None else {}
    if preds.n_windows[row] > 1:
        record["windows"] = int(preds.n_windows[row])
    return record


def framing_figures(records: list[dict], labels: list[str]) -> dict:
    """Counts, rates, framing score and mean sentiment of a list of sentence records."""
    n = len(records)
    counts = {lab: sum(lab in (r["devices"] or ()) for r in records) for lab in labels}
    strengths = [max((r["scores"][d] for d in r["devices"]), default=0.0) if r["devices"] else 0.0 for r in records]
    sentiments = [r["sentiment_score"] for r in records if r["sentiment_score"] is not None]
    return {"n_sentences": n, "device_counts": counts,
            "device_rates": {lab: round(c / n, PROB_DECIMALS) if n else 0.0 for lab, c in counts.items()},
            "framing_score": round(float(np.mean(strengths)), PROB_DECIMALS) if n else 0.0,
            "sentiment_mean": round(float(np.mean(sentiments)), PROB_DECIMALS) if sentiments else None}


def article_record(article: Article, records: list[dict], labels: list[str]) -> dict:
    """The article-level record: metadata, figures for all sentences and per voice group."""
    record = {"article_id": article.id, "metadata": article.metadata, "content_hash": content_hash(article),
              **framing_figures(records, labels)}
    record["by_voice"] = {group: framing_figures([r for r in records if r["voice"] in voices], labels)
                          for group, voices in VOICE_GROUPS.items()}
    return record
