"""Sentence embeddings from the plain MiniLM encoder (mean pooling, unit length), for alignment."""

from __future__ import annotations

import numpy as np
import torch

from .config import DEFAULT_BASE_MODEL
from .model import PAD_MULTIPLE, pad_batch, resolve_base


class SentenceEncoder:
    """A Hugging Face encoder used as a sentence embedder (all-MiniLM-L6-v2 by default).

    ``precision`` is ``fp32``, ``bf16`` or ``fp16``; bf16 on a CPU with AVX-512 bf16 is about 2.5x
    faster and only nudges similarities (``docs/compare.md``).
    """

    def __init__(self, base: str = DEFAULT_BASE_MODEL, *, max_length: int = 128, device: str = "cpu",
                 precision: str = "fp32"):
        from transformers import AutoModel, AutoTokenizer

        from .model import PRECISIONS

        location = resolve_base(base)
        self.tokenizer = AutoTokenizer.from_pretrained(location, trust_remote_code=False)
        self.model = AutoModel.from_pretrained(location, trust_remote_code=False, use_safetensors=True).eval()
        self.model.to(device=device, dtype=PRECISIONS[precision])
        self.max_length = max_length
        self.device = device

    @torch.inference_mode()
    def encode(self, texts: list[str], *, batch_size: int = 128) -> np.ndarray:
        """Unit-length float32 embeddings ``[n, hidden]``, computed in length-sorted batches."""
        enc = self.tokenizer(list(texts), truncation=True, max_length=self.max_length, padding=False)["input_ids"]
        order = np.argsort([len(x) for x in enc], kind="stable")
        out = np.zeros((len(enc), self.model.config.hidden_size), dtype=np.float32)
        pad = self.tokenizer.pad_token_id or 0
        for b in range(0, len(enc), batch_size):
            idx = order[b:b + batch_size]
            ids, mask = pad_batch([enc[i] for i in idx], pad, PAD_MULTIPLE)
            hidden = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).last_hidden_state
            m = mask.to(self.device).unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            out[idx] = torch.nn.functional.normalize(pooled.float(), dim=-1).cpu().numpy()
        return out


def top_matches(queries: np.ndarray, corpus: np.ndarray, *, k: int = 1, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the ``k`` most similar corpus rows by dot product (cosine for unit vectors).

    Computed as blocked matrix products with ``torch.topk``; returns ``(similarities, indices)``, each ``[n, k]``.
    """
    k = min(k, len(corpus))
    corpus_t = torch.from_numpy(np.ascontiguousarray(corpus))
    sims, idx = [], []
    for start in range(0, len(queries), block):
        scores = torch.from_numpy(np.ascontiguousarray(queries[start:start + block])) @ corpus_t.T
        top = torch.topk(scores, k, dim=1)
        sims.append(top.values.numpy())
        idx.append(top.indices.numpy())
    if not sims:
        return np.zeros((0, k), dtype=np.float32), np.zeros((0, k), dtype=np.int64)
    return np.concatenate(sims), np.concatenate(idx)
