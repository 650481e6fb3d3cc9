import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from framing.cli import main
from framing.model import FramingClassifier
from framing.runner import run_scoring
from framing.scoring import framing_figures, score_batch
from framing.types import Article


def rec(devices, scores, sentiment_score=0.0, voice="reporter"):
    return {"devices": devices, "scores": scores, "sentiment_score": sentiment_score, "voice": voice}


def test_framing_figures_by_hand():
    labels = ["grief", "loyalty"]
    records = [rec(["grief"], {"grief": 0.8, "loyalty": 0.1}, -0.5),
               rec(["grief", "loyalty"], {"grief": 0.6, "loyalty": 0.9}, 0.5),
               rec([], {"grief": 0.2, "loyalty": 0.3}, 0.0),
               rec([], {"grief": 0.1, "loyalty": 0.1}, 0.3)]
    out = framing_figures(records, labels)
    assert out["device_counts"] == {"grief": 2, "loyalty": 1}
    assert out["device_rates"] == {"grief": 0.5, "loyalty": 0.25}
    assert out["framing_score"] == pytest.approx((0.8 + 0.9 + 0 + 0) / 4)
    assert out["sentiment_mean"] == pytest.approx(0.075)


def test_framing_score_limits():
    assert framing_figures([rec([], {"grief": 0.4})] * 3, ["grief"])["framing_score"] == 0.0
    assert framing_figures([rec(["grief"], {"grief": 1.0})] * 3, ["grief"])["framing_score"] == 1.0
    assert framing_figures([], ["grief"])["framing_score"] == 0.0


@pytest.fixture(scope="module")
def classifier(tiny_framing_model):
    return FramingClassifier.load(tiny_framing_model)


def test_score_batch_records(classifier):
    text = 'Martyrs headline\n\nThe leader said "the enemy puppet will pay." Families mourned. ' + "war " * 300 + "."
    [(article, records)] = score_batch([Article("a1", text, {"source": "KCNA"})], classifier)
    assert article["n_sentences"] == len(records) == 4 and article["metadata"] == {"source": "KCNA"}
    for r in records:
        assert text[r["start"]:r["end"]] == r["text"]
        assert set(r["scores"]) == set(classifier.labels)
        for lab, t in zip(classifier.labels, classifier.thresholds):  # scores are rounded to 4 decimals
            if lab in r["devices"]:
                assert r["scores"][lab] >= t - 1e-4
            else:
                assert r["scores"][lab] <= t + 1e-4
        assert set(r["evidence"]) == set(r["devices"]) and r["sentiment"] in ("negative", "neutral", "positive")
    assert records[1]["voice"] == "quoted" or records[1]["voice"] == "attributed"
    assert records[3]["windows"] > 1  # 300 words > 32 tokens: windowed, not truncated
    assert set(article["by_voice"]) == {"reporter", "quoted_or_attributed"}


