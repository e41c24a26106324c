"""The status line above the tabs (linviz_app/board.py), for every status a run can be in: it leads with the epoch
and the loss, says only what is true at that moment (a paused run is paused, not "not converged: more epochs?"),
and leaves the timing to the progress bar's label under it."""
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linviz import RunConfig
from linviz_app.board import Board
from linviz_app.live import LiveRun, Status


class Box:
    """A stand-in for the page's placeholders: what was shown, and in which kind of box."""

    def __init__(self):
        self.shown = []

    def __getattr__(self, kind):
        return lambda *args, **kw: self.shown.append((kind, args[0] if args else kw.get("text")))


def status_of(live: LiveRun) -> tuple[str, str]:
    status = Box()
    Board(status, Box()).draw_status(live)
    return status.shown[-1]


def test_the_timing_is_under_the_progress_bar():
    live = trained(RunConfig(epochs=400), 33, "run")
    shown = []
    progress = type("Progress", (), {"progress": lambda self, value, text: shown.append((value, text))})()
    Board(Box(), progress).draw_status(live)
    (value, text), = shown
    assert value == pytest.approx(33 / 400)
    assert re.fullmatch(r"epoch 33 / 400 · [\d.]+ s training, [\d,]+ steps/s", text), text


def trained(cfg: RunConfig, epochs: int, then: str = "pause") -> LiveRun:
    live = LiveRun()
    live.start(cfg)
    while live.state.epoch < epochs and live.status == Status.RUNNING:
        live.advance(float("inf"))
    {"pause": live.pause, "stop": live.stop, "run": lambda: None}[then]()
    return live


ADVICE = ("more epochs", "Not converged", "press Train")


def test_paused_at_epoch_33_of_400_says_paused_and_what_resume_and_step_do():
    live = trained(RunConfig(epochs=400), 33)
    kind, text = status_of(live)
    err = float(np.max(np.abs(live.state.run(0).weights - np.array([2, 3, 4, 7]))))
    assert kind == "info"
    assert text.startswith(f"Epoch 33 of 400 · loss {live.state.run(0).loss:.4g} · Paused: max |w - w\\*| = {err:.3g}. ")
    assert "Resume goes on from epoch 33; Step trains epoch 34 and pauses again" in text
    assert not any(a in text for a in ADVICE), text
    assert "steps/s" not in text  # the timing is under the progress bar, not in the student's line


def test_stopped_says_what_step_and_train_do_next():
    _, text = status_of(trained(RunConfig(epochs=400), 33, "stop"))
    assert text.startswith("Epoch 33 of 400 · loss ")
    assert "Stopped: max |w - w\\*|" in text and "Step trains epoch 34 and pauses; Train starts again from epoch 0" in text
    assert not any(a in text for a in ADVICE), text


def test_running_then_finished_not_converged_then_converged():
    live = trained(RunConfig(epochs=400), 5, "run")
    kind, text = status_of(live)
    assert re.match(r"Epoch 5 of 400 · loss \S+ · Running: max \|w - w\\\*\| = ", text) and kind == "info"
    kind, text = status_of(trained(RunConfig(epochs=5), 5))  # done: now the verdict and its advice are true
    assert "Not converged yet" in text and "more epochs" in text
    kind, text = status_of(trained(RunConfig(epochs=3000, lr=5e-5), 3000))
    assert kind == "success" and "Converged" in text


@pytest.mark.parametrize("lr, blown", [(1e-4, 4), (1, 1)])
def test_diverged_names_the_last_finite_epoch_and_the_one_it_blew_up_in(lr, blown):
    live = trained(RunConfig(lr=lr), 100)
    kind, text = status_of(live)
    assert kind == "error"
    assert text.startswith(f"Epoch {blown - 1} of 100 · loss {live.state.run(0).loss:.4g} · Diverged at epoch {blown} ")


def test_a_sweep_paused_or_stopped_says_so_and_each_run_as_it_stands():
    cfg = RunConfig(lr=(1e-5, 2e-5, 1e-3), epochs=50)
    for then, word in (("pause", "Paused: Resume goes on from epoch 10; Step trains epoch 11"),
                       ("stop", "Stopped: with the same settings, Step trains epoch 11")):
        _, text = status_of(trained(cfg, 10, then))
        assert text.startswith(f"3 learning rates · Epoch 10 of 50 · {word}")
        assert "Not converged yet, max |w - w\\*|: lr 1e-5" in text and "Diverged: lr 1e-3 at epoch 1" in text
        assert "more epochs" not in text


def test_a_run_at_epoch_0_never_says_press_train():
    for cfg in (RunConfig(epochs=5), RunConfig(lr=(1e-5, 2e-5), epochs=5)):
        for then in ("run", "pause", "stop"):
            live = trained(cfg, 0, then)
            assert "press Train" not in status_of(live)[1]


@given(epochs=st.integers(2, 30), k=st.integers(0, 29), then=st.sampled_from(["pause", "stop"]),
       lr=st.sampled_from([1e-5, 3e-5, 6e-5, 1e-4]))
def test_a_run_that_can_go_on_names_its_epoch_and_the_next_and_gives_no_verdict(epochs, k, then, lr):
    live = trained(RunConfig(epochs=epochs, lr=lr), min(k, epochs - 1), then)
    kind, text = status_of(live)
    e = live.state.epoch
    if live.status == Status.DONE:  # it diverged on the way: a finished run's verdict
        assert kind == "error" and f"Diverged at epoch {e}" in text
        return
    assert text.startswith(f"Epoch {e} of {epochs} · loss ")
    assert f"Step trains epoch {e + 1} " in text
    assert not any(a in text for a in ADVICE), text
