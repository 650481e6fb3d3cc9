"""The shipped corpus: schema, split rule, label names, duplicates, size and the anti-template checks."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from framing.config import Config
from framing.corpus_checks import overused_openings, shared_runs
from framing.data import read_corpus_file
from framing.labels import DEVICES, REGISTERS, SENTIMENTS, VOICES

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SPLITS = ("train", "dev", "test")
FIELDS = {"id", "article_id", "index", "text", "devices", "sentiment", "voice", "register", "style", "pair_id"}


def load(name):
    return [json.loads(line) for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def splits():
    return {name: load(name) for name in SPLITS}


@pytest.fixture(scope="module")
def rows(splits):
    return [r for name in SPLITS for r in splits[name]]


def test_schema_and_label_names(rows):
    for r in rows:
        assert set(r) == FIELDS, r["id"]
        assert set(r["devices"]) <= set(DEVICES) and len(set(r["devices"])) == len(r["devices"])
        assert r["sentiment"] in SENTIMENTS and r["voice"] in VOICES and r["register"] in REGISTERS
        assert r["text"] == r["text"].strip() and r["text"]


def test_loader_accepts_every_split():
    for name in SPLITS:
        assert read_corpus_file(CORPUS / f"{name}.jsonl", Config().labels)


def test_ids_are_unique(rows):
    assert not [i for i, n in Counter(r["id"] for r in rows).items() if n > 1]


def test_split_by_article_and_by_event(splits):
    owner = {}
    for name in SPLITS:
        for r in splits[name]:
            assert owner.setdefault(r["article_id"], name) == name, f"{r['article_id']} in two splits"
            if r["pair_id"]:
                assert owner.setdefault("pair:" + r["pair_id"], name) == name, f"event {r['pair_id']} in two splits"


def test_size_and_balance(splits, rows):
    n = len(rows)
    assert n >= 3500
    assert len(splits["test"]) >= 0.15 * n and len(splits["dev"]) >= 0.10 * n
    articles = {r["article_id"]: r["register"] for r in rows}
    assert len(articles) >= 180
    counts = Counter(d for r in rows for d in r["devices"])
    assert all(counts[d] >= 300 for d in DEVICES), counts
    assert sum(not r["devices"] for r in rows) >= 0.35 * n
    sides = defaultdict(set)
    for r in rows:
        if r["pair_id"]:
            sides[r["pair_id"]].add(r["register"])
    assert sum(s >= {"state_media", "neutral"} for s in sides.values()) >= 70


def test_articles_file_matches_sentences(rows):
    by_article = defaultdict(list)
    for r in rows:
        by_article[r["article_id"]].append(r)
    for line in (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        sentences = sorted(by_article[art["id"]], key=lambda r: r["index"])
        assert [art["text"][s:e] for s, e in art["sentence_offsets"]] == [r["text"] for r in sentences]


def test_no_shared_eight_word_runs(rows):
    found = shared_runs((r["id"], r["pair_id"], r["text"]) for r in rows)
    assert not found, found[:5]


def test_no_opening_used_more_than_fifteen_times(rows):
    assert not overused_openings(r["text"] for r in rows)


def test_template_checks_catch_what_they_should():
    sentences = [("a", None, "the leader said the heroic soldiers will live forever in our hearts"),
                 ("b", None, "Yesterday the heroic soldiers will live forever in our hearts, he said."),
                 ("c", "e1", 'KCNA said: "the heroic soldiers will live forever in our hearts"'),
                 ("d", "e1", "The heroic soldiers will live forever in our hearts of gold and iron.")]
    found = dict(shared_runs(sentences))
    assert found["heroic soldiers will live forever in our hearts"] == ["a", "b", "c", "d"]
    assert not shared_runs(sentences[2:])  # the paired quote is allowed
    assert overused_openings(["One two three four five."] * 16) == {"one two three four": 16}
    assert overused_openings(["One two three four five."] * 15) == {}
