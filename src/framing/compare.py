"""``framing compare``: how group A (e.g. state media) and group B (e.g. neutral reporting) differ.

Device rates with article-level bootstrap intervals and Holm-corrected permutation tests, the
reporter-vs-quoted voice split, sentiment, distinctive phrasing (Fightin' Words), aligned
sentence pairs across the groups, and how well ``framing_score`` separates the documents.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import stats
from .labels import SENTIMENTS
from .runner import read_scored_sentences
from .scoring import VOICE_GROUPS


@dataclass
class Group:
    """Per-article counts and per-sentence fields of one side of a comparison."""

    name: str
    labels: list[str]
    article_ids: list[str] = field(default_factory=list)
    n_sentences: list[int] = field(default_factory=list)
    device_counts: list[list[int]] = field(default_factory=list)
    voice_sentences: dict[str, list[int]] = field(default_factory=lambda: {g: [] for g in VOICE_GROUPS})
    voice_devices: dict[str, list[list[int]]] = field(default_factory=lambda: {g: [] for g in VOICE_GROUPS})
    sentiment_classes: list[list[int]] = field(default_factory=list)
    sentiment_sum: list[float] = field(default_factory=list)
    framing_score: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    voices: list[str] = field(default_factory=list)
    devices: list[list[str]] = field(default_factory=list)
    sentiments: list[str | None] = field(default_factory=list)
    sentence_articles: list[str] = field(default_factory=list)

    def arrays(self, key: str) -> np.ndarray:
        """A per-article list field as a float array."""
        return np.asarray(getattr(self, key), dtype=float)


def is_scored_folder(path: Path) -> bool:
    """Whether ``path`` is an output folder of ``framing score --out``."""
    return path.is_dir() and (path / "articles.jsonl").exists() and (path / "sentences.jsonl").exists()


def load_groups(folders: dict[str, list[Path]], *, group_by: str | None = None,
                where: dict[str, dict[str, str]] | None = None, max_articles: int | None = None) -> list[Group]:
    """Read scored folders into groups: one group per key of ``folders``, or, with ``group_by``, one per
    value of that article metadata field (``folders`` then has one key).

    ``where[name]`` keeps only articles whose metadata fields equal the given values;
    ``max_articles`` keeps the first N articles of each group (in file order).
    """
    groups: dict[str, Group] = {}
    taken: Counter = Counter()
    for name, paths in folders.items():
        wanted = (where or {}).get(name, {})
        for folder in paths:
            articles = {}
            with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
                for line in fh:
                    a = json.loads(line)
                    metadata = a.get("metadata") or {}
                    if any(str(metadata.get(k)) != v for k, v in wanted.items()):
                        continue
                    key = str(metadata.get(group_by)) if group_by else name
                    if max_articles is not None and taken[key] >= max_articles:
                        continue
                    taken[key] += 1
                    labels = list(a["device_counts"])
                    group = groups.setdefault(key, Group(key, labels))
                    articles[a["article_id"]] = (group, a)
            per_article = read_scored_sentences(folder, articles)
            for aid, (group, a) in articles.items():
                _add_article(group, a, per_article[aid])
    return list(groups.values())


def _add_article(group: Group, article: dict, records: list[dict]) -> None:
    labels = group.labels
    group.article_ids.append(article["article_id"])
    group.n_sentences.append(article["n_sentences"])
    group.device_counts.append([article["device_counts"][lab] for lab in labels])
    for g in VOICE_GROUPS:
        fig = article["by_voice"][g]
        group.voice_sentences[g].append(fig["n_sentences"])
        group.voice_devices[g].append([fig["device_counts"][lab] for lab in labels])
    classes = [0] * len(SENTIMENTS)
    total = 0.0
    for r in records:
        if r["sentiment"] is not None:
            classes[SENTIMENTS.index(r["sentiment"])] += 1
            total += r["sentiment_score"]
        group.texts.append(r["text"])
        group.voices.append(r["voice"])
        group.devices.append(r["devices"] or [])
        group.sentiments.append(r["sentiment"])
        group.sentence_articles.append(r["article_id"])
    group.sentiment_classes.append(classes)
    group.sentiment_sum.append(total)
    group.framing_score.append(article["framing_score"])


def _rates_block(num_a, den_a, num_b, den_b, labels, n_boot, n_perm, seed) -> dict:
    boot_a = stats.bootstrap_rates(num_a, den_a, n_boot=n_boot, seed=seed)
    boot_b = stats.bootstrap_rates(num_b, den_b, n_boot=n_boot, seed=seed + 1)
    ci_a, ci_b = stats.percentile_interval(boot_a), stats.percentile_interval(boot_b)
    ci_d = stats.percentile_interval(boot_a - boot_b)
    observed, p = stats.permutation_test(num_a, den_a, num_b, den_b, n_perm=n_perm, seed=seed + 2)
    p_holm = stats.holm(p)
    rate_a, rate_b = stats.pooled_rate(num_a, den_a), stats.pooled_rate(num_b, den_b)
    return {lab: {"rate_a": float(rate_a[j]), "ci_a": [float(ci_a[0, j]), float(ci_a[1, j])],
                  "rate_b": float(rate_b[j]), "ci_b": [float(ci_b[0, j]), float(ci_b[1, j])],
                  "difference": float(observed[j]), "ci_difference": [float(ci_d[0, j]), float(ci_d[1, j])],
                  "p_value": float(p[j]), "p_holm": float(p_holm[j])} for j, lab in enumerate(labels)}


def compare_groups(a: Group, b: Group, *, n_boot: int = 2000, n_perm: int = 2000, seed: int = 0,
                   phrasing_voice: str = "reporter", top_terms: int = 30, align: bool = True,
                   align_threshold: float = 0.6, max_pairs: int = 200, encoder=None) -> dict:
    """Every number of the comparison of ``a`` with ``b`` (pure computation, no file output)."""
    timings = {}
    started = time.perf_counter()
    labels = a.labels
    result = {"names": [a.name, b.name], "labels": labels,
              "counts": {g.name: {"articles": len(g.article_ids), "sentences": int(sum(g.n_sentences))} for g in (a, b)}}
    result["device_rates"] = _rates_block(a.arrays("device_counts"), a.arrays("n_sentences"),
                                          b.arrays("device_counts"), b.arrays("n_sentences"), labels, n_boot, n_perm, seed)
    voice = {}
    for g in VOICE_GROUPS:
        voice[g] = _rates_block(np.asarray(a.voice_devices[g], float), np.asarray(a.voice_sentences[g], float),
                                np.asarray(b.voice_devices[g], float), np.asarray(b.voice_sentences[g], float),
                                labels, n_boot, n_perm, seed + 10)
        voice[g]["_sentences"] = {"a": int(sum(a.voice_sentences[g])), "b": int(sum(b.voice_sentences[g]))}
    result["voice_split"] = voice
    timings["rates_s"] = time.perf_counter() - started
    result["sentiment"] = _sentiment(a, b, n_boot, n_perm, seed)
    t = time.perf_counter()
    result["distinctive_phrasing"] = distinctive_phrasing(a, b, voice=phrasing_voice, top=top_terms)
    timings["phrasing_s"] = time.perf_counter() - t
    t = time.perf_counter()
    result["document_separation"] = _separation(a, b, n_boot, seed)
    if align:
        result["aligned_pairs"] = aligned_pairs(a, b, threshold=align_threshold, max_pairs=max_pairs, encoder=encoder)
    timings["align_s"] = time.perf_counter() - t
    result["timings"] = {k: round(v, 2) for k, v in timings.items()}
    return result


def _sentiment(a: Group, b: Group, n_boot: int, n_perm: int, seed: int) -> dict:
    out = {}
    for g in (a, b):
        classes = g.arrays("sentiment_classes").sum(0)
        out[g.name] = {"distribution": {s: float(c / max(classes.sum(), 1)) for s, c in zip(SENTIMENTS, classes)}}
    if not sum(sum(c) for c in a.sentiment_classes) or not sum(sum(c) for c in b.sentiment_classes):
        return out
    num_a, den_a = a.arrays("sentiment_sum")[:, None], a.arrays("sentiment_classes").sum(1)
    num_b, den_b = b.arrays("sentiment_sum")[:, None], b.arrays("sentiment_classes").sum(1)
    block = _rates_block(num_a, den_a, num_b, den_b, ["mean_score"], n_boot, n_perm, seed + 20)["mean_score"]
    out["mean_score"] = block
    cls = _rates_block(a.arrays("sentiment_classes"), den_a, b.arrays("sentiment_classes"), den_b, list(SENTIMENTS),
                       n_boot, n_perm, seed + 30)
    out["class_rates"] = cls
    return out


def distinctive_phrasing(a: Group, b: Group, *, voice: str = "reporter", top: int = 30, min_df: int = 2,
                         max_features: int = 200_000) -> dict:
    """Fightin' Words over 1–3-grams of the two groups (``voice``: ``reporter`` or ``all`` sentences)."""
    from sklearn.feature_extraction.text import CountVectorizer

    def texts(g: Group) -> list[str]:
        return [t for t, v in zip(g.texts, g.voices) if voice == "all" or v == voice]

    ta, tb = texts(a), texts(b)
    if not ta or not tb:
        return {"voice": voice, "top_a": [], "top_b": [], "note": "one side has no sentences in this voice"}
    try:
        vectorizer = CountVectorizer(ngram_range=(1, 3), min_df=min_df, max_features=max_features)
        matrix = vectorizer.fit_transform(ta + tb)
    except ValueError:  # too few sentences for min_df (or no words at all): keep every term
        try:
            vectorizer = CountVectorizer(ngram_range=(1, 3), min_df=1, max_features=max_features)
            matrix = vectorizer.fit_transform(ta + tb)
        except ValueError as exc:
            return {"voice": voice, "top_a": [], "top_b": [], "note": f"no terms to compare: {exc}"}
    counts_a = np.asarray(matrix[:len(ta)].sum(0)).ravel()
    counts_b = np.asarray(matrix[len(ta):].sum(0)).ravel()
    delta, z = stats.fightin_words(counts_a, counts_b)
    vocab = vectorizer.get_feature_names_out()
    order = np.argsort(-z)

    def rows(idx):
        return [{"term": str(vocab[i]), "z": round(float(z[i]), 3), "delta": round(float(delta[i]), 4),
                 "count_a": int(counts_a[i]), "count_b": int(counts_b[i])} for i in idx]

    return {"voice": voice, "n_terms": int(len(vocab)), "top_a": rows(order[:top]), "top_b": rows(order[::-1][:top]),
            "plot": {"z": z.tolist() if len(z) <= 20_000 else z[np.argsort(-np.abs(z))[:20_000]].tolist(),
                     "frequency": (counts_a + counts_b).tolist() if len(z) <= 20_000 else
                     (counts_a + counts_b)[np.argsort(-np.abs(z))[:20_000]].tolist()}}


