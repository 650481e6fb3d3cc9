"""A word n-gram model whose device probabilities are blended with the transformer's.

TF-IDF over word 1-2-grams (sublinear term frequency, L2-normalised rows) and one logistic
regression per label, fitted with scikit-learn. It errs differently from the fine-tuned
encoder (it sees exact set phrases, the encoder sees paraphrase), so a weighted mean of the two
beats either alone; training picks the weight on dev (``docs/benchmarks.md``).

Saved as JSON (the vocabulary) and safetensors (idf, coefficients, intercepts); nothing is
unpickled. Scoring computes the features in numpy exactly as scikit-learn's ``TfidfVectorizer``
does (a test checks they are equal), so a scoring run never imports scikit-learn: that import
alone costs ~0.8 s of a cold start.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

VOCAB_FILE = "lexical_vocabulary.json"
WEIGHTS_FILE = "lexical.safetensors"
NGRAMS = (1, 2)
MIN_DF = 2
C = 4.0
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


class LexicalModel:
    """TF-IDF features plus per-label logistic regressions, stored as plain arrays."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray):
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)  # [labels, features]
        self.intercept = np.asarray(intercept, dtype=np.float32)  # [labels]

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

    def _entries(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Non-zero TF-IDF entries ``(row, term, value)``: lowercase word 1-2-grams, 1 + log(count)
        times idf, rows L2-normalised (scikit-learn's ``sublinear_tf`` TF-IDF, fixed vocabulary)."""
        rows, terms, values = [], [], []
        for i, text in enumerate(texts):
            tokens = _TOKEN_RE.findall(text.lower())
            grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
            counts = Counter(t for t in (self.vocabulary.get(g) for g in grams) if t is not None)
            if not counts:
                continue
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64,
                                  count=len(counts)) * self.idf[ids]
            rows.append(np.full(len(ids), i, dtype=np.int64))
            terms.append(ids)
            values.append(weights / np.sqrt(np.dot(weights, weights)))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
        return np.concatenate(rows), np.concatenate(terms), np.concatenate(values)

    def features(self, texts: list[str]):
        """Sparse TF-IDF matrix ``[n, features]`` (scipy CSR), equal to scikit-learn's for these texts."""
        from scipy.sparse import csr_matrix

        rows, terms, values = self._entries(texts)
        return csr_matrix((values, (rows, terms)), shape=(len(texts), len(self.vocabulary)))

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Per-label probabilities ``[n, labels]`` (float32)."""
        rows, terms, values = self._entries(texts)
        logits = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        np.add.at(logits, rows, values[:, None] * self.coef.T[terms])
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    def save(self, folder: str | Path) -> None:
        """Write the vocabulary (JSON) and the arrays (safetensors) into ``folder``."""
        from safetensors.numpy import save_file

        folder = Path(folder)
        (folder / VOCAB_FILE).write_text(json.dumps(self.vocabulary, ensure_ascii=False, sort_keys=True),
                                         encoding="utf-8")
        save_file({"idf": self.idf, "coef": self.coef, "intercept": self.intercept}, str(folder / WEIGHTS_FILE))

    @classmethod
    def load(cls, folder: str | Path, n_labels: int | None = None) -> "LexicalModel":
        """Read a model written by :meth:`save`; a clear error when its files disagree with each
        other or, given ``n_labels``, with the classifier's label set."""
        from safetensors.numpy import load_file

        folder = Path(folder)
        vocabulary = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / WEIGHTS_FILE))
        n = len(vocabulary)
        if arrays["idf"].shape != (n,) or arrays["coef"].shape[1] != n:
            raise ValueError(f"{folder}: lexical model arrays do not match its vocabulary of {n} terms")
        if n_labels is not None and arrays["coef"].shape[0] != n_labels:
            raise ValueError(f"{folder}: lexical model has {arrays['coef'].shape[0]} labels, expected {n_labels}")
        return cls(vocabulary, arrays["idf"], arrays["coef"], arrays["intercept"])


def blend(transformer_probs: np.ndarray, lexical_probs: np.ndarray, weight: float) -> np.ndarray:
    """Weighted mean of the two models' device probabilities (``weight`` on the lexical model)."""
    return ((1.0 - weight) * transformer_probs + weight * lexical_probs).astype(np.float32)
