#!/usr/bin/env python3
"""Learning curve of a training config: the same recipe on a seeded share of the training articles.

For each percentage, keeps that share of the training split's articles (whole articles, drawn with
a fixed seed, so a smaller share is a subset of a larger one), trains the config on them with
`framing train` (dev, test and the NYT rows unchanged) and evaluates on the test split with
`framing evaluate`. Then prints device and sentiment scores per share, with a log-linear fit of
device macro-F1 against the number of training sentences. A finished share is not retrained.

Usage: python scripts/learning_curve.py [--config configs/default.yaml] [--percent 50 75]
       [--full MODEL_FOLDER]   (a model already trained on 100 %, evaluated into MODEL/../eval-test)
"""
import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.config import load_config  # noqa: E402

SEED = 7


def subset(train_path: Path, percent: int, out: Path) -> int:
    """Write the first ``percent`` % of the shuffled training articles to ``out``; return its sentence count."""
    rows = [json.loads(line) for line in train_path.open(encoding="utf-8")]
    articles = sorted({r["article_id"] for r in rows})
    random.Random(SEED).shuffle(articles)
    keep = set(articles[: round(len(articles) * percent / 100)])
    kept = [r for r in rows if r["article_id"] in keep]
    with out.open("w", encoding="utf-8") as f:
        for r in kept:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(kept)


def scores(eval_dir: Path) -> dict:
    """Device and sentiment macro-F1 of the framing model in an evaluation folder."""
    framing = json.loads((eval_dir / "evaluation.json").read_text(encoding="utf-8"))["models"]["framing"]
    return {"device_macro_f1": framing["devices"]["macro_f1"], "sentiment_macro_f1": framing["sentiment"]["macro_f1"],
            "per_label": {k: v["f1"] for k, v in framing["devices"]["per_label"].items()}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default="configs/default.yaml")
    parser.add_argument("--percent", type=int, nargs="+", default=[50, 75])
    parser.add_argument("--full", help="model folder trained on all the training data (its eval-test is reused)")
    parser.add_argument("--out", default="runs/learning-curve")
    args = parser.parse_args()
    cfg = load_config(ROOT / args.config)
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    train_path = ROOT / cfg.data.train
    points = []
    for percent in args.percent:
        run = out / f"p{percent}"
        data = out / f"train{percent}.jsonl"
        n = subset(train_path, percent, data)
        if not (run / "eval-test" / "evaluation.json").exists():
            subprocess.run([sys.executable, "-m", "framing.cli", "train", args.config, f"data.train={data}",
                            f"output_dir={run}"], check=True, cwd=ROOT)
            subprocess.run([sys.executable, "-m", "framing.cli", "evaluate", str(run / "model"),
                            "--out", str(run / "eval-test")], check=True, cwd=ROOT)
        points.append((percent, n, scores(run / "eval-test")))
    if args.full:
        full = Path(args.full)
        eval_dir = full.parent / "eval-test" if (full.parent / "eval-test").exists() else full / "eval-test"
        n = sum(1 for _ in train_path.open(encoding="utf-8"))
        points.append((100, n, scores(eval_dir)))
    print("| share of training articles | sentences | device macro-F1 | sentiment macro-F1 | weakest device |")
    print("|---|---|---|---|---|")
    for percent, n, s in points:
        weakest = min(s["per_label"], key=s["per_label"].get)
        print(f"| {percent} % | {n:,} | {s['device_macro_f1']:.3f} | {s['sentiment_macro_f1']:.3f} | "
              f"{weakest} {s['per_label'][weakest]:.3f} |")
    if len(points) >= 2:
        x = np.log2([n for _, n, _ in points])
        y = np.array([s["device_macro_f1"] for _, _, s in points])
        slope, intercept = np.polyfit(x, y, 1)
        print(f"\nlog-linear fit: device macro-F1 = {intercept:.3f} + {slope:.3f} * log2(sentences)"
              f" -> +{slope:.3f} per doubling")
        if slope > 0:
            for target in (0.85,):
                need = 2 ** ((target - intercept) / slope)
                print(f"extrapolated sentences for {target}: {need:,.0f} ({need / points[-1][1]:.1f}x the largest run)")


if __name__ == "__main__":
    main()
