"""`python -m linviz`: the tutorial's output format, --json, and exit codes."""
import contextlib
import io
import json
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from helpers_cli import assert_one_line_without_traceback
from helpers_procs import default_sigint
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import log_uniform_lr

from linviz import RunConfig, train
from linviz.cli import main
from linviz.text import fmt_number

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ["--weights", "2,3,4,7", "--samples", "10", "--lr", "1e-5", "--epochs", "100", "--seed", "0"]


PROCESSES = {"tutorial": TUTORIAL, "bad lr": ["--lr", "abc"], "unknown flag": ["--no-such-flag"],
             "diverges": ["--lr", "1e-3"]}


def run(args):
    return subprocess.run([sys.executable, "-m", "linviz", *args], check=False, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def processes():
    """The command lines in PROCESSES, each a real `python -m linviz` process, all started at once (each spends
    most of its time importing torch, so they overlap well)."""
    with ThreadPoolExecutor(len(PROCESSES)) as pool:
        return dict(zip(PROCESSES, pool.map(run, PROCESSES.values())))


def test_tutorial_command_prints_the_tutorial_lines_and_the_weights(processes):
    out = processes["tutorial"]
    assert out.returncode == 0
    assert out.stderr == ""
    lines = out.stdout.splitlines()
    epoch_lines = [ln for ln in lines if ln.startswith("Epoch")]
    assert len(epoch_lines) == 10
    states = [s.run(0) for s in train(RunConfig(seed=0))]
    for k, line in zip(range(10, 101, 10), epoch_lines):
        assert re.fullmatch(rf"Epoch \[{k}/100\], Loss: \d+\.\d{{4}}", line), line
        assert line.endswith(f"{states[k].last_loss:.4f}")  # the last sample's loss, as the tutorial prints
    assert "training done" in lines
    err = np.max(np.abs(states[-1].weights - np.array([2, 3, 4, 7])))
    assert lines[lines.index("training done") + 1] == f"Converged: max |w - w*| = {err:.2g}"  # the page's words
    table = lines[lines.index("training done") + 3:]
    for row, true, learned in zip(table, (2, 3, 4, 7), states[-1].weights):
        assert row.split() == [f"w{(2, 3, 4, 7).index(true) + 1}", f"{true:.4f}", f"{learned:.4f}"]


def test_json_prints_one_object_per_epoch(capsys):
    assert main(["--epochs", "5", "--json"]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in rows] == list(range(6))
    assert {"epoch", "loss", "last_loss", "weights", "lr", "grad_norm", "diverged"} <= set(rows[0])
    assert rows[0]["last_loss"] is None
    assert rows[-1]["diverged_epoch"] is None
    np.testing.assert_allclose(rows[-1]["weights"], list(train(RunConfig(epochs=5)))[-1].run(0).weights)


def test_json_of_a_sweep_has_a_list_per_number_and_null_for_runs_that_did_not_diverge(capsys):
    assert main(["--lr", "1e-5,1e-3", "--epochs", "2", "--json"]) == 3
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert len(last["weights"]) == 2
    assert len(last["loss"]) == 2
    assert last["diverged"] == [False, True]
    assert last["diverged_epoch"] == [None, 1]


def test_print_every_and_a_final_line_for_an_odd_epoch_count(capsys):
    assert main(["--epochs", "7", "--print-every", "3"]) == 0
    assert [ln.split(",")[0] for ln in capsys.readouterr().out.splitlines() if ln.startswith("Epoch")] == [
        "Epoch [3/7]", "Epoch [6/7]", "Epoch [7/7]"]


def test_a_sweep_prints_every_run(capsys):
    assert main(["--lr", "1e-5,4e-5", "--epochs", "10"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Epoch \[10/10\], Loss: [\d.]+ \(lr 1e-5\), [\d.]+ \(lr 4e-5\)", out)
    assert "lr 4e-5" in out.splitlines()[-5]


@pytest.mark.parametrize("args, field", [(["--lr", "-1"], "Learning rate"), (["--weights", "2,x"], "True weights"),
                                         (["--epochs", "0"], "Epochs"), (["--device", "tpu"], "Device"),
                                         (["--samples", "5", "--batch-size", "9"], "Batch size"),
                                         (["--print-every", "0"], "print_every")])
def test_bad_input_exits_2_with_one_line_naming_the_field(args, field, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert_one_line_without_traceback(err)
    assert field in err


def test_bad_input_in_a_real_process_exits_2_without_a_traceback(processes):
    out = processes["bad lr"]
    assert out.returncode == 2
    assert out.stdout == ""
    assert_one_line_without_traceback(out.stderr)
    assert "Learning rate (lr): got 'abc'" in out.stderr


def test_an_unknown_flag_in_a_real_process_exits_2_without_a_traceback(processes):
    out = processes["unknown flag"]
    assert out.returncode == 2
    assert_one_line_without_traceback(out.stderr)


def test_divergence_exits_3_naming_the_epoch(processes):
    out = processes["diverges"]
    assert out.returncode == 3
    assert "Traceback" not in out.stderr
    assert "diverged (lr 1e-3 at epoch 1)" in out.stderr
    assert ("Diverged at epoch 1 with lr 1e-3: the loss blew up, so training stopped. Showing epoch 0, the last one "
            "before it blew up. Try a smaller learning rate.") in out.stdout.splitlines()  # the page's sentence
    assert "nan" not in out.stdout.lower()


# --- the edges: negative values, closed pipes, Ctrl-C, help, internal errors ------------------------------------

def test_an_internal_error_is_one_line_with_its_own_status(monkeypatch, capsys):
    from linviz import cli

    monkeypatch.setattr(cli, "analysis_text", lambda cfg: 1 / 0)
    assert main(["analyze"]) == cli.EXIT_INTERNAL == 4
    err = capsys.readouterr().err
    assert_one_line_without_traceback(err)
    assert "internal error (ZeroDivisionError" in err
    monkeypatch.setenv("LINVIZ_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["analyze"])


@pytest.mark.parametrize("where", ["analysis_text", "train", "_summary"])
def test_ctrl_c_anywhere_in_main_exits_130_with_one_line(where, monkeypatch, capsys):
    from linviz import cli

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, where, interrupt)
    assert main(["analyze"] if where == "analysis_text" else ["--epochs", "3"]) == 130
    err = capsys.readouterr().err
    assert_one_line_without_traceback(err)
    assert err.startswith("linviz: interrupted")


def test_a_closed_pipe_ends_quietly():
    """`python -m linviz --json --epochs 100000 | head -1`: one line through, nothing on stderr."""
    cmd = [sys.executable, "-m", "linviz", "--json", "--epochs", "100000"]
    producer = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.Popen(["head", "-1"], stdin=producer.stdout, stdout=subprocess.PIPE)
    producer.stdout.close()  # head owns the read end now: when it exits, the pipe closes
    first, _ = head.communicate(timeout=120)
    err = producer.stderr.read().decode()
    producer.wait(timeout=120)
    assert json.loads(first)["epoch"] == 0
    assert err == ""
    assert producer.returncode == 141


CLOSED_OR_FULL = {  # the issue: `python -m linviz --epochs 5 >&-` was an AttributeError traceback
    "train >&-": ("--epochs 5 >&-", "standard output is closed"),
    "train > /dev/full": ("--epochs 5 > /dev/full", "No space left on device"),
    "analyze >&-": ("analyze --epochs 5 >&-", "standard output is closed"),
    "help >&-": ("--help >&-", "standard output is closed"),
}


@pytest.fixture(scope="module")
def closed_or_full():
    def shell(line):
        return subprocess.run(["bash", "-c", f'"{sys.executable}" -m linviz {line}'], check=False, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    with ThreadPoolExecutor(len(CLOSED_OR_FULL)) as pool:
        return dict(zip(CLOSED_OR_FULL, pool.map(shell, [line for line, _ in CLOSED_OR_FULL.values()])))


@pytest.mark.parametrize("case", CLOSED_OR_FULL)
def test_a_closed_or_full_stdout_is_one_line_and_status_74(case, closed_or_full):
    out, why = closed_or_full[case], CLOSED_OR_FULL[case][1]
    assert out.returncode == 74, out.stderr
    assert out.stderr == f"linviz: cannot write the output: {why}\n"


class FullStream(io.StringIO):
    def write(self, text):
        raise OSError(28, "No space left on device")


@pytest.fixture
def sigint_kept():
    """run() ignores Ctrl-C once its status is decided: put the handler back (a child process inherits an ignored
    SIGINT, and the Ctrl-C tests' children would not stop)."""
    handler = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.mark.parametrize("argv", [["--epochs", "2"], ["--epochs", "2", "--json"], ["analyze"], ["--help"]])
@pytest.mark.parametrize("stdout", [None, FullStream()], ids=["closed", "full"])
@pytest.mark.usefixtures("sigint_kept")
def test_run_in_process_with_a_closed_or_full_stdout(argv, stdout, capsys):
    from linviz.cli import run as run_cli
    with contextlib.redirect_stdout(stdout):
        assert run_cli(argv) == 74
    assert_one_line_without_traceback(capsys.readouterr().err)


@pytest.mark.usefixtures("sigint_kept")
def test_bad_input_with_a_closed_stdout_is_still_bad_input(capsys):
    from linviz.cli import run as run_cli
    with contextlib.redirect_stdout(None):
        assert run_cli(["--epochs", "0"]) == 2  # nothing to write: the status says what was wrong
    assert "Epochs" in capsys.readouterr().err


@pytest.mark.parametrize("value, status", [("maybe", 2), ("2", 2), ("", 0), ("0", 0), ("off", 0), ("1", 0),
                                           ("true", 0), (" ON ", 0)])
def test_linviz_debug_is_checked_before_anything(value, status, monkeypatch, capsys):
    monkeypatch.setenv("LINVIZ_DEBUG", value)
    assert main(["--epochs", "1"]) == status
    if status:
        err = capsys.readouterr().err
        assert_one_line_without_traceback(err)
        assert err.startswith(f"linviz: The environment variable LINVIZ_DEBUG is '{value}': use 1/true/yes/on")


def test_linviz_debug_0_no_longer_shows_the_traceback(monkeypatch, capsys):
    from linviz import cli

    monkeypatch.setattr(cli, "analysis_text", lambda cfg: 1 / 0)
    monkeypatch.setenv("LINVIZ_DEBUG", "0")  # it once meant on: any text did
    assert main(["analyze"]) == 4


def _interrupt_once(cmd, ready, delay=0.0):
    """Start `cmd`, wait for a stdout line starting with `ready` (and `delay` s), send SIGINT: (status, stderr).

    The child starts with SIGINT's default action however pytest was started (helpers_procs.default_sigint)."""
    with default_sigint():
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:
            if line.startswith(ready):
                break
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return proc.returncode, err


@pytest.fixture
def sigint_ignored():
    """This test process ignores SIGINT, as pytest does when a non-interactive shell starts it in the background."""
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.mark.parametrize("parent", ["default", "ignored"])
def test_ctrl_c_during_training_exits_130_without_a_traceback(parent, request):
    if parent == "ignored":  # the child is stopped by Ctrl-C however the tests were started (it once hung 60 s)
        request.getfixturevalue("sigint_ignored")
    status, err = _interrupt_once([sys.executable, "-m", "linviz", "--epochs", "1000000", "--samples", "1000"],
                                  ready="Epoch [")
    assert status == 130, err
    assert "Traceback" not in err
    assert re.fullmatch(r"linviz: interrupted after epoch \d+", err.splitlines()[-1])


def test_ctrl_c_during_analyze_exits_130_without_a_traceback():
    """The process's own path (__main__, run, main), SIGINT while the analysis computes: here it computes the
    analysis over and over, so that the signal lands inside it however fast this machine is."""
    code = ("import runpy, sys, linviz.analyze_cli as a\n"
            "real = a.analysis_text\n"
            "def analysis_text(cfg):\n"
            "    print('analyzing', flush=True)\n"
            "    while True:\n"
            "        real(cfg)\n"
            "a.analysis_text = analysis_text\n"
            "sys.argv = ['linviz', 'analyze', '--samples', '200', '--weights', '1,2,3,4,5,6,7,8', '--shuffle']\n"
            "runpy.run_module('linviz', run_name='__main__', alter_sys=True)")
    status, err = _interrupt_once([sys.executable, "-c", code], ready="analyzing", delay=0.3)
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "linviz: interrupted"


def test_ctrl_c_while_torch_is_imported_exits_130_without_a_traceback():
    """Ctrl-C lands in the first seconds, while `python -m linviz` imports torch (deterministic: the import
    itself raises KeyboardInterrupt, as a SIGINT arriving then would)."""
    code = ("import builtins, runpy, sys\nreal = builtins.__import__\n"
            "def imp(name, *a, **k):\n"
            "    if name.split('.')[0] == 'torch':\n        raise KeyboardInterrupt\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = imp\nsys.argv = ['linviz']\n"
            "runpy.run_module('linviz', run_name='__main__', alter_sys=True)")
    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 130, out.stderr[-2000:]
    assert out.stderr == "linviz: interrupted\n"


# --- which epoch's numbers are printed under which label: against the tutorial's literal loop --------------------

def _oracle(cfg):
    from oracle import tutorial_epochs

    from linviz import make_dataset
    from linviz.model import initial_weights
    data = make_dataset(cfg)
    return tutorial_epochs(data.X, data.y, initial_weights(cfg.n_weights, cfg.seed).numpy(), cfg.lr, cfg.epochs)


def _loss_of(text: str) -> float:
    return float(re.search(r"-?\d+\.\d+(e[+-]\d+)?", text).group())


def check_labels(lr: float, seed: int, epochs: int):
    """`--print-every 1`: every epoch line holds that epoch's last-step loss; a run that blows up prints no line for
    that epoch, but one naming it and the last finite loss with its own epoch; the table says whose weights."""
    from oracle import first_blown_epoch
    cfg = RunConfig(lr=lr, seed=seed, epochs=epochs)
    ref = _oracle(cfg)
    de = first_blown_epoch(ref)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--lr", repr(lr), "--seed", str(seed), "--epochs", str(epochs), "--print-every", "1"])
    lines = out.getvalue().splitlines()
    printed = {int(m[1]): _loss_of(m[2]) for m in (re.fullmatch(r"Epoch \[(\d+)/\d+\], Loss: (.*)", ln) for ln in lines)
               if m}
    last = epochs if de is None else de - 1
    assert sorted(printed) == list(range(1, last + 1)), lines  # no line for the epoch it blew up in
    for k, loss in printed.items():
        assert loss == pytest.approx(ref[k][1], rel=1e-3, abs=1e-4), (k, lines)
    if de is None:
        assert code == 0 and "training done" in lines
        return
    assert code == 3
    (said,) = [ln for ln in lines if ln.startswith("diverged at epoch")]
    assert said.startswith(f"diverged at epoch {de} (lr {fmt_number(lr)}): ")
    if de == 1:  # no epoch ended finite: the start's mean loss, called so
        assert "(epoch 0, before any step)" in said
        assert _loss_of(said.split("before any step): ")[1]) == pytest.approx(ref[0][2], rel=1e-3)
    else:
        assert f"The last finite loss was at epoch {de - 1}: " in said
        assert _loss_of(said.split(f"epoch {de - 1}: ")[1]) == pytest.approx(ref[de - 1][1], rel=1e-3)
    assert (f"Diverged at epoch {de} with lr {fmt_number(lr)}: the loss blew up, so training stopped. Showing epoch "
            f"{de - 1}, the last one before it blew up. Try a smaller learning rate.") in lines  # the page's sentence
    assert not any(ln.startswith("training stopped") for ln in lines)  # that sentence is the line that said so
    which = "the initial ones (epoch 0)" if de == 1 else f"the last finite ones, epoch {de - 1}'s"
    assert f"weights: {which}; it diverged at epoch {de}" in lines
    rows = lines[lines.index(f"weights: {which}; it diverged at epoch {de}") + 2:]
    np.testing.assert_allclose([float(r.split()[2]) for r in rows], ref[de - 1][0], rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("lr", [1e-4, 1e-2, 1, 1e-3, 1e-5])  # 1e-4: epoch 3's loss was printed as epoch 4's
def test_each_epoch_line_holds_that_epochs_numbers(lr):
    check_labels(lr, seed=0, epochs=8)


@given(lr=log_uniform_lr().filter(lambda v: 1e-7 <= v <= 10), seed=st.integers(0, 2**32 - 1), epochs=st.integers(1, 8))
def test_each_epoch_line_holds_that_epochs_numbers_whatever_the_lr(lr, seed, epochs):
    from oracle import first_blown_epoch
    ref = _oracle(RunConfig(lr=lr, seed=seed, epochs=epochs))
    limit = 1e10 * max(ref[0][2], 1.0)  # too close to the line for float64 rounding to decide the same way: skip
    assume(all(not 0.99 * limit < m < 1.01 * limit for _, _, m in ref[: (first_blown_epoch(ref) or epochs) + 1]))
    check_labels(lr, seed, epochs)


def test_json_of_a_run_that_diverged_has_no_numbers_for_the_epoch_it_blew_up_in(capsys):
    cfg = RunConfig(lr=1e-4, epochs=10)
    ref = _oracle(cfg)
    assert main(["--lr", "1e-4", "--epochs", "10", "--json"]) == 3
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in rows] == [0, 1, 2, 3, 4]
    for k, row in enumerate(rows[:4]):  # each epoch's own numbers, under its own number
        np.testing.assert_allclose(row["weights"], ref[k][0], rtol=1e-9)
        assert row["loss"] == pytest.approx(ref[k][2], rel=1e-9)
        assert row["diverged_epoch"] is None
    assert rows[4]["diverged_epoch"] == 4 and rows[4]["diverged"] is True
    assert [rows[4][k] for k in ("weights", "loss", "last_loss", "grad_norm")] == [None] * 4


def test_a_sweep_names_the_run_that_diverged_in_every_later_line(capsys):
    assert main(["--lr", "1e-4,1e-5", "--epochs", "6", "--print-every", "1"]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].startswith("diverged at epoch 4 (lr 1e-4): ")
    assert "The last finite loss was at epoch 3: 2.4969e+13" in lines[3]
    assert re.fullmatch(r"Epoch \[3/6\], Loss: 2\.4969e\+13 \(lr 1e-4\), [\d.]+ \(lr 1e-5\)", lines[2])
    for k, line in zip((4, 5, 6), lines[4:7]):
        assert re.fullmatch(rf"Epoch \[{k}/6\], Loss: diverged at epoch 4 \(lr 1e-4\), [\d.]+ \(lr 1e-5\)", line)
    assert "weights of lr 1e-4: the last finite ones, epoch 3's; it diverged at epoch 4" in lines
