"""The exported standalone script reproduces the run: run it in a subprocess, compare final weights to 1e-5.

A run that diverges stops where linviz's engine stops, says it in the CLI's words and exits with the CLI's status."""
import contextlib
import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linviz import RunConfig, to_query, train
from linviz.cli import EXIT_DIVERGED, main
from linviz.cli_flags import parse
from linviz.export import standalone_script
from linviz.fields import FIELDS

CONFIGS = {
    "tutorial": RunConfig(),
    "seven": RunConfig(true_weights=(2, 3, 4, 7, 11, 5, 13), lr=1.5e-5, epochs=200, seed=3),
    "momentum-shuffle-step": RunConfig(n_samples=30, batch_size=4, shuffle=True, optimizer="momentum", momentum=0.5,
                                       lr=2e-6, epochs=60, schedule="step", step_size=20, gamma=0.5, seed=5),
    "noise-split-standardised": RunConfig(n_samples=40, noise_std=3.0, test_fraction=0.25, standardize=True,
                                          lr=0.05, epochs=40, schedule="exp", step_size=10, gamma=0.5),
    "adam": RunConfig(optimizer="adam", lr=0.05, epochs=80, feature_min=-5, feature_max=5),
}


@pytest.fixture(scope="module")
def exported_runs(tmp_path_factory):
    """Every exported script, each run as its own `python run.py` process; all started at once (most of
    each process's time is importing torch, so they overlap well)."""
    procs = {}
    for name, cfg in CONFIGS.items():
        script = tmp_path_factory.mktemp(name) / "run.py"
        script.write_text(standalone_script(cfg))
        procs[name] = (script, subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                                stderr=subprocess.PIPE, text=True))
    yield {name: (script, proc.communicate(timeout=300), proc.returncode) for name, (script, proc) in procs.items()}


@pytest.mark.parametrize("name", CONFIGS)
def test_exported_script_reproduces_the_run(name, exported_runs):
    script, (stdout, stderr), returncode = exported_runs[name]
    assert returncode == 0, stderr
    assert "import linviz" not in script.read_text()
    assert "training done" in stdout
    result = strict_json(stdout.strip().splitlines()[-1])
    assert result["diverged_epoch"] is None
    theirs = np.array(result["weights"])
    ours = list(train(CONFIGS[name]))[-1].run(0).weights
    assert np.abs(theirs - ours).max() <= 1e-5 * np.abs(ours).max()


def test_the_tutorial_export_reads_like_the_tutorial():
    text = standalone_script(RunConfig())
    for line in ["criterion = nn.MSELoss()", "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
                 "optimizer.zero_grad()", "loss.backward()", "optimizer.step()"]:
        assert line in text
    assert "shuffler" not in text  # settings not in use are not written out
    assert "scale = X.std" not in text


# --- A run that diverges: the script stops where linviz stops and says what the CLI says -----------------------
def _no_constants(name):
    raise ValueError(f"{name} is not strict JSON")


def strict_json(line: str) -> dict:
    """The script's final line, read by a strict parser: NaN, Infinity and -Infinity are errors, not numbers."""
    return json.loads(line, parse_constant=_no_constants)


FLAG = {f.key: f.flag for f in FIELDS}


def cli_argv(cfg: RunConfig) -> list[str]:
    """`python -m linviz` flags for cfg (`--flag=value`, so that negative values stay values)."""
    return [f"{FLAG[key]}={value}" for key, value in to_query(cfg).items()]


DIVERGING = {  # each diverges (at the epoch in the comment) well before its last epoch
    "sgd": RunConfig(lr=1e-4, epochs=20),  # 4: the example
    "momentum": RunConfig(optimizer="momentum", momentum=0.9, lr=5e-5, epochs=30),  # 11
    "mini-batch-shuffled": RunConfig(n_samples=30, batch_size=4, shuffle=True, lr=1e-4, epochs=30),  # 10
    "momentum-mini-batch-step": RunConfig(n_samples=30, batch_size=4, shuffle=True, optimizer="momentum",
                                          momentum=0.5, lr=2e-4, epochs=30, schedule="step", step_size=20,
                                          gamma=0.5, seed=5),  # 3
    "standardised-noise-split-exp": RunConfig(n_samples=40, noise_std=3.0, test_fraction=0.25, standardize=True,
                                              lr=0.3, epochs=30, schedule="exp", step_size=10, gamma=0.9),  # 5
    "adam": RunConfig(optimizer="adam", lr=1e6, epochs=10),  # 2
    "first-epoch": RunConfig(lr=1e-2, epochs=5),  # 1: no epoch ends with a finite loss
}
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def assert_same_line(ours: str, cli: str) -> None:
    """The same words and epochs; the losses (5 significant digits) to 1e-4: the script trains in float32 as the
    tutorial does, linviz in float64, so a last digit may round the other way."""
    assert NUMBER.split(ours) == NUMBER.split(cli), (ours, cli)
    for a, b in zip(NUMBER.findall(ours), NUMBER.findall(cli), strict=True):
        assert float(a) == pytest.approx(float(b), rel=1e-4), (ours, cli)


