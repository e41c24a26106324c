"""The CLI says what the page says (issue 19, part 7): after training, `python -m linviz` prints the page's own
outcome sentence (report.outcome, sweeps.sweep_outcome for a sweep), judged against the same targets
(report.outcome_targets), and --json's last record holds it as "outcome"."""
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers_analysis import train64
from hypothesis import given, settings
from hypothesis import strategies as st

from linviz import RunConfig, make_dataset, train
from linviz.cli import main
from linviz.fit import least_squares, reachable_solution, start_weights
from linviz.report import outcome, outcome_targets
from linviz.sweeps import sweep_outcome
from linviz_app.board import Board
from linviz_app.live import LiveRun, Status

ROOT = Path(__file__).resolve().parents[1]

# name -> (argv, the same settings as a RunConfig, exit status, kind, words the sentence must hold)
CASES = {
    "tutorial": ([], RunConfig(), 0, "converged", ["Converged: max |w - w*| = "]),
    "two samples": (["--samples", "2", "--epochs", "5000"], RunConfig(n_samples=2, epochs=5000), 0, "converged",
                    ["Fits the samples", "but 2 samples cannot determine 4 weights",
                     "many weights fit them equally well", "More samples than weights pin them down"]),
    "two samples, short": (["--samples", "2", "--epochs", "20"], RunConfig(n_samples=2, epochs=20), 0, "not-converged",
                           ["Not at a fit yet", "from the fit training can reach",
                            "But 2 samples cannot determine 4 weights, so no number of epochs reaches the true weights"]),
    "one sample": (["--samples", "1"], RunConfig(n_samples=1), 0, "converged", ["but 1 sample cannot determine 4 weights"]),
    "noisy": (["--samples", "20", "--noise-std", "1"], RunConfig(n_samples=20, noise_std=1.0), 0, "converged",
              ["Converged to where SGD at this lr settles", "that is 0.0153 from the true weights"]),
    "noisy, far off": (["--samples", "20", "--noise-std", "10"], RunConfig(n_samples=20, noise_std=10.0), 0,
                       "converged", ["Converged to where SGD at this lr settles", "that is 0.153 from the true"]),
    "noisy, shuffled": (["--samples", "20", "--noise-std", "10", "--shuffle"],
                        RunConfig(n_samples=20, noise_std=10.0, shuffle=True), 0, "not-converged",
                        ["Near, not at, the best fit of the noisy data", "keep hopping around it"]),
    "diverges": (["--lr", "1e-4"], RunConfig(lr=1e-4), 3, "diverged",
                 ["Diverged at epoch 4 with lr 1e-4: the loss blew up, so training stopped. Showing epoch 3"]),
    "short": (["--epochs", "3"], RunConfig(epochs=3), 0, "not-converged",
              ["Not converged yet: max |w - w*| = 1.96 (more epochs, or a larger lr?)"]),
    "sweep": (["--lr", "1e-5,1e-4"], RunConfig(lr=(1e-5, 1e-4)), 3, "mixed",
              ["Converged: lr 1e-5 · Diverged: lr 1e-4 at epoch 4"]),
    "sweep, all diverge": (["--lr", "1e-3,1e-2"], RunConfig(lr=(1e-3, 1e-2)), 3, "diverged",
                           ["Diverged: lr 1e-3 at epoch 1, lr 0.01 at epoch 1"]),
}


def run_main(argv, stdout=None) -> tuple[int, str]:
    out = stdout or io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    if stdout is None:
        return code, out.getvalue()
    out.flush()
    return code, out.buffer.getvalue().decode(out.encoding)


def said(stdout: str) -> str:
    """The CLI's outcome sentence: the line just above the weights (their table, or the note saying whose they are)."""
    lines = stdout.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("weights") or ln.split()[:2] == ["weight", "true"])
    return lines[first - 1]


def core_says(cfg: RunConfig) -> tuple[str, str]:
    """report.outcome (sweep_outcome for a sweep) of the engine's final state, against report.outcome_targets."""
    data = make_dataset(cfg)
    last = list(train(cfg, data))[-1]
    best, reachable = outcome_targets(cfg, data)
    return (sweep_outcome if cfg.is_sweep else outcome)(cfg, last, best=best, reachable=reachable)


def page_says(cfg: RunConfig) -> tuple[str, str]:
    """The page's own status sentence (linviz_app/board.py, in English) for cfg trained to its end on the page."""
    live = LiveRun()
    live.start(cfg)
    while live.status == Status.RUNNING:
        live.advance(float("inf"))
    assert live.status == Status.DONE
    return Board.judged(live)


@pytest.fixture(scope="module")
def cli_runs():
    return {name: run_main(argv) for name, (argv, *_) in CASES.items()}


@pytest.mark.parametrize("name", CASES)
def test_the_cli_ends_with_the_pages_sentence(name, cli_runs):
    _, cfg, status, kind, words = CASES[name]
    code, out = cli_runs[name]
    assert code == status
    page_kind, page_sentence = page_says(cfg)
    assert core_says(cfg) == (page_kind, page_sentence)
    assert (page_kind, said(out)) == (kind, page_sentence)
    for w in words:
        assert w in page_sentence


@pytest.mark.parametrize("name", CASES)
def test_json_ends_with_the_outcome_and_only_there(name):
    argv, cfg, status, kind, _ = CASES[name]
    code, out = run_main([*argv, "--json"])
    rows = [json.loads(ln) for ln in out.splitlines()]
    assert code == status
    assert rows[-1]["outcome"] == {"kind": kind, "sentence": str(page_says(cfg)[1])}
    assert not any("outcome" in r for r in rows[:-1])
    assert list(rows[-1])[:-1] == list(rows[0])  # the same keys as before, in the same order, and then the outcome


