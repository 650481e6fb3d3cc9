"""VADER's compound score as a second opinion on the continuous sentiment score.

The encoder's score head learns from a few thousand rated sentences; VADER's hand-built
lexicon knows words those sentences never contain. A small weight, picked on the dev rows
with continuous gold, averages the two (``docs/benchmarks.md`` section 2 has the effect).
"""

from __future__ import annotations

import numpy as np

# candidate weights of VADER in the blended score; 0 keeps the encoder's score alone
VADER_WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)

_analyzer = None


def compound_scores(texts: list[str]) -> np.ndarray:
    """VADER compound scores in [-1, 1], one per text (float32)."""
    global _analyzer
    if _analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _analyzer = SentimentIntensityAnalyzer()
    return np.asarray([_analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float32)


def blend_score(encoder_score: np.ndarray, compound: np.ndarray, weight: float) -> np.ndarray:
    """The weighted mean ``(1 - weight) * encoder_score + weight * compound``, still in [-1, 1]."""
    return ((1.0 - weight) * encoder_score + weight * compound).astype(np.float32)


def pick_weight(encoder_score: np.ndarray, compound: np.ndarray, gold: np.ndarray) -> tuple[float, dict[float, float]]:
    """The weight in :data:`VADER_WEIGHTS` with the highest Pearson r against ``gold`` (smaller on ties)."""
    by_weight = {w: float(np.corrcoef(blend_score(encoder_score, compound, w), gold)[0, 1]) for w in VADER_WEIGHTS}
    best = max(by_weight, key=lambda w: (by_weight[w], -w))
    return best, by_weight
