"""Implementations of the CLI subcommands (kept out of ``cli.py`` so that ``--help`` stays fast)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .types import Skip


def default_model_path() -> Path | None:
    """The shipped model: ``$FRAMING_MODEL``, else ``models/framing-minilm`` in the project checkout."""
    env = os.environ.get("FRAMING_MODEL")
    if env:
        return Path(env)
    path = Path(__file__).resolve().parents[2] / "models" / "framing-minilm"
    return path if (path / "framing_config.json").exists() else None


def load_classifier(model: str | None, *, device: str = "cpu", precision: str = "fp32"):
    """The classifier named by ``--model`` (or the shipped one), or None when none is trained yet."""
    from .model import FramingClassifier

    path = model or default_model_path()
    if path is None:
        print("note: no trained model found (models/framing-minilm); devices and sentiment are left empty",
              file=sys.stderr)
        return None, {"path": None}
    if model and not Path(model).exists():
        raise SystemExit(f"framing: model folder not found: {model} (give a folder written by `framing train`)")
    classifier = FramingClassifier.load(path).to(device, precision)
    return classifier, {"path": str(path), "precision": classifier.precision, "labels": classifier.labels,
                        "thresholds": classifier.thresholds,
                        "base_model": classifier.meta.get("base_model"), "config": classifier.meta.get("config")}


def score_command(args) -> int:
    """``framing score``: score inputs into ``--out`` (resumable), or print per-sentence tables."""
    from rich.console import Console

    from .readers import read_articles
    from .runner import run_scoring
    from .scoring import score_batch
    from .terminal import print_article

    classifier, info = load_classifier(args.model, device=args.device, precision=args.precision)
    if args.out:
        progress = not args.quiet and sys.stderr.isatty()
        workers = args.workers if args.workers is not None else (max(1, (os.cpu_count() or 2) - 2) if args.device == "cuda" else 0)
        summary = run_scoring(args.inputs, args.out, classifier, text_field=args.text_field, id_field=args.id_field,
                              batch_size=args.batch_size, device=args.device, limit=args.limit, progress=progress,
                              model_info=info, workers=workers)
        if args.format != "jsonl":
            from .tables import convert_sentences

            convert_sentences(Path(args.out), args.format)
        if args.html:
            from .report import write_html

            write_html(Path(args.out))
        for item in summary.skips:
            print(f"skipped {item.message()}", file=sys.stderr)
        if not args.quiet:
            print(f"{summary.articles_scored} articles scored ({summary.articles_resumed} already done), "
                  f"{summary.sentences_scored} sentences in {summary.seconds:.1f} s, {summary.skipped} skipped -> {args.out}")
        return 1 if summary.skipped else 0
    console = Console()
    skipped = n_articles = 0
    for item in read_articles(args.inputs, text_field=args.text_field, id_field=args.id_field):
        if isinstance(item, Skip):
            skipped += 1
            print(f"skipped {item.message()}", file=sys.stderr)
            continue
        n_articles += 1
        if args.limit is not None and n_articles > args.limit:
            break
        [(article, records)] = score_batch([item], classifier, batch_size=args.batch_size, device=args.device)
        if not args.quiet:
            print_article(console, item.id, records, article["framing_score"] if classifier else None)
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


def report_command(args) -> int:
    """``framing report DIR [--article ID] [--html]``: print the tables of a scored folder or render HTML."""
    import json

    from rich.console import Console

    from .runner import read_scored_sentences
    from .terminal import print_article

    folder = Path(args.folder)
    if not (folder / "articles.jsonl").exists() or not (folder / "sentences.jsonl").exists():
        print(f"framing report: {folder} has no articles.jsonl/sentences.jsonl; run `framing score ... --out {folder}` first",
              file=sys.stderr)
        return 2
    if args.html:
        from .report import write_html

        index = write_html(folder, only=args.article)
        print(f"HTML report written to {index}")
        return 0
    articles = {}
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if args.article is None or rec["article_id"] == args.article:
                articles[rec["article_id"]] = rec
    if args.article is not None and not articles:
        print(f"framing report: no article with id {args.article!r} in {folder}", file=sys.stderr)
        return 2
    records = read_scored_sentences(folder, articles)
    console = Console()
    for article_id, rec in articles.items():
        print_article(console, article_id, records[article_id], rec["framing_score"] if rec["device_counts"] else None)
    return 0


def compare_command(args) -> int:
    """``framing compare``: score inputs that are not scored yet, compare the groups, write JSON and HTML."""
    from .compare import compare_groups, is_scored_folder, load_groups
    from .compare_report import write_comparison
    from .runner import run_scoring

    out = Path(args.out)
    if args.group_by:
        if not args.inputs or args.a or args.b:
            print("framing compare: --group-by takes scored folder(s) as positional inputs, without --a/--b", file=sys.stderr)
            return 2
        folders = {"all": [Path(p) for p in args.inputs]}
    else:
        if not args.a and not args.b and len(args.inputs) == 2:
            args.a, args.b = [args.inputs[0]], [args.inputs[1]]
        elif not args.a or not args.b or args.inputs:
            print("framing compare: give A and B (two paths, or --a PATH... --b PATH...), "
                  "or one scored folder with --group-by FIELD", file=sys.stderr)
            return 2
        folders = {}
        classifier = info = None
        for key, name, paths in (("a", args.names[0], args.a), ("b", args.names[1], args.b)):
            if all(is_scored_folder(Path(p)) for p in paths):
                folders[name] = [Path(p) for p in paths]
                continue
            if classifier is None:
                classifier, info = load_classifier(args.model)
                if classifier is None:
                    print("framing compare: unscored inputs need a trained model (--model)", file=sys.stderr)
                    return 2
            target = out / f"scored-{key}"
            summary = run_scoring(list(paths), target, classifier, progress=sys.stderr.isatty(), model_info=info)
            for item in summary.skips:
                print(f"skipped {item.message()}", file=sys.stderr)
            folders[name] = [target]
    try:
        where = {name: dict(item.split("=", 1) for item in items)
                 for name, items in ((args.names[0], args.a_where), (args.names[1], args.b_where))}
    except ValueError:
        print("framing compare: --a-where/--b-where take FIELD=VALUE", file=sys.stderr)
        return 2
    groups = load_groups(folders, group_by=args.group_by, where=None if args.group_by else where,
                         max_articles=args.max_articles)
    if len(groups) != 2:
        print(f"framing compare: need exactly two groups, found {len(groups)}: {', '.join(g.name for g in groups)}",
              file=sys.stderr)
        return 2
    if args.group_by:
        wanted = [n for n in args.names if n in {g.name for g in groups}]
        if len(wanted) == 2:
            groups.sort(key=lambda g: wanted.index(g.name))
    encoder = None
    if not args.no_align:
        from .embed import SentenceEncoder

        encoder = SentenceEncoder(precision=args.embed_precision)
    result = compare_groups(groups[0], groups[1], n_boot=args.bootstrap, n_perm=args.permutations,
                            phrasing_voice=args.phrasing_voice, align=not args.no_align,
                            align_threshold=args.align_threshold, encoder=encoder)
    html = write_comparison(result, out)
    print(headline(result))
    print(f"written to {out / 'comparison.json'} and {html}")
    return 0


def headline(result: dict) -> str:
    """A few lines summarising a comparison for the terminal."""
    a, b = result["names"]
    lines = [f"{a}: {result['counts'][a]['articles']} articles / {result['counts'][a]['sentences']} sentences; "
             f"{b}: {result['counts'][b]['articles']} articles / {result['counts'][b]['sentences']} sentences"]
    for lab, m in result["device_rates"].items():
        lines.append(f"  {lab:22s} {a} {m['rate_a']:.3f}  {b} {m['rate_b']:.3f}  diff {m['difference']:+.3f} "
                     f"[{m['ci_difference'][0]:+.3f}, {m['ci_difference'][1]:+.3f}]  p_holm {m['p_holm']:.4f}")
    rep, quo = result["voice_split"]["reporter"], result["voice_split"]["quoted_or_attributed"]
    any_rate = lambda block, key: sum(block[lab][key] for lab in result["labels"])  # noqa: E731
    lines.append(f"  summed device rate, reporter voice: {a} {any_rate(rep, 'rate_a'):.3f}, {b} {any_rate(rep, 'rate_b'):.3f}; "
                 f"quoted/attributed: {a} {any_rate(quo, 'rate_a'):.3f}, {b} {any_rate(quo, 'rate_b'):.3f}")
    if result.get("document_separation"):
        d = result["document_separation"]
        lines.append(f"  ROC AUC of framing_score ({a} vs {b}): {d['roc_auc']:.3f} [{d['ci'][0]:.3f}, {d['ci'][1]:.3f}]")
    return "\n".join(lines)
