"""Implementations of the CLI subcommands (kept out of ``cli.py`` so that ``--help`` stays fast)."""

from __future__ import annotations

import sys

from .readers import read_articles
from .sentences import article_sentences
from .types import Skip


def score_command(args) -> int:
    """``framing score``: read, segment, attribute voice and print the per-sentence table."""
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    skipped = 0
    n_articles = 0
    for item in read_articles(args.inputs, text_field=args.text_field, id_field=args.id_field):
        if isinstance(item, Skip):
            skipped += 1
            print(f"skipped {item.message()}", file=sys.stderr)
            continue
        n_articles += 1
        if args.limit is not None and n_articles > args.limit:
            break
        sentences = article_sentences(item)
        if args.quiet:
            continue
        table = Table(title=f"{item.id}  ({len(sentences)} sentences)", show_lines=False, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("voice", no_wrap=True)
        table.add_column("sentence", ratio=3)
        table.add_column("devices", ratio=1)
        for s in sentences:
            table.add_row(str(s.index), s.voice, s.text, "[dim]model not trained yet[/]")
        console.print(table)
    return 1 if skipped else 0


def train_command(args) -> int:
    """``framing train CONFIG [section.key=value ...]``: train and print where the model went."""
    import json

    from .config import load_config
    from .train import train

    cfg = load_config(args.config, args.overrides)
    metrics = train(cfg)
    print(json.dumps(metrics, indent=2))
    print(f"model saved in {cfg.output_dir}/model")
    return 0


def evaluate_command(args) -> int:
    """``framing evaluate MODEL [--data ...]``: metrics and baselines as JSON and markdown."""
    from pathlib import Path

    from .evaluate import evaluate, to_markdown, write_evaluation

    result = evaluate(args.model, data=args.data, data_format=args.data_format, n_boot=args.bootstrap)
    out = args.out or Path(args.model).resolve().parent / f"eval-{result['data']}"
    write_evaluation(result, out)
    print(to_markdown(result))
    print(f"written to {out}/evaluation.json and evaluation.md")
    return 0