def _separation(a: Group, b: Group, n_boot: int, seed: int) -> dict:
    from sklearn.metrics import roc_auc_score

    scores = np.concatenate([a.arrays("framing_score"), b.arrays("framing_score")])
    truth = np.concatenate([np.ones(len(a.framing_score)), np.zeros(len(b.framing_score))])
    if len(set(truth)) < 2:
        return {}
    auc = roc_auc_score(truth, scores)
    rng = np.random.default_rng(seed)
    ia, ib = np.flatnonzero(truth == 1), np.flatnonzero(truth == 0)
    boots = []
    for _ in range(min(n_boot, 1000)):
        idx = np.concatenate([rng.choice(ia, len(ia)), rng.choice(ib, len(ib))])
        boots.append(roc_auc_score(truth[idx], scores[idx]))
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return {"roc_auc": float(auc), "ci": [float(lo), float(hi)],
            "mean_framing_score": {a.name: float(np.mean(a.framing_score)), b.name: float(np.mean(b.framing_score))}}


def aligned_pairs(a: Group, b: Group, *, threshold: float = 0.6, max_pairs: int = 200, encoder=None) -> dict:
    """For each sentence of B its closest sentence of A (MiniLM embeddings, blocked matrix products);
    pairs at or above ``threshold``, near-verbatim copies (similarity ≥ 0.98) listed apart."""
    from .embed import SentenceEncoder, top_matches

    encoder = encoder or SentenceEncoder()
    t = time.perf_counter()
    emb_a, emb_b = encoder.encode(a.texts), encoder.encode(b.texts)
    encode_s = time.perf_counter() - t
    sims, idx = top_matches(emb_b, emb_a, k=1)
    pairs = []
    for j in np.flatnonzero(sims[:, 0] >= threshold):
        i = int(idx[j, 0])
        pairs.append({"similarity": round(float(sims[j, 0]), 4),
                      "a": {"article_id": a.sentence_articles[i], "text": a.texts[i], "devices": a.devices[i],
                            "sentiment": a.sentiments[i], "voice": a.voices[i]},
                      "b": {"article_id": b.sentence_articles[j], "text": b.texts[j], "devices": b.devices[j],
                            "sentiment": b.sentiments[j], "voice": b.voices[j]}})
    pairs.sort(key=lambda p: (-p["similarity"], p["b"]["article_id"], p["b"]["text"]))
    copies = [p for p in pairs if p["similarity"] >= 0.98]
    told_twice = [p for p in pairs if p["similarity"] < 0.98]
    return {"threshold": threshold, "n_pairs": len(pairs), "n_near_copies": len(copies),
            "pairs": told_twice[:max_pairs], "near_copies": copies[:max_pairs // 4], "encode_seconds": round(encode_s, 2)}
