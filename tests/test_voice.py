import json
from pathlib import Path

import pytest

from framing.sentences import article_sentences
from framing.types import Article
from framing.voice import classify_voice, find_quote_spans

FIXTURE = Path(__file__).parent / "fixtures" / "voice_sentences.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def voice_of(text):
    return classify_voice(text, 0, len(text), find_quote_spans(text))


def test_fixture_is_mixed_and_large_enough():
    counts = {v: sum(r["voice"] == v for r in ROWS) for v in ("reporter", "quoted", "attributed")}
    assert len(ROWS) >= 60 and min(counts.values()) >= 20


def test_voice_accuracy_on_hand_labelled_set():
    correct = sum(voice_of(r["text"])[0] == r["voice"] for r in ROWS)
    # measured 98/101; docs/voice.md records the misses
    assert correct / len(ROWS) >= 0.93


def test_quote_spans_match_hand_offsets():
    for r in ROWS:
        spans = [[s.start, s.end] for s in voice_of(r["text"])[1]]
        assert spans == r["quote_spans"], r["text"]


def test_seed_article_voices(seed_article_path):
    text = seed_article_path.read_text(encoding="utf-8")
    sentences = article_sentences(Article("seed", text))
    assert len(sentences) == 14
    by_start = {s.text.split()[0] + " " + s.text.split()[1]: s for s in sentences}
    assert by_start['"They did'].voice == "quoted"
    assert by_start["About 600"].voice == "attributed"
    assert by_start["Kim is"].voice == "reporter"
    assert by_start["Military alliance"].voice == "reporter"
    first = sentences[0]
    assert first.voice == "attributed" and [text[s:e] for s, e in first.quote_spans] == ['"a beautiful life"', '"martyrs"']


def test_quote_across_sentence_end_marks_both_sentences():
    text = 'He spoke at length. "We will win. Nobody can stop us," he said. Then he left.'
    sentences = article_sentences(Article("a", text))
    assert [s.voice for s in sentences] == ["reporter", "quoted", "reporter"]
    assert [text[a:b] for a, b in sentences[1].quote_spans] == ['"We will win. Nobody can stop us,"']


@pytest.mark.parametrize("text", [
    'Kim said "the enemy will pay',
    '“Unclosed curly quote that runs on. And on.',
    'A closing quote with no opening" here.',
    '"" "" " "',
    '‘', '’', '"',
])
def test_unbalanced_quotes_are_marked_not_fatal(text):
    sentences = article_sentences(Article("u", text))
    assert sentences and all(s.voice in ("reporter", "quoted", "attributed") for s in sentences)
    if text.count('"') % 2 == 1 or "“" in text:
        assert any(s.unbalanced_quote for s in sentences)


def test_apostrophes_are_not_quotes():
    voice, spans = voice_of("North Korea’s leader visited the soldiers’ families on Friday.")
    assert voice == "reporter" and spans == []
