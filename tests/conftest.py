"""Shared fixtures. Nothing here reaches a model hub: tiny models are built from a config."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_article_path() -> Path:
    """The article the project started from (read by path, never copied into the project)."""
    path = SHARED / "seeds" / "000_e767feebfdfeb732.txt"
    if not path.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    return path


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A random-weight BERT (2 layers, hidden 32) with a word-level vocabulary, saved like a real model."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    import torch

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = ("the a of to and in said state media leader kim heroic martyrs glory enemy puppet friendship "
             "grief mourned loyal devoted threat war killed families beautiful life").split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *".,;:!?\"'"]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=128, num_labels=2)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_framing_model(tiny_model_dir, tmp_path_factory) -> Path:
    """A framing model trained for a few steps on the tiny fixture corpus, on top of the tiny BERT."""
    from framing.config import Config, DataConfig, ModelConfig, TrainConfig
    from framing.train import train

    out = tmp_path_factory.mktemp("tiny-framing")
    tiny = ROOT / "tests" / "fixtures" / "tiny_corpus"
    cfg = Config(model=ModelConfig(base=str(tiny_model_dir), max_length=128, lora_r=4, lora_alpha=8),
                 data=DataConfig(train=str(tiny / "train.jsonl"), dev=str(tiny / "dev.jsonl"), test=str(tiny / "test.jsonl")),
                 train=TrainConfig(epochs=1, batch_size=4, bf16=False, max_steps=2), output_dir=str(out))
    train(cfg, progress=False)
    return out / "model"
