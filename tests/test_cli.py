"""`python -m linviz`: the tutorial's output format, --json, and exit codes."""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from linviz import RunConfig, train
from linviz.cli import main

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ["--weights", "2,3,4,7", "--samples", "10", "--lr", "1e-5", "--epochs", "100", "--seed", "0"]


def run(args):
    return subprocess.run([sys.executable, "-m", "linviz", *args], check=False, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_tutorial_command_prints_the_tutorial_lines_and_the_weights():
    out = run(TUTORIAL)
    assert out.returncode == 0 and out.stderr == ""
    lines = out.stdout.splitlines()
    epoch_lines = [ln for ln in lines if ln.startswith("Epoch")]
    assert len(epoch_lines) == 10
    states = list(train(RunConfig(seed=0)))
    for k, line in zip(range(10, 101, 10), epoch_lines):
        assert re.fullmatch(rf"Epoch \[{k}/100\], Loss: \d+\.\d{{4}}", line), line
        assert line.endswith(f"{states[k].last_loss:.4f}")  # the last sample's loss, as the tutorial prints
    assert "training done" in lines
    table = lines[lines.index("training done") + 2:]
    for row, true, learned in zip(table, (2, 3, 4, 7), states[-1].weights):
        assert row.split() == [f"w{(2, 3, 4, 7).index(true) + 1}", f"{true:.4f}", f"{learned:.4f}"]


def test_json_prints_one_object_per_epoch(capsys):
    assert main(["--epochs", "5", "--json"]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in rows] == list(range(6))
    assert {"epoch", "loss", "last_loss", "weights", "lr", "grad_norm", "diverged"} <= set(rows[0])
    assert rows[0]["last_loss"] is None and len(rows[-1]["weights"]) == 4
    np.testing.assert_allclose(rows[-1]["weights"], list(train(RunConfig(epochs=5)))[-1].weights)


def test_print_every_and_a_final_line_for_an_odd_epoch_count(capsys):
    assert main(["--epochs", "7", "--print-every", "3"]) == 0
    assert [ln.split(",")[0] for ln in capsys.readouterr().out.splitlines() if ln.startswith("Epoch")] == [
        "Epoch [3/7]", "Epoch [6/7]", "Epoch [7/7]"]


def test_every_runconfig_field_has_a_flag(capsys):
    argv = ["--weights", "1 2", "--samples", "20", "--lr", "0.05", "--epochs", "3", "--batch-size", "2",
            "--seed", "4", "--device", "cpu", "--optimizer", "momentum", "--momentum", "0.5", "--schedule", "step",
            "--step-size", "2", "--gamma", "0.5", "--shuffle", "--noise-std", "0.1", "--test-fraction", "0.2",
            "--standardize", "--feature-min", "0", "--feature-max", "10", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["test_loss"] is not None


def test_a_sweep_prints_every_run(capsys):
    assert main(["--lr", "1e-5,4e-5", "--epochs", "10"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Epoch \[10/10\], Loss: [\d.]+ \(lr 1e-05\), [\d.]+ \(lr 4e-05\)", out)
    assert "lr 4e-05" in out.splitlines()[-5]


@pytest.mark.parametrize("args, field", [(["--lr", "-1"], "Learning rate"), (["--weights", "2,x"], "True weights"),
                                         (["--epochs", "0"], "Epochs"), (["--device", "tpu"], "Device"),
                                         (["--samples", "5", "--batch-size", "9"], "Batch size"),
                                         (["--print-every", "0"], "print_every")])
def test_bad_input_exits_2_with_one_line_naming_the_field(args, field, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and field in err and "Traceback" not in err


def test_bad_input_in_a_real_process_exits_2_without_a_traceback():
    out = run(["--lr", "abc"])
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "Learning rate (lr): got 'abc'" in out.stderr
    out = run(["--no-such-flag"])
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_divergence_exits_3_naming_the_epoch():
    out = run(["--lr", "1e-3"])
    assert out.returncode == 3 and "Traceback" not in out.stderr
    assert "diverged (lr 0.001 at epoch 1)" in out.stderr
    assert "nan" not in out.stdout.lower()