def test_a_run_that_diverged_says_so_once_in_the_pages_words_above_its_table(cli_runs):
    lines = cli_runs["diverges"][1].splitlines()
    i = lines.index(said(cli_runs["diverges"][1]))
    assert lines[i - 1].startswith("diverged at epoch 4 (lr 1e-4): the loss stopped being a finite number")
    assert lines[i + 1] == "weights: the last finite ones, epoch 3's; it diverged at epoch 4"
    assert not any(ln.startswith("training stopped") for ln in lines)  # the page's sentence is that line now
    assert sum("Try a smaller learning rate" in ln for ln in lines) == 1


def test_the_sentence_follows_training_done_and_the_table_still_ends_the_output(cli_runs):
    lines = cli_runs["two samples"][1].splitlines()
    i = lines.index("training done")
    assert lines[i + 1] == said(cli_runs["two samples"][1])
    assert lines[i + 2].split() == ["weight", "true", "learned"]
    assert [ln.split()[0] for ln in lines[i + 3:]] == ["w1", "w2", "w3", "w4"]


def test_an_ascii_stdout_gets_the_sweep_sentence_without_its_middle_dot():
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    code, out = run_main(["--lr", "1e-5,1e-4"], stdout)
    assert code == 3
    assert said(out) == "Converged: lr 1e-5; Diverged: lr 1e-4 at epoch 4"


def test_the_issues_command_as_a_real_process():
    """`python -m linviz --samples 2 --epochs 5000` once ended on weights far from the true ones with no word why."""
    out = subprocess.run([sys.executable, "-m", "linviz", "--samples", "2", "--epochs", "5000"], check=False, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr == ""
    assert "but 2 samples cannot determine 4 weights: many weights fit them equally well" in said(out.stdout)


# --- the targets: one place, used by the page and the CLI ----------------------------------------------------------

@pytest.mark.parametrize("cfg", [RunConfig(), RunConfig(n_samples=2), RunConfig(n_samples=20, noise_std=1.0),
                                 RunConfig(n_samples=2, noise_std=1.0), RunConfig(n_samples=2, optimizer="adam")],
                         ids=["tutorial", "two samples", "noisy", "two noisy samples", "adam"])
def test_outcome_targets_are_what_they_were(cfg):
    """The rule (report.outcome_targets' docstring): with label noise, where in-order SGD settles at the run's lr,
    which for noisy data no weights fit is not the least-squares fit (issue 19: the oracle is an independent float64
    loop trained until it stops moving, tests/helpers_analysis.train64); the reachable fit when the samples do not
    determine the weights (two noisy samples: some weights fit them, so training ends at a fit)."""
    data = make_dataset(cfg)
    best, reachable = outcome_targets(cfg, data)
    want_best = least_squares(data) if cfg.noise_std > 0 else None
    want_reachable = reachable_solution(cfg, data)
    if cfg.noise_std > 0 and cfg.n_samples > cfg.n_weights:
        w0 = start_weights(cfg, cfg.n_weights)
        long = train64(data.X, data.y, w0, [cfg.lr], 4000)[-1, 0] / data.scale
        np.testing.assert_allclose(best, long, rtol=0, atol=1e-9)
        assert np.abs(best - want_best).max() > 1e-4  # not the least-squares fit: SGD's own offset at this lr
        want_best = best
    for got, want in ((best, want_best), (reachable, want_reachable)):
        assert (got is None) == (want is None)
        if want is not None:
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("cfg", [RunConfig(n_samples=2), RunConfig(n_samples=20, noise_std=1.0)], ids=["few", "noisy"])
def test_the_page_asks_outcome_targets(cfg, monkeypatch):
    from linviz_app import live as live_module

    best, reachable = outcome_targets(cfg, make_dataset(cfg))
    live = LiveRun()
    live.start(cfg, paused=True)
    for got, want in ((live.best, best), (live.reachable, reachable)):
        assert (got is None) == (want is None)
        if want is not None:
            np.testing.assert_array_equal(got, want)
    marker = (np.zeros(4), np.ones(4))
    monkeypatch.setattr(live_module, "outcome_targets", lambda cfg, data: marker)
    live.start(cfg, paused=True)
    assert (live.best, live.reachable) == marker


# --- whatever the settings: the CLI's kind is the core's, from the engine's own run --------------------------------

@settings(max_examples=15, deadline=None)
@given(samples=st.integers(1, 12), lr=st.sampled_from([1e-6, 1e-5, 3e-5, 6e-5, 1e-4, 1e-3]),
       epochs=st.integers(1, 60), noise=st.sampled_from([0.0, 0.5, 3.0]))
def test_the_clis_kind_and_sentence_are_the_cores(samples, lr, epochs, noise):
    cfg = RunConfig(n_samples=samples, lr=lr, epochs=epochs, noise_std=noise)
    argv = ["--samples", str(samples), "--lr", repr(lr), "--epochs", str(epochs), "--noise-std", repr(noise)]
    kind, sentence = core_says(cfg)
    code, out = run_main([*argv, "--json"])
    assert json.loads(out.splitlines()[-1])["outcome"] == {"kind": kind, "sentence": str(sentence)}
    assert code == (3 if kind == "diverged" else 0)
    code, out = run_main(argv)
    assert said(out) == sentence
