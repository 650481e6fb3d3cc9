"""Statistics for group comparisons: article-level bootstrap and permutation tests, Holm
correction, and Fightin' Words (weighted log-odds with an informative Dirichlet prior)."""

from __future__ import annotations

import numpy as np


def ratio_of_sums(weights: np.ndarray, numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """For each row of ``weights`` ``[R, articles]``: Σ w·num / Σ w·den, per column of ``numerators``.

    With multinomial weights this is a bootstrap replicate of a pooled rate; with 0/1 weights,
    the pooled rate of a subset of articles.
    """
    num = weights @ numerators
    den = weights @ denominators
    den = den[:, None] if num.ndim == 2 else den
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def bootstrap_rates(numerators: np.ndarray, denominators: np.ndarray, *, n_boot: int = 2000, seed: int = 0,
                    block: int = 500) -> np.ndarray:
    """Bootstrap replicates of pooled rates, resampling articles (sentences of one article move together).

    ``numerators`` is ``[articles, labels]`` (or ``[articles]``), ``denominators`` ``[articles]``.
    Returns ``[n_boot, labels]`` (or ``[n_boot]``).
    """
    rng = np.random.default_rng(seed)
    n = len(denominators)
    out = []
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(np.float64)
        out.append(ratio_of_sums(weights, numerators, denominators))
    return np.concatenate(out)


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Percentile interval over axis 0: ``[2, ...]`` (lower, upper)."""
    tail = (1 - level) / 2 * 100
    return np.percentile(samples, [tail, 100 - tail], axis=0)


def permutation_test(num_a: np.ndarray, den_a: np.ndarray, num_b: np.ndarray, den_b: np.ndarray, *,
                     n_perm: int = 2000, seed: int = 0, block: int = 250) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided permutation test of the difference of pooled rates, permuting articles between groups.

    Returns ``(observed_difference, p_values)`` per label; p uses the (count + 1) / (n_perm + 1) rule,
    so it is never 0.
    """
    num = np.concatenate([num_a, num_b])
    den = np.concatenate([den_a, den_b]).astype(np.float64)
    n_a, n = len(den_a), len(den_a) + len(den_b)
    observed = pooled_rate(num_a, den_a) - pooled_rate(num_b, den_b)
    rng = np.random.default_rng(seed)
    extreme = np.zeros_like(observed, dtype=np.int64)
    for start in range(0, n_perm, block):
        size = min(block, n_perm - start)
        in_a = np.argsort(rng.random((size, n)), axis=1) < n_a
        diff = ratio_of_sums(in_a.astype(np.float64), num, den) - ratio_of_sums((~in_a).astype(np.float64), num, den)
        extreme += (np.abs(diff) >= np.abs(observed) - 1e-12).sum(0)
    return observed, (extreme + 1) / (n_perm + 1)


def pooled_rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Σ numerators / Σ denominators over articles (per label)."""
    total = den.sum()
    return num.sum(0) / total if total else np.zeros(num.shape[1:])


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (monotone, capped at 1)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def fightin_words(counts_a: np.ndarray, counts_b: np.ndarray, *, prior_scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 22).

    The prior is the pooled term distribution scaled to ``prior_scale`` pseudo-counts (default:
    the total count of both corpora, i.e. a prior as strong as the data). Returns
    ``(delta, z)`` per term; positive values lean to corpus A.
    """
    a = np.asarray(counts_a, dtype=float)
    b = np.asarray(counts_b, dtype=float)
    pooled = a + b
    alpha0 = float(prior_scale if prior_scale is not None else pooled.sum())
    alpha = alpha0 * pooled / pooled.sum()
    n_a, n_b = a.sum(), b.sum()
    delta = (np.log((a + alpha) / (n_a + alpha0 - a - alpha))
             - np.log((b + alpha) / (n_b + alpha0 - b - alpha)))
    variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return delta, delta / np.sqrt(variance)
