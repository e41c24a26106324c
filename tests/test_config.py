"""RunConfig and the one parser that CLI flags, widgets and URL parameters share."""
import ast
import dataclasses
from pathlib import Path

import pytest

from linviz import FIELDS, ConfigError, RunConfig, from_query, parse_config, parse_lenient, to_query

TUTORIAL = {"true_weights": (2, 3, 4, 7), "n_samples": 10, "lr": 1e-5, "epochs": 100, "batch_size": 1,
            "optimizer": "sgd", "schedule": "constant", "shuffle": False, "standardize": False, "noise_std": 0,
            "test_fraction": 0, "feature_min": 1, "feature_max": 100}


@pytest.mark.parametrize("attr, value", TUTORIAL.items())
def test_defaults_are_the_tutorial_configuration(attr, value):
    assert getattr(RunConfig(), attr) == value


def test_every_field_carries_a_comment_saying_why():
    src = Path(__file__).resolve().parents[1] / "linviz" / "config.py"
    lines = src.read_text().splitlines()
    cls = next(n for n in ast.parse(src.read_text()).body if isinstance(n, ast.ClassDef) and n.name == "RunConfig")
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and not node.target.id.startswith("_"):
            line = lines[node.lineno - 1]
            shares_previous = node.target.id == "feature_max" and "#" in lines[node.lineno - 2]  # min's comment
            assert "#" in line or shares_previous, f"no why-comment: {line.strip()}"


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RunConfig().lr = 1.0


@pytest.mark.parametrize("text", ["2,3,4,7", "2 3 4 7", "[2, 3, 4, 7]", " 2, 3 ,4,7 ", "2;3;4;7", "(2,3,4,7)"])
def test_weights_in_any_reasonable_notation(text):
    assert parse_config({"weights": text}).true_weights == (2.0, 3.0, 4.0, 7.0)


def test_types_are_coerced_from_text():
    cfg = parse_config({"samples": "20", "lr": "3e-5", "epochs": "1e3", "shuffle": "true", "standardize": "0",
                        "optimizer": "Adam", "device": "cpu", "batch_size": "4", "test_fraction": "0.25"})
    assert (cfg.n_samples, cfg.lr, cfg.epochs, cfg.shuffle, cfg.standardize) == (20, 3e-5, 1000, True, False)
    assert (cfg.optimizer, cfg.device, cfg.batch_size, cfg.test_fraction) == ("adam", "cpu", 4, 0.25)


def test_lr_list_makes_a_sweep():
    cfg = parse_config({"lr": "1e-5, 2e-5,4e-5"})
    assert cfg.is_sweep
    assert cfg.lrs == (1e-5, 2e-5, 4e-5)


def test_an_lr_in_brackets_is_a_sweep_of_one():
    assert parse_config({"lr": "[1e-5]"}).is_sweep
    assert not parse_config({"lr": "1e-5"}).is_sweep


BAD = [  # (values, field named in the error, a phrase of what is allowed)
    ({"weights": ""}, "true_weights", "empty"),
    ({"weights": "2,x,4"}, "true_weights", "'x' is not a number"),
    ({"weights": "2,nan"}, "true_weights", "finite"),
    ({"weights": "1e400"}, "true_weights", "finite"),
    ({"weights": ",".join(["1"] * 1001)}, "true_weights", "between 1 and 1000"),
    ({"samples": "0"}, "n_samples", "whole number from 1"),
    ({"samples": "-5"}, "n_samples", "whole number from 1"),
    ({"samples": "2.5"}, "n_samples", "whole number"),
    ({"samples": "ten"}, "n_samples", "number"),
    ({"lr": "0"}, "lr", "positive"),
    ({"lr": "-1e-5"}, "lr", "positive"),
    ({"lr": "inf"}, "lr", "positive"),
    ({"lr": "nan"}, "lr", "positive"),
    ({"lr": "1e10"}, "lr", "up to 1e9"),
    ({"lr": "fast"}, "lr", "such as 1e-5"),
    ({"epochs": "0"}, "epochs", "whole number"),
    ({"epochs": "1e9"}, "epochs", "1,000,000"),
    ({"batch_size": "11"}, "batch_size", "at most the number of training samples (10)"),
    ({"optimizer": "rmsprop"}, "optimizer", "sgd, momentum, adam"),
    ({"device": "tpu"}, "device", "auto, cpu, cuda, mps"),
    ({"schedule": "cosine"}, "schedule", "constant, step, exp"),
    ({"momentum": "1"}, "momentum", "up to (not including) 1"),
    ({"gamma": "0"}, "gamma", "above 0"),
    ({"shuffle": "maybe"}, "shuffle", "true or false"),
    ({"test_fraction": "0.95"}, "test_fraction", "no training data"),
    ({"test_fraction": "1"}, "test_fraction", "up to (not including) 1"),
    ({"noise_std": "-1"}, "noise_std", "0 or more"),
    ({"seed": "-1"}, "seed", "whole number"),
    ({"feature_min": "100", "feature_max": "1"}, "feature_max", "larger than"),
    ({"colour": "red"}, "colour", "Known settings"),
]


@pytest.mark.parametrize("values, field, phrase", BAD)
def test_bad_input_names_the_field_the_value_and_what_is_allowed(values, field, phrase):
    with pytest.raises(ConfigError) as info:
        parse_config(values)
    e = info.value
    assert e.field == field
    assert phrase in e.message, e.message
    if field in [f.attr for f in FIELDS]:
        label = next(f.label for f in FIELDS if f.attr == field)
        assert e.message.startswith(label)


def test_all_bad_fields_are_reported_at_once():
    with pytest.raises(ConfigError) as info:
        parse_config({"lr": "-1", "epochs": "0", "weights": "a"})
    assert set(info.value.errors) == {"lr", "epochs", "true_weights"}


@pytest.mark.parametrize("cfg", [
    RunConfig(),
    RunConfig(true_weights=(1.5, -2.25, 1e-3), lr=(1e-5, 3.3e-5), epochs=7, shuffle=True, optimizer="adam"),
    RunConfig(n_samples=50, batch_size=5, test_fraction=0.2, noise_std=0.1, standardize=True, schedule="exp",
              gamma=0.9, step_size=3, momentum=0.5, seed=123456, feature_min=-5, feature_max=5, device="cpu"),
])
def test_query_round_trip(cfg):
    assert from_query(to_query(cfg)) == cfg
    assert from_query(to_query(cfg, full=True)) == cfg


def test_query_values_are_text():
    cfg = RunConfig(lr=(1e-5, 2e-5), epochs=7, shuffle=True, seed=3)
    assert all(isinstance(v, str) for v in to_query(cfg, full=True).values())


def test_default_config_has_an_empty_query():
    assert to_query(RunConfig()) == {}


def test_lenient_parsing_keeps_good_fields_and_names_bad_ones():
    cfg, errors = parse_lenient({"lr": "-1", "epochs": "5", "batch_size": "50", "colour": "red"})
    assert cfg == RunConfig(epochs=5)
    assert set(errors) == {"lr", "batch_size", "colour"}
