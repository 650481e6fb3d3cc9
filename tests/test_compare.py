import json

import pytest

from framing.cli import main
from framing.compare import aligned_pairs, load_groups
from framing.embed import SentenceEncoder


def write_group(path, kind, n):
    lines = []
    for i in range(n):
        if kind == "state":
            text = (f"Heroic martyrs of unit {i}\n\nThe heroic martyrs laid down their lives, the leader said. "
                    "Families mourned the fallen heroes. The puppet enemy faces annihilation.")
        else:
            text = (f"Soldiers killed in unit {i}\n\nAbout {i + 10} soldiers were killed, officials said. "
                    "The ministry gave no details. Talks are scheduled for Tuesday.")
        lines.append(json.dumps({"id": f"{kind}-{i}", "text": text, "source": kind}))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def scored(tiny_framing_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("cmp")
    write_group(root / "state.jsonl", "state", 12)
    write_group(root / "neutral.jsonl", "neutral", 12)
    for kind in ("state", "neutral"):
        assert main(["score", str(root / f"{kind}.jsonl"), "--out", str(root / kind), "--model", str(tiny_framing_model), "--quiet"]) == 0
    return root


def test_compare_end_to_end_without_alignment(scored, tmp_path):
    code = main(["compare", "--a", str(scored / "state"), "--b", str(scored / "neutral"), "--names", "state media", "neutral",
                 "--out", str(tmp_path), "--no-align", "--bootstrap", "200", "--permutations", "200"])
    assert code == 0
    result = json.loads((tmp_path / "comparison.json").read_text())
    assert result["names"] == ["state media", "neutral"]
    assert result["counts"]["state media"] == {"articles": 12, "sentences": 48}
    for m in result["device_rates"].values():
        assert m["ci_a"][0] <= m["rate_a"] + 1e-9 and m["rate_a"] <= m["ci_a"][1] + 1e-9 and 0 < m["p_holm"] <= 1
    assert set(result["voice_split"]) == {"reporter", "quoted_or_attributed"}
    terms_a = [t["term"] for t in result["distinctive_phrasing"]["top_a"]]
    assert "heroic" in terms_a or "martyrs" in terms_a
    assert 0.0 <= result["document_separation"]["roc_auc"] <= 1.0
    assert "<img" in (tmp_path / "comparison.html").read_text()


def test_compare_group_by_metadata(scored, tmp_path):
    code = main(["compare", str(scored / "state"), str(scored / "neutral"), "--group-by", "source", "--out", str(tmp_path),
                 "--no-align", "--bootstrap", "100", "--permutations", "100", "--names", "state", "neutral"])
    assert code == 0
    assert json.loads((tmp_path / "comparison.json").read_text())["names"] == ["state", "neutral"]


def test_compare_usage_errors(tmp_path):
    assert main(["compare", "--a", "x", "--out", str(tmp_path)]) == 2


def test_alignment_with_minilm_finds_paraphrases(scored):
    groups = load_groups({"state": [scored / "state"], "neutral": [scored / "neutral"]})
    a, b = groups
    a.texts = ["Kim hosted the families of soldiers killed in Russia.", "The harvest was good this year.",
               "A missile was launched into the sea on Monday."]
    b.texts = ["On Monday a missile was fired into the sea.", "Families of troops who died in Russia met Kim."]
    for g in (a, b):
        n = len(g.texts)
        g.voices, g.devices, g.sentiments, g.sentence_articles = ["reporter"] * n, [[]] * n, [None] * n, ["x"] * n
    out = aligned_pairs(a, b, threshold=0.5, encoder=SentenceEncoder())
    found = {p["b"]["text"]: p["a"]["text"] for p in out["pairs"]}
    assert found == {b.texts[0]: a.texts[2], b.texts[1]: a.texts[0]}


def test_compare_positional_pair_with_filters_and_limit(scored, tmp_path):
    code = main(["compare", str(scored / "state"), str(scored / "neutral"), "--out", str(tmp_path), "--no-align",
                 "--bootstrap", "100", "--permutations", "100", "--max-articles", "5", "--b-where", "source=neutral"])
    assert code == 0
    counts = json.loads((tmp_path / "comparison.json").read_text())["counts"]
    assert counts == {"A": {"articles": 5, "sentences": 20}, "B": {"articles": 5, "sentences": 20}}
    assert main(["compare", str(scored / "state"), str(scored / "neutral"), "--out", str(tmp_path), "--no-align",
                 "--b-where", "source=nothing"]) == 2
