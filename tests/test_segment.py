from hypothesis import given, settings
from hypothesis import strategies as st

from framing.segment import MAX_SENTENCE_CHARS, sentence_spans, split_sentences


def test_headings_abbreviations_and_quotes():
    text = ("Military alliance\n"
            "Kim met officials from the U.S. and Dr. Lee on Jan. 5 in Pyongyang. "
            "\"We will win. We must,\" he said. Then came silence... Nobody spoke.\n"
            "- first bullet without a stop\n"
            "- second bullet\n")
    assert split_sentences(text) == [
        "Military alliance",
        "Kim met officials from the U.S. and Dr. Lee on Jan. 5 in Pyongyang.",
        "\"We will win. We must,\" he said.",
        "Then came silence...",
        "Nobody spoke.",
        "- first bullet without a stop",
        "- second bullet",
    ]


def test_hard_wrapped_lines_are_joined():
    text = "The delegation arrived in the\ncapital on Monday. It left\non Friday."
    assert split_sentences(text) == ["The delegation arrived in the\ncapital on Monday.", "It left\non Friday."]


def test_seed_article_has_fourteen_units(seed_article_path):
    sentences = split_sentences(seed_article_path.read_text(encoding="utf-8"))
    assert len(sentences) == 14
    assert sentences[8] == "Military alliance"


def test_long_unpunctuated_text_is_cut_into_bounded_units():
    text = "word " * 5000
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert " ".join(text[s:e] for s, e in spans) == text.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
       | st.lists(st.sampled_from(["Dr.", "U.S.", "“", "”", '"', "...", "…", "\n", "\n\n", " ", "Hello", "world.",
                                    "?", "!", "- ", "a", "B", "😀", "\t", "\r\n"]), max_size=60).map("".join))
def test_offsets_always_round_trip(text):
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        previous_end = end
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(text.split()) == "".join(covered.split())
