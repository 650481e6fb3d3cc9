import numpy as np
import pytest

from framing.embed import top_matches
from framing.stats import bootstrap_rates, fightin_words, holm, percentile_interval, permutation_test, ratio_of_sums


def test_fightin_words_by_hand():
    delta, z = fightin_words([10, 0, 5], [0, 10, 5])
    # alpha0 = 30, alpha = 10 each, n_a = n_b = 15
    expected = np.log(20 / 25) - np.log(10 / 35)
    assert delta[0] == pytest.approx(expected)
    assert z[0] == pytest.approx(expected / np.sqrt(1 / 20 + 1 / 10))
    assert delta[1] == pytest.approx(-expected) and delta[2] == pytest.approx(0.0)


def test_fightin_words_limits():
    # a vanishing prior gives the plain log-odds ratio
    delta, _ = fightin_words([10, 5], [5, 10], prior_scale=1e-9)
    assert delta[0] == pytest.approx(np.log(10 / 5) - np.log(5 / 10), rel=1e-6)
    # identical corpora: nothing is distinctive
    delta, z = fightin_words([3, 7, 1], [3, 7, 1])
    assert np.allclose(delta, 0) and np.allclose(z, 0)
    # a stronger prior shrinks the same evidence towards 0
    weak, _ = fightin_words([10, 0, 5], [0, 10, 5], prior_scale=3)
    strong, _ = fightin_words([10, 0, 5], [0, 10, 5], prior_scale=300)
    assert abs(strong[0]) < abs(weak[0])


def test_holm_by_hand():
    assert holm(np.array([0.01, 0.04, 0.03])).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert holm(np.array([0.5, 0.9])).tolist() == pytest.approx([1.0, 1.0])


def test_ratio_of_sums_and_bootstrap():
    num = np.array([[1.0], [3.0]])
    den = np.array([2.0, 4.0])
    assert ratio_of_sums(np.array([[1.0, 1.0], [2.0, 0.0]]), num, den)[:, 0].tolist() == pytest.approx([4 / 6, 0.5])
    same = bootstrap_rates(np.array([[1.0], [1.0], [1.0]]), np.array([4.0, 4.0, 4.0]), n_boot=200, seed=3)
    assert np.allclose(percentile_interval(same), 0.25)
    a = bootstrap_rates(np.array([[1.0], [3.0], [2.0]]), np.array([4.0, 4.0, 4.0]), n_boot=300, seed=3)
    b = bootstrap_rates(np.array([[1.0], [3.0], [2.0]]), np.array([4.0, 4.0, 4.0]), n_boot=300, seed=3)
    assert np.array_equal(a, b)  # fixed seed, same replicates
    lo, hi = percentile_interval(a)[:, 0]
    assert lo < 0.5 < hi and 0.25 <= lo and hi <= 0.75


def test_permutation_test_detects_difference_and_not_noise():
    den = np.full(20, 10.0)
    high, low = np.full((20, 1), 8.0), np.full((20, 1), 1.0)
    diff, p = permutation_test(high, den, low, den, n_perm=999, seed=1)
    assert diff[0] == pytest.approx(0.7) and p[0] == pytest.approx(1 / 1000)
    rng = np.random.default_rng(0)
    same = rng.integers(0, 10, (40, 1)).astype(float)
    _, p = permutation_test(same[:20], den, same[20:], den, n_perm=999, seed=1)
    assert p[0] > 0.05
    _, p2 = permutation_test(same[:20], den, same[20:], den, n_perm=999, seed=1)
    assert p2[0] == p[0]


def test_top_matches_finds_known_pairs():
    corpus = np.eye(4, dtype=np.float32)
    queries = np.array([[0, 0, 1, 0], [0.9, 0.1, 0, 0], [0, 0.2, 0, 0.8]], dtype=np.float32)
    sims, idx = top_matches(queries, corpus, k=2, block=2)
    assert idx[:, 0].tolist() == [2, 0, 3]
    assert sims[1].tolist() == pytest.approx([0.9, 0.1])