def articles_file(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"art-{i:04d}", "text": f"Headline {i}\n\nThe leader visited unit {i}. "
                                 f"Martyrs were mourned by families. The enemy puppets face war {i}.", "group": "g"}) + "\n")
    return path


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_is_deterministic_and_resumable(classifier, tmp_path):
    src = articles_file(tmp_path / "in.jsonl", 30)
    a = run_scoring([str(src)], tmp_path / "a", classifier, progress=False)
    run_scoring([str(src)], tmp_path / "b", classifier, progress=False)
    assert a.articles_scored == 30 and a.sentences_scored == 120 and a.skipped == 0
    for name in ("sentences.jsonl", "articles.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = run_scoring([str(src)], tmp_path / "a", classifier, progress=False)
    assert again.articles_resumed == 30 and again.articles_scored == 0
    assert len(read_lines(tmp_path / "a" / "sentences.jsonl")) == 120
    run = json.loads((tmp_path / "a" / "run.json").read_text())
    assert run["counts"]["articles_resumed"] == 30 and run["timings"]["peak_rss_mb"] > 0


def test_worker_processes_give_identical_output(classifier, tmp_path):
    src = articles_file(tmp_path / "in.jsonl", 40)
    run_scoring([str(src)], tmp_path / "inline", classifier, progress=False)
    summary = run_scoring([str(src)], tmp_path / "workers", classifier, progress=False, workers=2)
    assert summary.articles_scored == 40
    for name in ("sentences.jsonl", "articles.jsonl"):
        assert (tmp_path / "inline" / name).read_bytes() == (tmp_path / "workers" / name).read_bytes()


def test_partial_output_is_repaired_on_resume(classifier, tmp_path):
    src = articles_file(tmp_path / "in.jsonl", 5)
    run_scoring([str(src)], tmp_path / "o", classifier, progress=False)
    arts = (tmp_path / "o" / "articles.jsonl").read_text().splitlines(keepends=True)
    sents = (tmp_path / "o" / "sentences.jsonl").read_text().splitlines(keepends=True)
    # simulate a kill: the last article line half written, an orphan sentence line cut mid-way
    (tmp_path / "o" / "articles.jsonl").write_text("".join(arts[:-1]) + arts[-1][:20])
    (tmp_path / "o" / "sentences.jsonl").write_text("".join(sents) + sents[0][:15])
    summary = run_scoring([str(src)], tmp_path / "o", classifier, progress=False)
    assert summary.articles_resumed == 4 and summary.articles_scored == 1
    keys = [(r["article_id"], r["index"]) for r in read_lines(tmp_path / "o" / "sentences.jsonl")]
    assert len(keys) == len(set(keys)) == 20


def test_kill_minus_nine_then_restart_gives_one_record_per_sentence(tiny_framing_model, tmp_path):
    src = articles_file(tmp_path / "in.jsonl", 3000)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "framing.cli", "score", str(src), "--out", str(out), "--model", str(tiny_framing_model), "--quiet"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.time() + 120
    while time.time() < deadline:
        path = out / "articles.jsonl"
        if path.exists() and path.stat().st_size > 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len((out / "articles.jsonl").read_text().splitlines())
    assert 0 < partial < 3000, "the kill should land mid-run"
    assert subprocess.run(cmd, env=env).returncode == 0
    records = read_lines(out / "sentences.jsonl")
    keys = [(r["article_id"], r["index"]) for r in records]
    assert len(keys) == len(set(keys)) == 3000 * 4
    assert len(read_lines(out / "articles.jsonl")) == 3000


def test_bad_and_extreme_inputs_have_defined_outcomes(tiny_framing_model, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x00binary")
    (inputs / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (inputs / "korean.txt").write_text("조선중앙통신은 보도하였다. 인민들은 기뻐하였다.", encoding="utf-8")
    (inputs / "page.html").write_text("<html><body><script>alert('x')</script><article><p>The minister arrived on Monday "
                                      "for talks with officials about trade.</p></article></body></html>")
    (inputs / "huge.txt").write_text("word " * 4_000_000)
    (inputs / "dups.jsonl").write_text("\n".join(json.dumps({"id": i, "text": f"Text {n}."}) for n, i in
                                                enumerate(["same", "same", "../x", "../../etc/passwd"])) + "\n")
    out = tmp_path / "out"
    code = main(["score", str(inputs), "--out", str(out), "--model", str(tiny_framing_model), "--quiet", "--html"])
    assert code == 1
    errors = read_lines(out / "errors.jsonl")
    reasons = sorted(e["reason"].split(" (")[0].split(":")[0] for e in errors)
    assert reasons == ["binary file", "duplicate article id 'same'", "empty file", "invalid UTF-8"]
    ids = {a["article_id"] for a in read_lines(out / "articles.jsonl")}
    assert ids == {"korean", "page", "huge", "same", "../x", "../../etc/passwd"}
    pages = sorted(p.name for p in (out / "html" / "articles").iterdir())
    assert len(pages) == 6 and all(p.endswith(".html") and "/" not in p and ".." not in p for p in pages)
    huge = [r for r in read_lines(out / "sentences.jsonl") if r["article_id"] == "huge"]
    assert len(huge) >= 10_000 and all(len(r["text"]) <= 2000 for r in huge)


def test_article_of_100000_sentences(classifier, tmp_path):
    (tmp_path / "long.txt").write_text("Troops marched. " * 100_000)
    summary = run_scoring([str(tmp_path / "long.txt")], tmp_path / "o", classifier, progress=False, evidence=False)
    assert summary.sentences_scored == 100_000
    art = read_lines(tmp_path / "o" / "articles.jsonl")[0]
    assert art["n_sentences"] == 100_000


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_formats(tiny_framing_model, tmp_path, fmt):
    src = articles_file(tmp_path / "in.jsonl", 3)
    assert main(["score", str(src), "--out", str(tmp_path / "o"), "--model", str(tiny_framing_model), "--format", fmt, "--quiet"]) == 0
    if fmt == "csv":
        import csv

        rows = list(csv.DictReader((tmp_path / "o" / "sentences.csv").open()))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(tmp_path / "o" / "sentences.parquet").to_pylist()
    assert len(rows) == 12 and "score_grief" in rows[0] and rows[0]["article_id"] == "art-0000"


def test_score_without_out_prints_table_and_report_command(tiny_framing_model, tmp_path, capsys):
    src = articles_file(tmp_path / "in.jsonl", 2)
    assert main(["score", str(src), "--model", str(tiny_framing_model)]) == 0
    assert "art-0001" in capsys.readouterr().out
    main(["score", str(src), "--out", str(tmp_path / "o"), "--model", str(tiny_framing_model), "--quiet"])
    assert main(["report", str(tmp_path / "o"), "--article", "art-0001"]) == 0
    out = capsys.readouterr().out
    assert "art-0001" in out and "art-0000" not in out
    assert main(["report", str(tmp_path / "o"), "--article", "nope"]) == 2
    assert main(["report", str(tmp_path / "missing")]) == 2
