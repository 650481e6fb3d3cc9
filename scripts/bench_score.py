#!/usr/bin/env python3
"""Scoring speed: the obvious way (transformers pipeline) against `framing score`, in one invocation.

Usage:
  python scripts/bench_score.py [--data ../shared/datasets/kcna-2011/kcna_2011.jsonl.gz]
                                [--articles 2000] [--model models/framing-minilm] [--device cpu]

Prints (markdown) for the same sentences: the pipeline("text-classification") baseline with the
merged model and default settings; framing's model-only throughput in fp32 and bf16 (fp16 on
CUDA); `framing score` end to end (read, segment, voice, model, evidence, write); the ratios;
label agreement with fp32; and the model-only ceiling = measured matmul GFLOP/s × FLOPs per
sentence at the measured mean length.
"""
import argparse
import itertools
import json
import os
import platform
import tempfile
import time

import numpy as np
import torch


def matmul_gflops(dtype, device, n=2048, repeats=20) -> float:
    """Measured dense matmul throughput."""
    a = torch.randn(n, n, device=device).to(dtype)
    b = torch.randn(n, n, device=device).to(dtype)
    for _ in range(3):
        a @ b
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device == "cuda":
        torch.cuda.synchronize()
    return 2 * n ** 3 * repeats / (time.perf_counter() - start) / 1e9


def flops_per_sentence(config, tokens: float) -> float:
    """Forward FLOPs of a BERT-style encoder for one sentence of ``tokens`` tokens (matmuls only)."""
    h, i, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_layer = 2 * tokens * (4 * h * h + 2 * h * i) + 4 * tokens * tokens * h
    return layers * per_layer


def pipeline_model(classifier):
    """The merged encoder + device head as a transformers model a pipeline can run (same math)."""
    from transformers import PreTrainedModel
    from transformers.modeling_outputs import SequenceClassifierOutput

    encoder_config = classifier.model.encoder.config

    class Merged(PreTrainedModel):
        config_class = type(encoder_config)
        _supports_sdpa = True  # attention runs inside the wrapped encoder, which already chose its kernel

        def __init__(self):
            cfg = encoder_config
            cfg.id2label = dict(enumerate(classifier.labels))
            cfg.label2id = {v: k for k, v in cfg.id2label.items()}
            cfg.problem_type = "multi_label_classification"
            super().__init__(cfg)
            self.inner = classifier.model

        def forward(self, input_ids=None, attention_mask=None, **kwargs):
            logits, _, _ = self.inner(input_ids, attention_mask)
            return SequenceClassifierOutput(logits=logits)

    return Merged().eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/datasets/kcna-2011/kcna_2011.jsonl.gz")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--model", default="models/framing-minilm")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--skip-pipeline", action="store_true", help="omit the (slow) pipeline baseline")
    args = parser.parse_args()

    from transformers import pipeline

    from framing.model import FramingClassifier
    from framing.readers import read_articles
    from framing.runner import run_scoring
    from framing.sentences import article_sentences
    from framing.types import Article

    articles = [a for a in itertools.islice(read_articles([args.data]), args.articles) if isinstance(a, Article)]
    subset = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    for a in articles:
        subset.write(json.dumps({"id": a.id, "text": a.text}) + "\n")
    subset.close()
    sentences = [s.text for a in articles for s in article_sentences(a)]
    fp32 = FramingClassifier.load(args.model).to(args.device, "fp32")
    lengths = [len(x) for x in fp32.tokenizer(sentences, truncation=True, max_length=fp32.max_length)["input_ids"]]
    mean_tokens = float(np.mean(lengths))
    flops = flops_per_sentence(fp32.model.encoder.config, mean_tokens)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), device {args.device}"
          + (f" ({torch.cuda.get_device_name()})" if args.device == "cuda" else ""))
    print(f"inputs: {len(articles)} articles of {args.data}, {len(sentences):,} sentences, mean {mean_tokens:.1f} tokens "
          f"-> {flops / 1e9:.3f} GFLOP per sentence\n")
    g32 = matmul_gflops(torch.float32, args.device)
    low = torch.float16 if args.device == "cuda" else torch.bfloat16
    glow = matmul_gflops(low, args.device)
    print(f"matmul: fp32 {g32:,.0f} GFLOP/s, {str(low).split('.')[-1]} {glow:,.0f} GFLOP/s -> model-only ceilings "
          f"fp32 {g32 * 1e9 / flops:,.0f}, {str(low).split('.')[-1]} {glow * 1e9 / flops:,.0f} sentences/s\n")

    rows, results = [], {}

    def record(name, seconds, labels=None):
        rate = len(sentences) / seconds
        results[name] = {"rate": rate, "labels": labels}
        rows.append((name, rate))

    if not args.skip_pipeline:
        pipe = pipeline("text-classification", model=pipeline_model(fp32), tokenizer=fp32.tokenizer,
                        device=args.device, top_k=None, function_to_apply="sigmoid")
        start = time.perf_counter()
        out = pipe(sentences, truncation=True, max_length=fp32.max_length)
        seconds = time.perf_counter() - start
        index = {lab: j for j, lab in enumerate(fp32.labels)}
        probs = np.zeros((len(sentences), len(fp32.labels)), dtype=np.float32)
        for i, scores in enumerate(out):
            for item in scores:
                probs[i, index[item["label"]]] = item["score"]
        if fp32.lexical is not None and fp32.lexical_weight > 0:
            # the same model: the word n-gram part is blended in after the pipeline (and timed)
            from framing.lexical import blend

            start_lexical = time.perf_counter()
            probs = blend(probs, fp32.lexical.predict_proba(sentences), fp32.lexical_weight)
            seconds += time.perf_counter() - start_lexical
        record("pipeline, default settings (baseline)", seconds, fp32.decide(probs))
    for precision in ("fp32", "bf16" if args.device == "cpu" else "fp16"):
        clf = FramingClassifier.load(args.model).to(args.device, precision)
        clf.predict(sentences[:256], batch_size=64, device=args.device)  # warm-up
        start = time.perf_counter()
        preds = clf.predict(sentences, batch_size=64 if args.device == "cpu" else 512, device=args.device)
        record(f"framing model only, {precision}", time.perf_counter() - start, clf.decide(preds.device_probs))
        with tempfile.TemporaryDirectory() as out_dir:
            start = time.perf_counter()
            summary = run_scoring([subset.name], out_dir, clf, progress=False, device=args.device,
                                  batch_size=64 if args.device == "cpu" else 512)
            seconds = time.perf_counter() - start
        assert summary.sentences_scored == len(sentences), (summary.sentences_scored, len(sentences))
        record(f"framing score end to end, {precision}", seconds)
    os.unlink(subset.name)

    base = results.get("pipeline, default settings (baseline)", {}).get("rate")
    reference = results["framing model only, fp32"]["labels"]
    print("| path | sentences/s | vs pipeline | device labels = fp32 (sentences) |\n|---|---|---|---|")
    for name, rate in rows:
        labels = results[name]["labels"]
        agree = f"{(labels == reference).all(1).mean():.2%}" if labels is not None else "–"
        print(f"| {name} | {rate:,.0f} | {rate / base:.2f}x |" if base else f"| {name} | {rate:,.0f} | – |", agree, "|")
    best = max(r for n, r in rows if "model only, fp32" in n)
    print(f"\nmodel-only fp32 = {best / (g32 * 1e9 / flops):.0%} of the measured fp32 ceiling")


if __name__ == "__main__":
    main()
