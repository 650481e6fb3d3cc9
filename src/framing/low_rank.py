"""A fully fine-tuned encoder stored as its change from the base model, cut to low rank.

Each weight matrix's change ``W_tuned - W_base`` is replaced by its best rank-r approximation
``A @ B`` (truncated SVD; A and B kept in fp16); biases, LayerNorms and the small embedding
tables are kept whole. The word embeddings are frozen during such training, so they equal the
base model's and are not stored. The encoder is rebuilt from these tensors both right after
training and at load time, so a saved model predicts exactly what the trained one did.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

DELTA_FILE = "delta.safetensors"
_A, _B = ".delta_a", ".delta_b"


def word_embedding_name(encoder: nn.Module) -> str:
    """The state-dict name of the encoder's input (word) embedding matrix."""
    weight = encoder.get_input_embeddings().weight
    return next(name for name, p in encoder.named_parameters() if p is weight)


def low_rank_delta(encoder: nn.Module, base_state: dict[str, torch.Tensor], rank: int) -> dict[str, torch.Tensor]:
    """The tensors that rebuild ``encoder`` from ``base_state``: rank-``rank`` factors or whole tensors."""
    words = word_embedding_name(encoder)
    state = {}
    for name, weight in encoder.state_dict().items():
        if name == words:
            if not torch.equal(weight, base_state[name]):
                raise ValueError("the word embeddings changed in training; low-rank storage needs them frozen")
            continue
        if weight.ndim == 2 and weight.is_floating_point() and "embeddings" not in name:
            u, s, vh = torch.linalg.svd((weight - base_state[name]).float(), full_matrices=False)
            r = min(rank, len(s))
            state[name + _A] = (u[:, :r] * s[:r]).half().contiguous()
            state[name + _B] = vh[:r].half().contiguous()
        else:
            state[name] = weight.detach().clone().contiguous()
    return state


def apply_low_rank_delta(encoder: nn.Module, state: dict[str, torch.Tensor], where: Path | str = "") -> None:
    """Turn a base encoder into the stored one in place: ``W = W_base + A @ B``, other tensors replaced."""
    current = encoder.state_dict()
    rebuilt = {}
    for key, tensor in state.items():
        if key.endswith(_B):
            continue
        if key.endswith(_A):
            name = key[:-len(_A)]
            factor_b = state.get(name + _B)
            if name not in current or factor_b is None or current[name].shape != (tensor.shape[0], factor_b.shape[1]):
                raise ValueError(f"{where}: delta {name} does not fit the base model")
            rebuilt[name] = current[name] + (tensor.float() @ factor_b.float()).to(current[name].dtype)
        else:
            if key not in current or current[key].shape != tensor.shape:
                raise ValueError(f"{where}: tensor {key} does not fit the base model")
            rebuilt[key] = tensor
    missing = set(current) - set(rebuilt) - {word_embedding_name(encoder)}
    if missing:
        raise ValueError(f"{where}: the stored delta lacks {', '.join(sorted(missing)[:3])}")
    encoder.load_state_dict(rebuilt, strict=False)
