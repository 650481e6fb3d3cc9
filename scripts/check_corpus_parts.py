#!/usr/bin/env python3
"""Check hand-written corpus part files (data/corpus/parts/*.jsonl) before assembly.

Each line of a part file is one article:
{"article_id", "pair_id" (str or null), "register", "style", "source", "date", "title_index": 0,
 "sentences": [{"text", "devices", "sentiment", "voice", "para"}]}

Usage: python3 scripts/check_corpus_parts.py [PART ...]   (default: every part file)
Prints schema errors, per-file counts, and the template checks (shared 8-word runs,
first-four-word openings used more than 15 times) over all parts together.
Standard library only, so writers can run it before the project is installed.
"""
import collections
import glob
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from framing.corpus_checks import overused_openings, shared_runs  # noqa: E402
from framing.labels import DEVICES, REGISTERS, SENTIMENTS, VOICES  # noqa: E402

def main(paths):
    paths = paths or sorted(glob.glob("data/corpus/parts/*.jsonl"))
    errors, sentences = [], []
    ids = collections.Counter()
    for path in paths:
        counts = collections.Counter()
        n_sent = n_none = n_art = 0
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    art = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{where}: invalid JSON: {exc}")
                    continue
                n_art += 1
                for key in ("article_id", "pair_id", "register", "style", "source", "date", "sentences"):
                    if key not in art:
                        errors.append(f"{where}: missing field {key!r}")
                aid = art.get("article_id")
                ids[aid] += 1
                if art.get("register") not in REGISTERS:
                    errors.append(f"{where}: register {art.get('register')!r} not in {sorted(REGISTERS)}")
                last_para = 0
                for i, s in enumerate(art.get("sentences", [])):
                    sw = f"{where} sentence {i}"
                    text = s.get("text", "")
                    if not text or text != text.strip():
                        errors.append(f"{sw}: empty text or leading/trailing space")
                    bad = [d for d in s.get("devices", []) if d not in DEVICES]
                    if bad or "devices" not in s:
                        errors.append(f"{sw}: unknown or missing devices {bad}")
                    if s.get("sentiment") not in SENTIMENTS:
                        errors.append(f"{sw}: sentiment {s.get('sentiment')!r}")
                    if s.get("voice") not in VOICES:
                        errors.append(f"{sw}: voice {s.get('voice')!r}")
                    para = s.get("para")
                    if not isinstance(para, int) or para < last_para or para > last_para + 1:
                        errors.append(f"{sw}: para must be an int that starts at 0 and grows by 0 or 1")
                    else:
                        last_para = para
                    n_sent += 1
                    n_none += not s.get("devices")
                    counts.update(set(s.get("devices", [])))
                    sentences.append((f"{aid}#{i}", art.get("pair_id"), text))
        print(f"{path}: {n_art} articles, {n_sent} sentences, no-device share "
              f"{n_none / max(n_sent, 1):.0%}")
        print("   " + ", ".join(f"{d}={counts[d]}" for d in DEVICES))
    errors += [f"duplicate article_id {a!r}" for a, c in ids.items() if c > 1]

    for gram, ids in shared_runs(sentences):
        errors.append(f"shared 8-word run {gram!r} in {ids}")
    for opening, c in overused_openings(text for _, _, text in sentences).items():
        errors.append(f"opening {opening!r} used {c} times (max 15)")
    print(f"{len(sentences)} sentences in all")
    for e in errors:
        print("ERROR", e)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
