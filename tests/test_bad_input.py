"""A table of bad inputs through every door: CLI flags, dashboard widgets and URL query parameters.

Each must get a message naming the field and what is allowed, never a traceback, and must not lose a run
already on screen. User text is shown escaped, so markup typed into a field stays text."""

import pytest
import torch
from helpers_page import app, charts, plain

from linviz.cli import main

MANY = ",".join(["1"] * 1001)
NO_CUDA = not torch.cuda.is_available()

CLI = [  # (argv, what the message must name)
    (["--weights", ""], "True weights"), (["--weights", "2,,x"], "True weights"), (["--weights", "nan"], "True weights"),
    (["--weights", "1e400"], "True weights"), (["--weights", MANY], "True weights"),
    (["--weights", "<script>alert(1)</script>"], "True weights"), (["--samples", "0"], "Samples"),
    (["--samples", "-5"], "Samples"), (["--samples", "2.5"], "Samples"), (["--samples", "1e12"], "Samples"),
    (["--lr", "0"], "Learning rate"), (["--lr", "-1"], "Learning rate"), (["--lr", "inf"], "Learning rate"),
    (["--lr", "nan"], "Learning rate"), (["--lr", "1e300"], "Learning rate"), (["--lr", "abc"], "Learning rate"),
    (["--epochs", "0"], "Epochs"), (["--epochs", "1e9"], "Epochs"), (["--batch-size", "11"], "Batch size"),
    (["--device", "tpu"], "Device"), (["--optimizer", "rmsprop"], "Optimizer"),
    (["--test-fraction", "0.99"], "Test fraction"), (["--momentum", "1.5"], "Momentum"), (["--seed", "-1"], "Seed"),
    (["--noise-std", "-1"], "Label noise"), (["--feature-min", "5", "--feature-max", "5"], "Largest feature"),
    (["--samples", "10000000", "--weights", ",".join(["1"] * 1000)], "GiB"), (["--print-every", "0"], "print_every"),
] + ([(["--device", "cuda"], "Device")] if NO_CUDA else [])


@pytest.mark.parametrize("argv, field", CLI, ids=[" ".join(a)[:40] for a, _ in CLI])
def test_cli(argv, field, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert field in err
    assert "Traceback" not in err


URL = [  # (parameter, value, field label named in the warning)
    ("lr", "banana", "Learning rate"), ("lr", "-1", "Learning rate"), ("lr", "1e300", "Learning rate"),
    ("weights", "", "True weights"), ("weights", "<b>x</b>", "True weights"),
    ("weights", "![x](http://example.invalid/x.png)", "True weights"), ("samples", "-3", "Samples"),
    ("samples", "abc", "Samples"), ("epochs", "0", "Epochs"), ("device", "tpu", "Device"),
    ("optimizer", "sgdx", "Optimizer"), ("batch_size", "999", "Batch size"), ("test_fraction", "1", "Test fraction"),
    ("shuffle", "maybe", "Shuffle"), ("colour", "red", "Unknown setting 'colour'"), ("schedule", "cos", "LR schedule"),
    ("gamma", "2", "Decay factor"), ("momentum", "-1", "Momentum"), ("seed", "1e30", "Seed"),
] + ([("device", "cuda", "Device")] if NO_CUDA else [])


@pytest.mark.parametrize("key, value, field", URL, ids=[f"{k}={v}"[:40] for k, v, _ in URL])
def test_url(key, value, field):
    at = app({key: value, "epochs": "7"} if key != "epochs" else {key: value})
    assert not at.exception
    warnings = " ".join(plain(w.value) for w in at.warning)
    assert field in warnings
    assert "their defaults are used instead" in warnings
    shown = " ".join(w.value for w in at.warning)  # markup stays text:
    assert "![" not in shown
    assert "<b>" not in shown
    assert not at.button(key="btn_train").disabled  # the defaults stand in: the page still works


WIDGETS = [  # (widget kind, key, value, field label named in the error)
    ("text_input", "cfg_true_weights", "", "True weights"), ("text_input", "cfg_true_weights", "2,x", "True weights"),
    ("text_input", "cfg_true_weights", "nan", "True weights"), ("text_input", "cfg_true_weights", "inf", "True weights"),
    ("text_input", "cfg_true_weights", "<script>alert(1)</script>", "True weights"),
    ("text_input", "cfg_true_weights", "**bold** ![x](http://example.invalid/x.png)", "True weights"),
    ("text_input", "cfg_true_weights", MANY, "True weights"), ("text_input", "cfg_lr", "0", "Learning rate"),
    ("text_input", "cfg_lr", "-1", "Learning rate"), ("text_input", "cfg_lr", "1e300", "Learning rate"),
    ("text_input", "cfg_lr", "abc", "Learning rate"), ("text_input", "cfg_lr", "nan", "Learning rate"),
    ("text_input", "cfg_lr", "[]", "Learning rate"), ("text_input", "cfg_batch_size", "11", "Batch size"),
    ("text_input", "cfg_test_fraction", "0.95", "Test fraction"),
    ("text_input", "cfg_feature_min", "100", "Largest feature"),
]


@pytest.mark.parametrize("kind, key, value, field", WIDGETS, ids=[f"{k}={v}"[:40] for _, k, v, _ in WIDGETS])
def test_widget_with_a_run_on_screen(kind, key, value, field):
    at = app({"epochs": "5"})
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_train").click().run()
    live = at.session_state["live"]
    assert live.status == "done"
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception
    errors = " ".join(plain(e.value) for e in at.error)
    assert field in errors
    assert at.button(key="btn_train").disabled
    shown = " ".join(e.value for e in at.error)  # markup stays text:
    assert "<script>" not in shown
    assert "![" not in shown
    assert "**bold" not in shown
    assert live.history is not None
    assert live.state.epoch == 5  # the run on screen is kept, charts and all
    assert any(t.get("name") == "training loss (mean)" for f in charts(at, "Loss") for t in f["data"])


def test_a_huge_data_set_is_refused_with_its_memory_estimate():
    at = app({"weights": ",".join(["1"] * 1000)})
    at.text_input(key="cfg_n_samples").set_value("10000000").run()
    errors = " ".join(plain(e.value) for e in at.error)
    assert "Samples (samples)" in errors
    assert "GiB" in errors
    assert at.button(key="btn_train").disabled

