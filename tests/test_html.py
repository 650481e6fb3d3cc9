"""The HTML reports opened in real headless Chromium (Debian's chromium package)."""

import json
import os
import re
import shutil
import subprocess

import pytest

from framing.cli import main
from framing.compare import load_groups, compare_groups
from framing.compare_report import write_comparison

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL = ('Evil <script>document.title="PWNED";document.body.setAttribute("data-pwned","1")</script> headline\n\n'
        'The leader said "<img src=x onerror=document.body.setAttribute(\'data-pwned\',\'2\')> heroic martyrs" today. '
        'Families & friends mourned </div><b>bold</b>.')


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


def run_chromium(chromium, tmp_path, url, *extra):
    result = subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra, url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def scored(tiny_framing_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("html")
    (root / "in.jsonl").write_text(json.dumps({"id": "../evil<x>", "text": EVIL, "title": "<i>t</i>"}) + "\n" +
                                   json.dumps({"id": "plain", "text": "Plain report\n\nTalks are on Tuesday."}) + "\n")
    assert main(["score", str(root / "in.jsonl"), "--out", str(root / "out"), "--model", str(tiny_framing_model),
                 "--quiet", "--html"]) == 0
    return root / "out"


def test_article_page_renders_escaped_text_and_runs_no_article_script(chromium, scored, tmp_path):
    pages = list((scored / "html" / "articles").glob("evil*.html"))
    assert len(pages) == 1
    dom = run_chromium(chromium, tmp_path, pages[0].as_uri(), "--dump-dom")
    assert 'data-pwned="' not in dom and "<title>PWNED" not in dom
    text = re.sub(r"<[^>]+>", "", dom)  # the visible text, with evidence and quote markup removed
    assert '&lt;script&gt;document.title="PWNED"' in text and "&lt;img src=x onerror=" in text
    assert "Families &amp; friends mourned &lt;/div&gt;&lt;b&gt;bold&lt;/b&gt;." in text
    assert dom.count('class="sentence') == 3 and 'class="legend"' in dom and "<svg" in dom
    assert '<q class="quoted">' in dom
    shot = tmp_path / "article.png"
    run_chromium(chromium, tmp_path, pages[0].as_uri(), f"--screenshot={shot}", "--window-size=1200,900")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_index_lists_articles_and_only_its_own_script_runs(chromium, scored, tmp_path):
    dom = run_chromium(chromium, tmp_path, (scored / "html" / "index.html").as_uri(), "--dump-dom")
    assert 'data-sortable="yes"' in dom  # the page's own (hash-allowed) sorting script ran
    assert 'data-pwned="' not in dom and "../evil&lt;x&gt;" in dom and "&lt;i&gt;t&lt;/i&gt;" in dom
    assert dom.count("<tr>") == 3
    html = (scored / "html" / "index.html").read_text()
    assert "http://" not in html and "https://" not in html


def test_comparison_page_renders(chromium, scored, tmp_path):
    groups = load_groups({"all": [scored]}, group_by="title")
    result = compare_groups(groups[0], groups[1], n_boot=50, n_perm=50, align=False)
    page = write_comparison(result, tmp_path / "cmp")
    dom = run_chromium(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert "Device rates" in dom and "Voice split" in dom and dom.count('src="data:image/png;base64,') >= 3
    shot = tmp_path / "comparison.png"
    run_chromium(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1200,2000")
    assert shot.stat().st_size > 10_000
