import pytest

from framing.cli import main

SUBCOMMANDS = ["score", "train", "evaluate", "compare", "report"]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: framing " + command in capsys.readouterr().out


def test_score_prints_a_table_for_the_seed_article(seed_article_path, capsys):
    assert main(["score", str(seed_article_path)]) == 0
    out = capsys.readouterr().out
    assert "000_e767feebfdfeb732" in out and "attributed" in out and "Military alliance" in out


def test_score_goes_on_after_bad_inputs_and_exits_1(tmp_path, capsys):
    (tmp_path / "a_empty.txt").write_text("")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c_bad.jsonl").write_text('{"id": "j1", "text": "Fine line."}\n{broken\n', encoding="utf-8")
    (tmp_path / "d_good.txt").write_text("The delegation left on Monday.", encoding="utf-8")
    assert main(["score", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "d_good" in captured.out and "j1" in captured.out
    assert "a_empty.txt: empty file" in captured.err
    assert "c_bad.jsonl:2: invalid JSON" in captured.err
