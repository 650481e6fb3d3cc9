"""Self-contained HTML reports of a scored folder: an index and one page per article.

Pages make no external requests; a Content-Security-Policy allows only the one inline
sorting script (by hash), and every piece of article text is escaped, so nothing in an
article can run as script.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from markupsafe import Markup, escape

DEVICE_COLORS = {
    "heroic_martyrdom": "#e4572e", "loyalty": "#b07cc6", "grief": "#5b8def", "leader_benevolence": "#59b36b",
    "national_glory": "#f2c14e", "enemy_vilification": "#d1495b", "fear_appeal": "#f08a4b",
    "alliance_solidarity": "#3fb8af",
}
_FALLBACK_COLORS = ("#8c8c8c", "#a3a380", "#7fb3d5", "#c39bd3", "#76d7c4", "#f7dc6f")
SORT_SCRIPT = """
document.body.dataset.sortable = "yes";
document.querySelectorAll('#articles th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var desc = th.dataset.order !== 'desc';
    th.dataset.order = desc ? 'desc' : 'asc';
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var r = th.dataset.type === 'num' ? parseFloat(x.dataset.value) - parseFloat(y.dataset.value)
                                        : x.textContent.localeCompare(y.textContent);
      return desc ? -r : r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""


def page_name(article_id: str) -> str:
    """A safe file name for an article page: a slug of the id plus a hash (ids may hold ``../``)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", article_id).strip("-")[:60] or "article"
    return f"{slug}-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:10]}.html"


def _colors(labels: list[str]) -> dict[str, str]:
    extra = iter(_FALLBACK_COLORS * (len(labels) // len(_FALLBACK_COLORS) + 1))
    return {lab: DEVICE_COLORS.get(lab) or next(extra) for lab in labels}


def sentence_html(record: dict) -> Markup:
    """The sentence text, escaped, with quoted spans in ``<q>`` and evidence words in ``<strong>``."""
    text, offset = record["text"], record["start"]
    quoted = [False] * len(text)
    for a, b in record.get("quote_spans") or []:
        for i in range(max(a - offset, 0), min(b - offset, len(text))):
            quoted[i] = True
    evidence = [False] * len(text)
    for words in (record.get("evidence") or {}).values():
        for word in words:
            m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)
            if m:
                evidence[m.start():m.end()] = [True] * (m.end() - m.start())
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and quoted[j] == quoted[i] and evidence[j] == evidence[i]:
            j += 1
        piece = escape(text[i:j])
        if evidence[i]:
            piece = Markup('<strong class="evidence">') + piece + Markup("</strong>")
        if quoted[i]:
            piece = Markup('<q class="quoted">') + piece + Markup("</q>")
        out.append(piece)
        i = j
    return Markup("").join(out)


def _hover(record: dict) -> str:
    scores = record.get("scores") or {}
    parts = [f"{k} {v:.2f}" for k, v in sorted(scores.items(), key=lambda kv: -kv[1]) if v >= 0.05]
    if record.get("sentiment"):
        parts.append(f"sentiment {record['sentiment']} {record['sentiment_score']:+.2f}")
    return "; ".join(parts) or "no device probability above 0.05"


def write_html(folder: Path, *, only: str | None = None) -> Path:
    """Render ``index.html`` and ``articles/*.html`` from a folder written by ``framing score --out``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from .runner import read_scored_sentences

    folder = Path(folder)
    env = Environment(loader=PackageLoader("framing", "templates"), autoescape=select_autoescape(["html", "j2"]))
    digest = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode()
    articles = [json.loads(line) for line in (folder / "articles.jsonl").open(encoding="utf-8")]
    labels = list(articles[0]["device_counts"]) if articles else []
    colors = _colors(labels)
    common = {"labels": labels, "colors": colors}
    pages = folder / "html" / "articles"
    pages.mkdir(parents=True, exist_ok=True)
    wanted = {a["article_id"] for a in articles if only is None or a["article_id"] == only}
    by_article = read_scored_sentences(folder, wanted)
    article_page = env.get_template("article.html.j2")
    rows = []
    for a in articles:
        href = "articles/" + page_name(a["article_id"])
        top = Counter({k: v for k, v in a["device_counts"].items() if v}).most_common(3)
        rows.append({**a, "href": href, "top_devices": top, "title": (a.get("metadata") or {}).get("title", "")})
        if a["article_id"] not in wanted:
            continue
        records = by_article[a["article_id"]]
        biggest = max(a["device_counts"].values(), default=0) or 1
        chart = [{"name": n, "count": c, "color": colors[n], "width": int(360 * c / biggest)} for n, c in a["device_counts"].items()]
        sentences = [{**r, "html": sentence_html(r), "hover": _hover(r), "devices": r["devices"] or [],
                      "css": f"b-{max(r['devices'], key=lambda d: r['scores'][d])}" if r["devices"] else ""}
                     for r in records]
        metadata = [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in (a.get("metadata") or {}).items()]
        (folder / "html" / href).write_text(article_page.render(
            article=a, sentences=sentences, chart=chart, metadata=metadata, script_hashes="'none'", **common),
            encoding="utf-8")
    rows.sort(key=lambda r: (-r["framing_score"], r["article_id"]))
    index = env.get_template("index.html.j2").render(
        articles=rows, n_sentences=sum(r["n_sentences"] for r in rows), sort_script=Markup(SORT_SCRIPT),
        script_hashes=f"'sha256-{digest}'", **common)
    (folder / "html" / "index.html").write_text(index, encoding="utf-8")
    return folder / "html" / "index.html"
