import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.lexical import LexicalModel, blend
from framing.model import FramingClassifier

TEXTS = ["The heroic martyrs gave their lives.", "Heroic soldiers fell for the motherland.",
         "The talks are on Tuesday.", "The puppet warmongers plot war.", "Puppet warmongers again plot a war.",
         "Markets closed higher on Tuesday.", "The martyrs of the war are mourned.", "Rain is expected on Tuesday."]
LABELS = np.array([[1, 0], [1, 0], [0, 0], [0, 1], [0, 1], [0, 0], [1, 0], [0, 0]], dtype=bool)


def test_features_match_scikit_learn_tfidf():
    model = LexicalModel.fit(TEXTS, LABELS)
    reference = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(TEXTS)
    queries = ["Heroic martyrs plot war on Tuesday.", "nothing known here", "the the the martyrs"]
    np.testing.assert_allclose(model.features(queries).toarray(), reference.transform(queries).toarray(), rtol=1e-5,
                               atol=1e-6)


def test_lexical_model_learns_cues_and_round_trips(tmp_path):
    model = LexicalModel.fit(TEXTS, LABELS)
    probs = model.predict_proba(["Heroic martyrs.", "Puppet warmongers.", "On Tuesday."])
    assert probs[0, 0] > probs[2, 0] and probs[1, 1] > probs[2, 1]
    model.save(tmp_path)
    np.testing.assert_array_equal(LexicalModel.load(tmp_path).predict_proba(TEXTS), model.predict_proba(TEXTS))
    assert not list(tmp_path.glob("*.pkl"))


def test_blend_is_the_weighted_mean():
    a, b = np.array([[0.2, 0.9]]), np.array([[0.6, 0.1]])
    np.testing.assert_allclose(blend(a, b, 0.25), [[0.3, 0.7]])
    np.testing.assert_allclose(blend(a, b, 0.0), a)


def test_classifier_with_lexical_blend_saves_and_loads_identically(tiny_framing_model, tmp_path):
    clf = FramingClassifier.load(tiny_framing_model)
    texts = ["The heroic martyrs died.", "The talks are on Tuesday.", "Puppet warmongers plot war."]
    alone = clf.predict(texts).device_probs
    gold = np.zeros((len(TEXTS), len(clf.labels)), dtype=bool)
    gold[:, 0], gold[:, 5] = LABELS[:, 0], LABELS[:, 1]
    clf.lexical, clf.lexical_weight = LexicalModel.fit(TEXTS, gold), 0.3
    blended = clf.predict(texts, evidence=True)
    np.testing.assert_allclose(blended.device_probs, blend(alone, clf.lexical.predict_proba(texts), 0.3), rtol=1e-6)
    clf.save(tmp_path / "m")
    again = FramingClassifier.load(tmp_path / "m")
    assert again.lexical_weight == 0.3
    np.testing.assert_array_equal(again.predict(texts).device_probs, blended.device_probs)
    # every predicted device has its evidence entry, even when the blend pushed it over
    for probs, words in zip(blended.device_probs, blended.evidence):
        assert set(words) == {clf.labels[j] for j in np.flatnonzero(clf.decide(probs[None])[0])}


def test_lexical_files_that_disagree_are_a_clear_error(tmp_path):
    model = LexicalModel.fit(TEXTS, LABELS)
    model.save(tmp_path)
    (tmp_path / "lexical_vocabulary.json").write_text('{"only": 0}', encoding="utf-8")
    with pytest.raises(ValueError, match="do not match its vocabulary"):
        LexicalModel.load(tmp_path)


def test_lexical_model_for_another_label_set_is_a_clear_error(tmp_path):
    LexicalModel.fit(TEXTS, LABELS).save(tmp_path)
    with pytest.raises(ValueError, match="has 2 labels, expected 8"):
        LexicalModel.load(tmp_path, n_labels=8)
