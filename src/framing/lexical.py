"""A word n-gram model whose device probabilities are blended with the transformer's.

TF-IDF over word 1-2-grams (sublinear term frequency, L2-normalised rows) and one logistic
regression per label, fitted with scikit-learn. It errs differently from the fine-tuned
encoder (it sees exact set phrases, the encoder sees paraphrase), so a weighted mean of the two
beats either alone; training picks the weight on dev (``docs/benchmarks.md``).

Saved as JSON (the vocabulary) and safetensors (idf, coefficients, intercepts). Loading rebuilds
the features from those arrays with a fixed-vocabulary ``CountVectorizer``: nothing is unpickled.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

VOCAB_FILE = "lexical_vocabulary.json"
WEIGHTS_FILE = "lexical.safetensors"
NGRAMS = (1, 2)
MIN_DF = 2
C = 4.0


class LexicalModel:
    """TF-IDF features plus per-label logistic regressions, stored as plain arrays."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray):
        from sklearn.feature_extraction.text import CountVectorizer

        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)  # [labels, features]
        self.intercept = np.asarray(intercept, dtype=np.float32)  # [labels]
        self._counter = CountVectorizer(ngram_range=NGRAMS, vocabulary=vocabulary)

    @classmethod
    def fit(cls, texts: list[str], labels: np.ndarray, *, seed: int = 0) -> "LexicalModel":
        """Fit on ``texts`` with boolean ``labels [n, labels]``; a label with one class gets a constant."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True)
        features = vectorizer.fit_transform(texts)
        coef = np.zeros((labels.shape[1], features.shape[1]), dtype=np.float32)
        intercept = np.zeros(labels.shape[1], dtype=np.float32)
        for j in range(labels.shape[1]):
            y = labels[:, j].astype(bool)
            if y.all() or not y.any():
                intercept[j] = 20.0 if y.all() else -20.0
                continue
            clf = LogisticRegression(max_iter=2000, class_weight="balanced", C=C, random_state=seed).fit(features, y)
            coef[j], intercept[j] = clf.coef_[0], clf.intercept_[0]
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        return cls(vocabulary, vectorizer.idf_, coef, intercept)

    def features(self, texts: list[str]):
        """Sparse TF-IDF matrix ``[n, features]``, computed as scikit-learn's TfidfVectorizer does."""
        from sklearn.preprocessing import normalize

        counts = self._counter.transform(texts).astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        return normalize(counts.multiply(self.idf).tocsr(), norm="l2", copy=False)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Per-label probabilities ``[n, labels]`` (float32)."""
        logits = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    def save(self, folder: str | Path) -> None:
        """Write the vocabulary (JSON) and the arrays (safetensors) into ``folder``."""
        from safetensors.numpy import save_file

        folder = Path(folder)
        (folder / VOCAB_FILE).write_text(json.dumps(self.vocabulary, ensure_ascii=False, sort_keys=True),
                                         encoding="utf-8")
        save_file({"idf": self.idf, "coef": self.coef, "intercept": self.intercept}, str(folder / WEIGHTS_FILE))

    @classmethod
    def load(cls, folder: str | Path) -> "LexicalModel":
        """Read a model written by :meth:`save`; a clear error when its files disagree."""
        from safetensors.numpy import load_file

        folder = Path(folder)
        vocabulary = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / WEIGHTS_FILE))
        n = len(vocabulary)
        if arrays["idf"].shape != (n,) or arrays["coef"].shape[1] != n:
            raise ValueError(f"{folder}: lexical model arrays do not match its vocabulary of {n} terms")
        return cls(vocabulary, arrays["idf"], arrays["coef"], arrays["intercept"])


def blend(transformer_probs: np.ndarray, lexical_probs: np.ndarray, weight: float) -> np.ndarray:
    """Weighted mean of the two models' device probabilities (``weight`` on the lexical model)."""
    return ((1.0 - weight) * transformer_probs + weight * lexical_probs).astype(np.float32)
