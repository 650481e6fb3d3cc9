#!/usr/bin/env python3
"""Print the corpus datasheet numbers (markdown): sizes, labels per split, registers, styles, pairs,
and inter-annotator agreement when data/corpus/agreement/ holds a second annotation.

Usage: python scripts/corpus_stats.py > docs/corpus-stats.md
"""
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from framing.labels import DEVICES, SENTIMENTS, VOICES  # noqa: E402

CORPUS = ROOT / "data" / "corpus"
SPLITS = ("train", "dev", "test")


def load(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main():
    splits = {name: load(CORPUS / f"{name}.jsonl") for name in SPLITS}
    rows = [r for name in SPLITS for r in splits[name]]
    n = len(rows)
    print("## Size\n")
    print("| split | articles | sentences | share |\n|---|---|---|---|")
    for name in SPLITS:
        arts = {r["article_id"] for r in splits[name]}
        print(f"| {name} | {len(arts)} | {len(splits[name])} | {len(splits[name]) / n:.1%} |")
    print(f"| all | {len({r['article_id'] for r in rows})} | {n} | 100% |\n")
    print("## Devices (sentences carrying each)\n")
    print("| device | " + " | ".join(SPLITS) + " | all |\n|---|" + "---|" * (len(SPLITS) + 1))
    for label in list(DEVICES) + ["(none)"]:
        cells = [sum((label in r["devices"]) if label != "(none)" else not r["devices"] for r in splits[s]) for s in SPLITS]
        print(f"| {label} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} ({sum(cells) / n:.1%}) |")
    print("\n## Sentiment and voice\n")
    print("| value | sentences |\n|---|---|")
    for key, values in (("sentiment", SENTIMENTS), ("voice", VOICES)):
        counts = Counter(r[key] for r in rows)
        for v in values:
            print(f"| {key} = {v} | {counts[v]} ({counts[v] / n:.1%}) |")
    print("\n## Registers and styles (articles)\n")
    articles = {r["article_id"]: (r["register"], r["style"], r["pair_id"]) for r in rows}
    reg = Counter(v[0] for v in articles.values())
    sent_reg = Counter(r["register"] for r in rows)
    print("| register | articles | sentences |\n|---|---|---|")
    for k in sorted(reg):
        print(f"| {k} | {reg[k]} | {sent_reg[k]} ({sent_reg[k] / n:.1%}) |")
    styles = Counter((v[0], v[1]) for v in articles.values())
    print("\n| register | style | articles |\n|---|---|---|")
    for (r, s), c in sorted(styles.items()):
        print(f"| {r} | {s} | {c} |")
    sides = defaultdict(set)
    for r, s, p in articles.values():
        if p:
            sides[p].add(r)
    both = sum(v >= {"state_media", "neutral"} for v in sides.values())
    print(f"\nEvents covered from both sides (`pair_id` with a state-media and a neutral article): **{both}**\n")
    dev_in_voice = Counter((r["voice"], bool(r["devices"])) for r in rows if r["register"] == "neutral")
    print("Neutral-register sentences with a device, by voice: " + ", ".join(
        f"{v}: {dev_in_voice[(v, True)]}/{dev_in_voice[(v, True)] + dev_in_voice[(v, False)]}" for v in VOICES) + "\n")
    titles = {"agreement.json": "second annotator blind to the first (session 1, all splits)",
              "test_pass_agreement.json": "the waves 1-2 test split relabelled blind, against its gold (session 2)",
              "traindev_pass_agreement.json": "the waves 1-2 train and dev splits relabelled blind, against their "
                                              "gold (session 2)",
              "wave3_pass_agreement.json": "wave 3 (all splits) relabelled blind, against its gold (session 2)"}
    for name, title in titles.items():
        path = CORPUS / "agreement" / name
        if not path.exists():
            continue
        a = json.loads(path.read_text(encoding="utf-8"))
        print(f"\n## Agreement ({a['n_sentences']} sentences: {title})\n")
        print("| label | Cohen's kappa | % agreement | F1 of the blind pass vs the reference | positives (ref. / blind) |")
        print("|---|---|---|---|---|")
        for label, m in a["labels"].items():
            f1 = m.get("f1_second_vs_first", m.get("macro_f1_second_vs_first"))
            f1_text = f"{f1:.3f}" + (" (macro)" if "macro_f1_second_vs_first" in m else "") if f1 is not None else "–"
            print(f"| {label} | {m['kappa']:.3f} | {m['agreement']:.1%} | {f1_text} | "
                  f"{m.get('pos_first', '–')} / {m.get('pos_second', '–')} |")
        if "device_macro_f1_second_vs_first" in a:
            print(f"\nDevice macro-F1 of the blind pass against the reference: "
                  f"**{a['device_macro_f1_second_vs_first']:.3f}**; exact device-set agreement "
                  f"{a['exact_device_set_agreement']:.1%}.")

if __name__ == "__main__":
    main()
