import json

import numpy as np
import pytest
import torch

from framing.config import Config, DataConfig, ModelConfig, TrainConfig, load_config
from framing.data import DataError
from framing.model import FramingClassifier
from framing.train import train

TINY = "tests/fixtures/tiny_corpus"


def tiny_config(model_dir, out_dir, **train_kw) -> Config:
    return Config(
        model=ModelConfig(base=str(model_dir), max_length=32, lora_r=4, lora_alpha=8),
        data=DataConfig(train=f"{TINY}/train.jsonl", dev=f"{TINY}/dev.jsonl", test=f"{TINY}/test.jsonl"),
        train=TrainConfig(epochs=2, batch_size=4, bf16=False, **train_kw),
        output_dir=str(out_dir),
    )


@pytest.fixture(scope="module")
def trained(tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    metrics = train(tiny_config(tiny_model_dir, out), progress=False)
    return out, metrics


def test_training_writes_run_folder(trained):
    out, metrics = trained
    for name in ("config.yaml", "train_log.jsonl", "metrics.json", "model/framing_config.json",
                 "model/heads.safetensors", "model/adapter.safetensors"):
        assert (out / name).exists(), name
    assert metrics["epochs_run"] >= 1 and metrics["train_rows"] == 9
    assert not list(out.rglob("*.bin")) and not list(out.rglob("*.pt"))


def test_save_load_reproduces_predictions_and_keeps_labels(trained, tmp_path):
    out, _ = trained
    first = FramingClassifier.load(out / "model")
    texts = ["The heroic martyrs died.", "The talks are on Tuesday.", "puppet " * 200]
    a = first.predict(texts)
    first.save(tmp_path / "again")
    second = FramingClassifier.load(tmp_path / "again")
    b = second.predict(texts)
    assert second.labels == first.labels == list(Config().labels)
    assert second.thresholds == first.thresholds
    np.testing.assert_array_equal(a.device_probs, b.device_probs)
    np.testing.assert_array_equal(a.sentiment_score, b.sentiment_score)
    assert a.n_windows.tolist()[:2] == [1, 1] and a.n_windows[2] > 1


def test_unknown_label_names_file_and_line(tiny_model_dir, tmp_path):
    bad = tmp_path / "train.jsonl"
    bad.write_text(json.dumps({"id": "x", "article_id": "a", "text": "t", "devices": ["heroism"], "sentiment": "neutral"}) + "\n")
    cfg = tiny_config(tiny_model_dir, tmp_path / "o")
    cfg.data.train = str(bad)
    with pytest.raises(DataError, match=r"train.jsonl:1: unknown label\(s\) heroism"):
        train(cfg, progress=False)


def test_empty_training_split_is_a_clear_error(tiny_model_dir, tmp_path):
    empty = tmp_path / "train.jsonl"
    empty.write_text("")
    cfg = tiny_config(tiny_model_dir, tmp_path / "o")
    cfg.data.train = str(empty)
    with pytest.raises(DataError, match="train split is empty"):
        train(cfg, progress=False)


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a framing model folder"):
        FramingClassifier.load(tmp_path)


def test_article_split_across_files_is_rejected(tiny_model_dir, tmp_path):
    cfg = tiny_config(tiny_model_dir, tmp_path / "o")
    cfg.data.dev = cfg.data.train
    with pytest.raises(DataError, match="split across train and dev"):
        train(cfg, progress=False)


def test_config_overrides_and_unknown_keys(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train:\n  epochs: 4\n")
    cfg = load_config(path, ["train.epochs=2", "model.max_length=64"])
    assert cfg.train.epochs == 2 and cfg.model.max_length == 64
    path.write_text("train:\n  epohcs: 4\n")
    with pytest.raises(ValueError, match="unknown key.*epohcs"):
        load_config(path)


def test_config_values_are_typed_and_yaml_exponents_read_as_numbers(tmp_path):
    path = tmp_path / "c.yaml"
    # PyYAML reads 5e-5 (no dot) as a string; a float field still gets the number
    path.write_text("train:\n  learning_rate: 5e-5\n  max_steps: null\n")
    cfg = load_config(path, ["train.head_learning_rate=1e-3", "train.epochs=3"])
    assert cfg.train.learning_rate == 5e-5 and isinstance(cfg.train.learning_rate, float)
    assert cfg.train.head_learning_rate == 1e-3 and cfg.train.epochs == 3 and cfg.train.max_steps is None
    for bad, message in (("train.epochs=many", "train.epochs must be int, got 'many'"),
                         ("train.epochs=2.5", "train.epochs must be int, got 2.5"),
                         ("train.bf16=maybe", "train.bf16 must be bool"),
                         ("train.learning_rate=fast", "train.learning_rate must be float"),
                         ("sentiment=3", "sentiment must be bool")):
        with pytest.raises(ValueError, match=f"c.yaml: {message}"):
            load_config(path, [bad])


def test_evaluate_reports_model_and_baselines(trained, tmp_path):
    from framing.evaluate import evaluate, to_markdown, write_evaluation

    out, _ = trained
    result = evaluate(out / "model", n_boot=50)
    assert result["n_sentences"] == 2 and result["data"] == "test"
    assert set(result["models"]) == {"framing", "lexicon", "tfidf_logreg", "vader"}
    per_label = result["models"]["framing"]["devices"]["per_label"]
    assert per_label["grief"]["support"] == 1 and 0.0 <= per_label["grief"]["f1"] <= 1.0
    assert "macro_f1" in result["models"]["vader"]["sentiment"]
    write_evaluation(result, tmp_path)
    assert "| lexicon |" in (tmp_path / "evaluation.md").read_text() and "grief" in to_markdown(result)


def test_lexicon_finds_its_cues():
    from framing.baselines import lexicon_predict

    out = lexicon_predict(["The martyrs were mourned.", "The talks begin."], ["heroic_martyrdom", "grief", "loyalty"])
    assert out.tolist() == [[True, True, False], [False, False, False]]


def test_manual_lora_merge_matches_peft(trained):
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    from framing.config import config_from_dict

    out, _ = trained
    loaded = FramingClassifier.load(out / "model")
    reference = FramingClassifier.from_config(config_from_dict(loaded.meta["config"]))
    set_peft_model_state_dict(reference.model.encoder, load_file(str(out / "model" / "adapter.safetensors")))
    reference.model.load_state_dict(load_file(str(out / "model" / "heads.safetensors")), strict=False)
    reference.model.eval()
    texts = ["The heroic martyrs died.", "Families mourned the fallen.", "The talks are on Tuesday."]
    np.testing.assert_allclose(loaded.predict(texts).device_probs, reference.predict(texts).device_probs, atol=1e-5)


def test_micro_thresholds_do_not_let_a_rare_label_flood_micro_f1():
    from framing.metrics import micro_f1, tune_thresholds, tune_thresholds_micro

    rng = np.random.default_rng(0)
    n = 400
    gold = np.zeros((n, 2), dtype=bool)
    gold[:200, 0] = True  # a common label the model separates well
    gold[:8, 1] = True  # a rare label it barely separates
    probs = np.column_stack([np.where(gold[:, 0], 0.8, 0.2) + rng.normal(0, 0.05, n),
                             np.where(gold[:, 1], 0.3, 0.2) + rng.normal(0, 0.08, n)]).clip(0, 1)
    per_label = tune_thresholds(gold, probs)
    micro = tune_thresholds_micro(gold, probs)
    assert micro_f1(gold, probs >= np.asarray(micro)) > micro_f1(gold, probs >= np.asarray(per_label))
    assert len(micro) == 2 and all(0 < t < 1 for t in micro)


def test_threshold_objective_is_validated():
    with pytest.raises(ValueError, match="threshold_objective"):
        TrainConfig(threshold_objective="macro")


def test_nyt_even_half_splits_into_train_and_dev_by_editorial(tmp_path):
    from framing.data import read_nyt_sentiment

    lines = [f"{e}_{k}\t{(e % 5) - 2}\tSentence {k} of editorial {e}." for e in range(1, 41) for k in (1, 2)]
    (tmp_path / "nytEditorialSnippets_GroundTruth.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    halves = {h: read_nyt_sentiment(tmp_path, half=h) for h in ("even", "odd", "even-train", "even-dev")}
    editorials = {h: {r["article_id"] for r in rows} for h, rows in halves.items()}
    assert editorials["even-train"].isdisjoint(editorials["even-dev"])
    assert editorials["even-train"] | editorials["even-dev"] == editorials["even"]
    assert editorials["even"].isdisjoint(editorials["odd"])
    assert len(editorials["even-dev"]) == 4  # editorials 2, 12, 22, 32
    assert halves["odd"][0]["sentiment_score"] == -0.25  # rating -1 of editorial 1, scaled by 1/4
    with pytest.raises(ValueError, match="half must be"):
        read_nyt_sentiment(tmp_path, half="all")


def test_training_with_lexical_blend_picks_a_weight_on_dev(tiny_model_dir, tmp_path):
    cfg = tiny_config(tiny_model_dir, tmp_path)
    cfg.model.lexical_blend = True
    metrics = train(cfg, progress=False)
    from framing.train import LEXICAL_WEIGHTS

    assert metrics["lexical_weight"] in LEXICAL_WEIGHTS
    assert set(metrics["dev_device_score_by_weight"]) == set(LEXICAL_WEIGHTS)
    best = max(metrics["dev_device_score_by_weight"].values())
    assert metrics["dev_device_score_by_weight"][metrics["lexical_weight"]] == best
    loaded = FramingClassifier.load(tmp_path / "model")
    assert loaded.lexical_weight == metrics["lexical_weight"]
    assert (loaded.lexical is not None) == (metrics["lexical_weight"] > 0)


def test_low_rank_delta_model_saves_small_and_loads_exactly(tiny_model_dir, tmp_path):
    from framing.low_rank import DELTA_FILE

    cfg = tiny_config(tiny_model_dir, tmp_path)
    cfg.model.adapter, cfg.model.delta_rank = "none", 2
    train(cfg, progress=False)
    folder = tmp_path / "model"
    assert (folder / DELTA_FILE).exists() and not (folder / "encoder").exists()
    loaded = FramingClassifier.load(folder)
    assert loaded.meta["adapter"] == "delta" and loaded.meta["delta_rank"] == 2
    texts = ["The heroes gave their lives.", "Talks resume on Monday."]
    # the model that was tuned is the one stored: loading twice and re-saving change nothing
    again = FramingClassifier.load(loaded.save(tmp_path / "copy"))
    np.testing.assert_array_equal(loaded.predict(texts).device_probs, again.predict(texts).device_probs)
    from safetensors.torch import load_file

    stored = load_file(str(folder / DELTA_FILE))
    factors = [v for k, v in stored.items() if k.endswith(".delta_a")]
    assert factors and all(v.shape[1] <= 2 and v.dtype == torch.float16 for v in factors)
    assert not any("word_embeddings" in k for k in stored)


def test_low_rank_delta_reproduces_the_trained_encoder(tiny_model_dir):
    from transformers import AutoModel

    from framing.low_rank import apply_low_rank_delta, low_rank_delta

    base = AutoModel.from_pretrained(tiny_model_dir)
    tuned = AutoModel.from_pretrained(tiny_model_dir)
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in tuned.named_parameters():
            if "word_embeddings" not in name:
                p += 0.01 * torch.randn_like(p)
    full_rank = max(min(p.shape) for p in tuned.parameters() if p.ndim == 2)
    state = low_rank_delta(tuned, base.state_dict(), full_rank)
    rebuilt = AutoModel.from_pretrained(tiny_model_dir)
    apply_low_rank_delta(rebuilt, state)
    for (name, a), b in zip(tuned.state_dict().items(), rebuilt.state_dict().values()):
        torch.testing.assert_close(a, b, atol=2e-4, rtol=0, msg=name)  # fp16 factors, full rank
    with torch.no_grad():
        tuned.get_input_embeddings().weight += 1.0
    with pytest.raises(ValueError, match="word embeddings changed"):
        low_rank_delta(tuned, base.state_dict(), 2)
    with pytest.raises(ValueError, match="does not fit"):
        apply_low_rank_delta(rebuilt, {"nowhere.weight": torch.zeros(2)}, "m")


def test_delta_rank_needs_full_fine_tuning():
    from framing.config import ModelConfig

    with pytest.raises(ValueError, match="delta_rank needs model.adapter 'none'"):
        ModelConfig(adapter="lora", delta_rank=8)
