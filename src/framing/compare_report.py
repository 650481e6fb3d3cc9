"""Write a comparison: ``comparison.json`` and a self-contained ``comparison.html`` with embedded plots."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np

from .report import _colors
from .scoring import VOICE_GROUPS


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bars(ax, labels, blocks, names, title):
    x = np.arange(len(labels))
    for k, (key, ci_key, name) in enumerate((("rate_a", "ci_a", names[0]), ("rate_b", "ci_b", names[1]))):
        rates = np.array([blocks[lab][key] for lab in labels])
        ci = np.array([blocks[lab][ci_key] for lab in labels])
        err = np.vstack([np.clip(rates - ci[:, 0], 0, None), np.clip(ci[:, 1] - rates, 0, None)])
        ax.bar(x + (k - 0.5) * 0.4, rates, 0.4, yerr=err, capsize=2, label=name)
    ax.set_xticks(x, labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("share of sentences")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)


def plots(result: dict) -> dict[str, str]:
    """Base64 PNGs of the rates, voice split, sentiment and phrasing plots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, names = result["labels"], result["names"]
    out = {}
    fig, ax = plt.subplots(figsize=(9, 3.5))
    _bars(ax, labels, result["device_rates"], names, "Device rates with 95 % bootstrap intervals (articles resampled)")
    out["rates"] = _png(fig)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.5), sharey=True)
    for ax, g in zip(axes, VOICE_GROUPS):
        _bars(ax, labels, {lab: result["voice_split"][g][lab] for lab in labels}, names, f"{g} sentences")
    out["voice"] = _png(fig)
    fig, ax = plt.subplots(figsize=(5, 3))
    dist = [result["sentiment"][n]["distribution"] for n in names]
    keys = list(dist[0])
    x = np.arange(len(keys))
    for k, (n, d) in enumerate(zip(names, dist)):
        ax.bar(x + (k - 0.5) * 0.4, [d[s] for s in keys], 0.4, label=n)
    ax.set_xticks(x, keys)
    ax.set_ylabel("share of sentences")
    ax.legend(fontsize=8)
    out["sentiment"] = _png(fig)
    phrasing = result["distinctive_phrasing"]
    if phrasing.get("plot"):
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.scatter(np.log10(np.asarray(phrasing["plot"]["frequency"]) + 1), phrasing["plot"]["z"], s=3, alpha=0.4, color="grey")
        for row, color in [(r, "C0") for r in phrasing["top_a"][:12]] + [(r, "C1") for r in phrasing["top_b"][:12]]:
            ax.annotate(row["term"], (np.log10(row["count_a"] + row["count_b"] + 1), row["z"]), fontsize=7, color=color)
        ax.axhline(1.96, ls=":", color="k")
        ax.axhline(-1.96, ls=":", color="k")
        ax.set_xlabel("log10 frequency")
        ax.set_ylabel(f"z (+ {names[0]}, − {names[1]})")
        out["phrasing"] = _png(fig)
    return out


def write_comparison(result: dict, out_dir: str | Path) -> Path:
    """Write ``comparison.json`` and ``comparison.html`` into ``out_dir``; returns the HTML path."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slim = {**result, "distinctive_phrasing": {k: v for k, v in result["distinctive_phrasing"].items() if k != "plot"}}
    (out_dir / "comparison.json").write_text(json.dumps(slim, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    env = Environment(loader=PackageLoader("framing", "templates"), autoescape=select_autoescape(["html", "j2"]))
    phrasing = result["distinctive_phrasing"]
    rows = list(zip(phrasing.get("top_a", []), phrasing.get("top_b", [])))
    html = env.get_template("comparison.html.j2").render(
        r=result, plots=plots(result), voice_groups=list(VOICE_GROUPS), phrasing_rows=rows,
        colors=_colors(result["labels"]), labels=result["labels"], script_hashes="'none'")
    (out_dir / "comparison.html").write_text(html, encoding="utf-8")
    return out_dir / "comparison.html"
