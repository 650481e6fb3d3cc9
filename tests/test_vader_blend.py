import numpy as np

from framing.model import FramingClassifier
from framing.train import train
from framing.vader_blend import VADER_WEIGHTS, blend_score, compound_scores, pick_weight

from test_train import tiny_config


def test_blend_score_is_the_weighted_mean():
    np.testing.assert_allclose(blend_score(np.array([0.5, -1.0]), np.array([-0.5, 1.0]), 0.25), [0.25, -0.5])
    np.testing.assert_allclose(blend_score(np.array([0.3]), np.array([0.9]), 0.0), [0.3])


def test_pick_weight_finds_the_mixture_behind_the_gold():
    rng = np.random.default_rng(0)
    encoder, compound = rng.uniform(-1, 1, 400), rng.uniform(-1, 1, 400)
    gold = 0.8 * encoder + 0.2 * compound + rng.normal(0, 0.01, 400)
    weight, by_weight = pick_weight(encoder, compound, gold)
    assert weight == 0.2
    assert set(by_weight) == set(VADER_WEIGHTS) and by_weight[0.2] == max(by_weight.values())
    # VADER that only adds noise is left out
    assert pick_weight(encoder, rng.uniform(-1, 1, 400), encoder)[0] == 0.0


def test_compound_scores_read_the_words():
    scores = compound_scores(["A wonderful, happy victory.", "A horrible, tragic disaster.", "The meeting is on Monday."])
    assert scores[0] > 0.5 and scores[1] < -0.5 and scores[2] == 0.0


def test_classifier_with_vader_weight_blends_and_round_trips(tiny_framing_model, tmp_path):
    clf = FramingClassifier.load(tiny_framing_model)
    texts = ["A wonderful, happy victory.", "A horrible, tragic disaster.", "The meeting is on Monday."]
    alone = clf.predict(texts).sentiment_score
    clf.vader_weight = 0.3
    blended = clf.predict(texts).sentiment_score
    np.testing.assert_allclose(blended, 0.7 * alone + 0.3 * compound_scores(texts), rtol=1e-6, atol=1e-7)
    clf.save(tmp_path / "m")
    again = FramingClassifier.load(tmp_path / "m")
    assert again.vader_weight == 0.3
    np.testing.assert_array_equal(again.predict(texts).sentiment_score, blended)


def test_training_with_vader_blend_picks_a_weight_on_dev_scores(tiny_model_dir, tmp_path):
    words = ["a wonderful triumph", "a dreadful failure", "a meeting", "a great success", "a terrible loss"]
    lines = [f"{e}_{k}\t{(2 if 'w' in w or 'gr' in w else -2 if 'd' in w or 'ter' in w else 0)}\tIt was {w}, line {k}."
             for e in range(2, 40, 2) for k, w in enumerate(words)]
    (tmp_path / "nyt").mkdir()
    (tmp_path / "nyt" / "nytEditorialSnippets_GroundTruth.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = tiny_config(tiny_model_dir, tmp_path / "run")
    cfg.data.extra_sentiment = str(tmp_path / "nyt")
    cfg.model.vader_blend = True
    metrics = train(cfg, progress=False)
    by_weight = metrics["dev_pearson_r_by_vader_weight"]
    assert set(by_weight) == set(VADER_WEIGHTS)
    assert by_weight[metrics["vader_weight"]] == max(by_weight.values())
    assert FramingClassifier.load(tmp_path / "run" / "model").vader_weight == metrics["vader_weight"]


def test_without_continuous_dev_gold_the_weight_stays_zero(tiny_model_dir, tmp_path):
    cfg = tiny_config(tiny_model_dir, tmp_path)
    cfg.model.vader_blend = True
    metrics = train(cfg, progress=False)
    assert metrics["vader_weight"] == 0.0
    assert FramingClassifier.load(tmp_path / "model").vader_weight == 0.0
