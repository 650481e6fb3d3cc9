"""Baselines evaluated beside the model: TF-IDF + logistic regression, a keyword lexicon, VADER."""

from __future__ import annotations

import re

import numpy as np

# Cue stems written for this project's label set; a sentence matching any cue gets the device.
LEXICON: dict[str, tuple[str, ...]] = {
    "heroic_martyrdom": ("martyr", "heroic", "heroism", "hero", "laid down their lives", "gave their lives",
                         "sacrificed their lives", "immortal feat", "fallen heroes", "died a hero", "self-sacrific"),
    "loyalty": ("loyal", "devot", "allegiance", "single-hearted", "single-minded", "faithful", "pledged to follow",
                "unite closely around", "entrust", "follow the leader", "defend the leader"),
    "grief": ("grief", "mourn", "wept", "weep", "tears", "bereaved", "sorrow", "condolence", "heartbroken",
              "pay respects", "paid respects", "funeral", "anguish"),
    "leader_benevolence": ("fatherly", "loving care", "warm love", "benevolen", "gifts from", "bestowed",
                           "took care of", "beautiful life", "embraced", "solicitude", "kindness of"),
    "national_glory": ("glory", "glorious", "invincible", "pride", "proud", "honour", "honor", "great power",
                       "might", "victory", "patriotic", "greatness"),
    "enemy_vilification": ("imperialist", "puppet", "neo-nazi", "warmonger", "fascist", "traitor", "gangster",
                           "scum", "criminal", "clique", "terrorist", "zionist regime", "regime"),
    "fear_appeal": ("grave threat", "brink of", "catastroph", "annihilat", "reckless", "provocation", "existential",
                    "nuclear war", "danger", "menace", "doom"),
    "alliance_solidarity": ("friendship", "fraternal", "brotherly", "comrades-in-arms", "solidarity",
                            "shoulder to shoulder", "blood-sealed", "brotherhood", "ironclad", "traditional ties"),
}


def lexicon_predict(texts: list[str], labels: list[str]) -> np.ndarray:
    """Boolean ``[n, labels]``: a device is predicted when one of its cues occurs (case-insensitive)."""
    patterns = {label: re.compile("|".join(re.escape(c) for c in LEXICON[label]), re.IGNORECASE)
                for label in labels if label in LEXICON}
    out = np.zeros((len(texts), len(labels)), dtype=bool)
    for j, label in enumerate(labels):
        if label in patterns:
            out[:, j] = [bool(patterns[label].search(t)) for t in texts]
    return out


def tfidf_logreg(train_texts: list[str], train_labels: np.ndarray, test_texts: list[str], *, seed: int = 0):
    """One-vs-rest logistic regression on word 1-2-gram TF-IDF; returns test probabilities ``[n, labels]``.

    The same model the classifier can blend in (:class:`framing.lexical.LexicalModel`), here alone.
    """
    from .lexical import LexicalModel

    return LexicalModel.fit(train_texts, np.asarray(train_labels) > 0.5, seed=seed).predict_proba(test_texts)


def tfidf_sentiment(train_texts: list[str], train_classes: np.ndarray, test_texts: list[str]) -> np.ndarray:
    """Multinomial logistic regression on TF-IDF for the 3 sentiment classes; returns class indices."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    clf = LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0)
    clf.fit(vectorizer.fit_transform(train_texts), train_classes)
    return clf.predict(vectorizer.transform(test_texts))


def vader_scores(texts: list[str]) -> np.ndarray:
    """VADER compound scores in [-1, 1]."""
    from .vader_blend import compound_scores

    return compound_scores(texts).astype(np.float64)


def vader_classes(compound: np.ndarray) -> np.ndarray:
    """VADER's own ±0.05 cut into negative (0), neutral (1), positive (2)."""
    return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))