def cli(cfg: RunConfig) -> tuple[str, str, int]:
    """The oracle: `python -m linviz` with cfg's flags (its main, in this process): stdout, stderr, exit status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(cli_argv(cfg))
    return out.getvalue(), err.getvalue(), status


@pytest.fixture(scope="module")
def diverging_runs(tmp_path_factory):
    """Each diverging config's script, each its own `python run.py`, all started at once: name -> (stdout, stderr,
    exit status)."""
    procs = {}
    for name, cfg in DIVERGING.items():
        script = tmp_path_factory.mktemp(name) / "run.py"
        script.write_text(standalone_script(cfg))
        procs[name] = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
    yield {name: (*p.communicate(timeout=300), p.returncode) for name, p in procs.items()}


@pytest.mark.parametrize("name", DIVERGING)
def test_a_diverging_script_stops_where_linviz_does_and_says_so_as_the_cli_does(name, diverging_runs):
    cfg = DIVERGING[name]
    assert parse(cli_argv(cfg))[1] == cfg  # the oracle runs this very config
    (out, err, status), (cli_out, cli_err, cli_status) = diverging_runs[name], cli(cfg)
    assert (status, cli_status) == (EXIT_DIVERGED, EXIT_DIVERGED), err + cli_err
    assert err == ""
    engine = list(train(cfg))[-1].run(0)
    lines = out.splitlines()
    said = [line for line in lines if line.startswith("diverged at epoch ")]
    cli_said = [line for line in cli_out.splitlines() if line.startswith("diverged at epoch ")]
    assert len(said) == len(cli_said) == 1
    assert_same_line(said[0], cli_said[0])
    assert said[0].startswith(f"diverged at epoch {engine.diverged_epoch} (lr ")
    assert "training done" not in out
    assert lines[-2] == said[0]  # the last thing it says before its result
    result = strict_json(lines[-1])
    assert result["diverged_epoch"] == engine.diverged_epoch
    theirs, ours = np.array(result["weights"]), engine.weights  # the last finite epoch's
    assert np.isfinite(ours).all()
    assert np.abs(theirs - ours).max() <= 1e-5 * np.abs(ours).max()
    epochs = [int(m) for m in re.findall(r"^Epoch \[(\d+)/", out, flags=re.MULTILINE)]
    assert epochs == [e for e in range(10, cfg.epochs + 1, 10) if e < engine.diverged_epoch]


def test_the_first_epoch_blowing_up_keeps_the_initial_weights(diverging_runs):
    out, _, _ = diverging_runs["first-epoch"]
    assert "in its very first epoch" in out
    initial = next(train(DIVERGING["first-epoch"])).run(0).weights  # epoch 0's
    assert strict_json(out.splitlines()[-1])["weights"] == initial.tolist()


@settings(max_examples=5, deadline=None)
@given(optimizer=st.sampled_from(["sgd", "momentum", "adam"]), batch_size=st.integers(1, 10),
       exponent=st.floats(-4.7, -2.0), shuffle=st.booleans())
@example(optimizer="sgd", batch_size=10, exponent=-3.5, shuffle=True)  # mini-batches that diverge late (epoch 7)
def test_any_scripts_diverged_epoch_is_the_engines(optimizer, batch_size, exponent, shuffle, tmp_path_factory):
    """lr from 2e-5 to 1e-2 on the tutorial's data (plain SGD's threshold is about 7e-5; Adam's steps are about lr
    each, so its lr is 10^9.7 times more): runs that converge, diverge late, or blow up in their first epoch."""
    lr = float(f"{10 ** (exponent + (9.7 if optimizer == 'adam' else 0)):.2g}")
    cfg = RunConfig(lr=lr, epochs=12, batch_size=batch_size, optimizer=optimizer, shuffle=shuffle)
    script = tmp_path_factory.mktemp("any") / "run.py"
    script.write_text(standalone_script(cfg))
    run = subprocess.run([sys.executable, str(script)], check=False, capture_output=True, text=True,
                         timeout=300)
    engine = list(train(cfg))[-1].run(0)
    assert run.returncode == (EXIT_DIVERGED if engine.diverged else 0), (to_query(cfg), run.stderr)
    assert strict_json(run.stdout.splitlines()[-1])["diverged_epoch"] == engine.diverged_epoch, to_query(cfg)
