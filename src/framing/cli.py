"""The ``framing`` command line: thin wrappers over the library functions."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``framing`` subcommand."""
    parser = argparse.ArgumentParser(prog="framing", description=__doc__.split("\n")[0] + " Framing devices, sentiment and voice per sentence.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = sub.add_parser("score", help="score articles sentence by sentence", description=(
        "Read articles (.txt, .jsonl, .csv, .html, optionally .gz, or folders of them), split them into "
        "sentences, and label each sentence's framing devices, sentiment and voice. Without --out, prints "
        "a per-sentence table. Exit status 1 when any input was skipped (see errors.jsonl)."))
    score.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders of articles")
    score.add_argument("--out", help="output folder (sentences, articles, errors, run.json); resumable")
    score.add_argument("--model", help="model folder or Hugging Face id (default: the shipped model)")
    score.add_argument("--text-field", default="text", help="text field of JSONL/CSV records (default: text)")
    score.add_argument("--id-field", default="id", help="id field of JSONL/CSV records (default: id)")
    score.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="where the model runs")
    score.add_argument("--batch-size", type=int, default=64, help="sentences per model batch")
    score.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"],
                       help="model weights precision (auto: bf16 on CPUs with AVX-512 bf16, else fp32)")
    score.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "parquet"], help="format of the sentence table")
    score.add_argument("--html", action="store_true", help="also write the HTML report into --out")
    score.add_argument("--workers", type=int, default=None,
                       help="processes that segment and tokenize ahead of the model (default: 0 on CPU, "
                            "cores - 2 on CUDA)")
    score.add_argument("--limit", type=int, help="stop after this many articles")
    score.add_argument("--quiet", action="store_true", help="no progress bar or table")

    train = sub.add_parser("train", help="fine-tune a classifier from a config", description=(
        "Train a framing classifier on the corpus and label set named in CONFIG (YAML)."))
    train.add_argument("config", help="YAML config, e.g. configs/default.yaml")
    train.add_argument("overrides", nargs="*", help="dotted overrides such as train.epochs=3")

    evaluate = sub.add_parser("evaluate", help="evaluate a model with baselines", description=(
        "Evaluate MODEL on a data split: per-label P/R/F1 with bootstrap intervals, sentiment, "
        "calibration, next to TF-IDF, lexicon and VADER baselines."))
    evaluate.add_argument("model", help="model folder")
    evaluate.add_argument("--data", help="what to evaluate on (default: the test split of the model's config)")
    evaluate.add_argument("--format", dest="data_format", choices=["corpus", "semeval2023", "nyt"],
                          help="format of --data: a corpus JSONL file, a SemEval-2023 task 3 folder (its dev set), "
                               "or the VADER NYT-editorial folder (its odd half)")
    evaluate.add_argument("--out", default=None, help="folder for evaluation.json and evaluation.md (default: MODEL/../eval-NAME)")
    evaluate.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")

    compare = sub.add_parser("compare", help="compare two groups of articles", description=(
        "Compare how group A (e.g. state media) and group B (e.g. neutral reporting) frame events."))
    compare.add_argument("--a", nargs="+", help="articles or scored folders of group A")
    compare.add_argument("--b", nargs="+", help="articles or scored folders of group B")
    compare.add_argument("--names", nargs=2, default=["A", "B"], metavar=("NAME_A", "NAME_B"),
                         help='display names of the groups, e.g. --names "state media" "neutral"')
    compare.add_argument("--group-by", help="instead of --a/--b: one scored folder split by this article metadata field")
    compare.add_argument("inputs", nargs="*", help="A and B as two positional paths, or with --group-by: the scored folder(s)")
    compare.add_argument("--a-where", nargs="*", default=[], metavar="FIELD=VALUE",
                         help="keep only A articles whose metadata match, e.g. register=state_media")
    compare.add_argument("--b-where", nargs="*", default=[], metavar="FIELD=VALUE", help="the same for B")
    compare.add_argument("--max-articles", type=int, help="use at most the first N articles of each group")
    compare.add_argument("--out", required=True, help="output folder (comparison.json, comparison.html)")
    compare.add_argument("--model", help="model for inputs that are not scored yet (default: the shipped model)")
    compare.add_argument("--phrasing-voice", choices=["reporter", "all"], default="reporter",
                         help="which sentences feed the distinctive-phrasing analysis (default: reporter voice only)")
    compare.add_argument("--align-threshold", type=float, default=0.6, help="cosine similarity for aligned pairs")
    compare.add_argument("--no-align", action="store_true", help="skip the sentence alignment (no embeddings)")
    compare.add_argument("--embed-precision", default="fp32", choices=["fp32", "bf16", "fp16"],
                         help="precision of the MiniLM sentence embeddings used for alignment")
    compare.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples")
    compare.add_argument("--permutations", type=int, default=2000, help="permutations per test")

    report = sub.add_parser("report", help="show or render a scored folder", description=(
        "Print the per-sentence table of a folder written by `framing score --out`, or render it as HTML."))
    report.add_argument("folder", help="folder written by framing score --out")
    report.add_argument("--article", help="only this article id")
    report.add_argument("--html", action="store_true", help="write a self-contained HTML site into the folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "score":
        from .commands import score_command

        return score_command(args)
    if args.command == "compare":
        from .commands import compare_command

        return compare_command(args)
    if args.command == "report":
        from .commands import report_command

        return report_command(args)
    if args.command == "evaluate":
        from .commands import evaluate_command

        return evaluate_command(args)
    if args.command == "train":
        from .commands import train_command

        return train_command(args)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
