import csv
import gzip
import json

from framing.readers import read_articles
from framing.types import Article, Skip


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skip)]


def test_txt_file_is_one_article_named_by_stem(tmp_path):
    (tmp_path / "kcna_visit.txt").write_text("Headline\n\nBody sentence.", encoding="utf-8")
    arts, skips = split(read_articles([tmp_path / "kcna_visit.txt"]))
    assert [a.id for a in arts] == ["kcna_visit"] and not skips
    assert arts[0].text == "Headline\n\nBody sentence."


def test_jsonl_fields_metadata_and_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "One.", "source": "KCNA", "group": "state"}),
        "{not json",
        json.dumps({"id": "a2", "body": "no text field"}),
        "",
        json.dumps({"text": "No id here."}),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    arts, skips = split(read_articles([path]))
    assert [a.id for a in arts] == ["a1", "batch-5"]
    assert arts[0].metadata == {"source": "KCNA", "group": "state"}
    assert [(s.line, s.reason.split(":")[0]) for s in skips] == [
        (2, "invalid JSON"), (3, "missing text field 'text' (fields"), (6, "expected a JSON object, got list")]


def test_jsonl_custom_field_names_and_gzip(tmp_path):
    path = tmp_path / "k.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"doc": "d1", "body": "Text one.", "date": "2011-01-01"}) + "\n")
    arts, skips = split(read_articles([path], text_field="body", id_field="doc"))
    assert [(a.id, a.text, a.metadata) for a in arts] == [("d1", "Text one.", {"date": "2011-01-01"})]


def test_csv_rows_and_missing_column(tmp_path):
    good = tmp_path / "good.csv"
    with good.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "group"])
        w.writerow(["c1", 'Multi-line\n"quoted" text.', "neutral"])
        w.writerow(["c2", "", "neutral"])
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,x\n", encoding="utf-8")
    arts, skips = split(read_articles([good, bad]))
    assert [(a.id, a.metadata) for a in arts] == [("c1", {"group": "neutral"})]
    assert arts[0].text == 'Multi-line\n"quoted" text.'
    assert [(s.origin.endswith(n), s.line) for s, n in zip(skips, ["good.csv", "bad.csv"])] == [(True, 4), (True, 1)]
    assert "empty article text" in skips[0].reason and "no text column" in skips[1].reason


def test_html_main_text_without_scripts(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>T</title><script>var secret = 'SCRIPTTEXT';</script></head><body>"
        "<nav>Menu items</nav><article><h1>Leader visits farm</h1>"
        "<p>The leader visited a cooperative farm on Monday and praised its workers.</p>"
        "<p>Officials said the harvest rose by ten percent this year.</p></article></body></html>",
        encoding="utf-8")
    arts, skips = split(read_articles([page]))
    assert not skips and arts[0].id == "page"
    assert "praised its workers" in arts[0].text and "SCRIPTTEXT" not in arts[0].text


def test_folder_is_recursive_and_bad_files_are_skips(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("A fine article.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01\x02")
    (tmp_path / "latin1.txt").write_bytes("line one\nna\xefve caf\xe9".encode("latin-1"))
    (tmp_path / "notes.docx").write_bytes(b"PK")
    arts, skips = split(read_articles([tmp_path, tmp_path / "missing.txt"]))
    assert [a.id for a in arts] == ["good"]
    reasons = {s.origin.rsplit("/", 1)[-1]: (s.line, s.reason) for s in skips}
    assert reasons["binary.txt"][1].startswith("binary file")
    assert reasons["empty.txt"][1] == "empty file"
    assert reasons["latin1.txt"][0] == 2 and reasons["latin1.txt"][1].startswith("invalid UTF-8")
    assert reasons["notes.docx"][1].startswith("unsupported file type")
    assert reasons["missing.txt"][1] == "no such file or folder"


def test_twenty_megabyte_single_line_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 4_000_000, encoding="utf-8")
    arts, skips = split(read_articles([path]))
    assert len(arts) == 1 and len(arts[0].text) == 20_000_000 and not skips
