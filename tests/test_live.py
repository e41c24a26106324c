"""The session's run as a state machine (linviz_app/live.py): every (status, event) pair of the transition
table, allowed or refused, driven through the real methods; the docstring's table is the table; every
transition waits for the run's lock. And the server's cap on trainings at once (linviz_app/training_cap.py)."""
import itertools
import re
import threading

import pytest

from linviz import RunConfig, engine
from linviz.errors import ConfigError
from linviz_app import live as live_module
from linviz_app.live import TRANSITIONS, Event, LiveRun, Status
from linviz_app.training_cap import TrainingCap

CFG = RunConfig(epochs=3)  # the tutorial's data: epochs to spare for a step that does not finish the run
LAST = RunConfig(epochs=1)  # one epoch: the next step finishes the run


def run_in(status: Status, cfg: RunConfig) -> LiveRun:
    """A LiveRun brought to `status` the way the page brings it there."""
    live = LiveRun()
    if status == Status.RUNNING:
        live.start(cfg)
    elif status == Status.PAUSED:
        live.start(cfg, paused=True)
    elif status == Status.STOPPED:
        live.start(cfg)
        live.stop()
    elif status == Status.DONE:
        live.start(LAST)
        live.step()
    assert live.status == status
    return live


FIRE = {  # event -> (the settings the run starts from, the method that fires the event)
    Event.START: (CFG, lambda live: live.start(CFG)),
    Event.START_PAUSED: (CFG, lambda live: live.start(CFG, paused=True)),
    Event.RESET: (CFG, LiveRun.reset),
    Event.PAUSE: (CFG, LiveRun.pause),
    Event.RESUME: (CFG, LiveRun.resume),
    Event.STOP: (CFG, LiveRun.stop),
    Event.REOPEN: (CFG, LiveRun.reopen),
    Event.STEP: (CFG, LiveRun.step),  # epochs left: the step does not finish the run
    Event.FINISH: (LAST, LiveRun.step),  # the last epoch
}


@pytest.mark.parametrize("status, event", list(itertools.product(Status, Event)), ids=lambda x: str(x))
def test_every_status_and_event_moves_as_the_table_says(status, event):
    cfg, fire = FIRE[event]
    live = run_in(status, cfg)
    fire(live)
    assert live.status == TRANSITIONS.get((status, event), status)  # a refused event changes nothing


@pytest.mark.parametrize("status", list(Status))
def test_a_step_trains_one_epoch_exactly_where_the_table_allows_it(status):
    live = run_in(status, CFG)
    before = live.state.epoch if live.state else None
    live.step()
    after = live.state.epoch if live.state else None
    expected = before + 1 if (status, Event.STEP) in TRANSITIONS else before
    assert after == expected


def test_a_stopped_run_goes_on_from_the_epoch_stop_kept():
    live = run_in(Status.RUNNING, CFG)
    live.step()
    live.stop()
    live.reopen()
    live.step()
    assert live.status == Status.PAUSED
    assert live.state.epoch == 2


@pytest.mark.parametrize("status", [Status.RUNNING, Status.PAUSED])
def test_a_change_of_data_mid_run_stops_it_and_says_why(status):
    live = run_in(status, CFG)
    live.follow(CFG.replace(n_samples=20))
    assert live.status == Status.STOPPED
    assert "ended at epoch 0" in live.notice


def test_a_new_lr_mid_run_keeps_it_going():
    live = run_in(Status.RUNNING, CFG)
    live.follow(CFG.replace(lr=2e-5))
    assert live.status == Status.RUNNING
    assert live.cfg.lr == 2e-5


@pytest.mark.parametrize("status", [Status.STOPPED, Status.DONE])
def test_a_run_that_has_ended_ignores_setting_changes(status):
    live = run_in(status, CFG)
    live.follow(CFG.replace(n_samples=20))
    assert live.status == status
    assert live.notice == ""


def test_the_docstring_shows_the_table():
    rows = re.findall(r"^ {4}(\w+) +(\w+) +(\w+) +", live_module.__doc__, re.MULTILINE)
    assert rows[0] == ("from", "event", "to")  # the header
    documented = {}
    for start, event, to in rows[1:]:
        for s in (list(Status) if start == "any" else [Status(start)]):
            documented[(s, Event(event))] = Status(to)
    assert documented == TRANSITIONS


@pytest.mark.parametrize("method", [LiveRun.pause, LiveRun.stop, LiveRun.step, LiveRun.reset])
def test_every_transition_waits_for_the_runs_lock(method):
    """An old script thread inside an epoch holds the lock: a click's transition lands after that epoch."""
    live = run_in(Status.RUNNING, CFG)
    with live.lock:
        worker = threading.Thread(target=method, args=(live,))
        worker.start()
        worker.join(0.2)
        assert worker.is_alive()  # waiting for the lock
        assert live.status == Status.RUNNING
    worker.join(5)
    assert not worker.is_alive()


def test_the_training_cap_admits_up_to_its_limit_and_frees_a_place_on_release():
    cap = TrainingCap(2)
    assert cap.try_acquire()
    assert cap.try_acquire()
    assert not cap.try_acquire()  # full: the page says it waits
    cap.release()
    assert cap.try_acquire()
    assert cap.busy == 2


def test_a_run_the_machine_refuses_at_start_keeps_the_current_run_and_says_why(monkeypatch):
    live = LiveRun()
    live.start(RunConfig(epochs=3))
    live.step()

    def refuse(cfg):
        raise ConfigError("n_samples", cfg.n_samples, "not enough memory now.")

    monkeypatch.setattr(engine, "check_machine", refuse)  # memory taken between the sidebar's check and the click
    live.start(RunConfig(epochs=5))
    assert live.cfg == RunConfig(epochs=3)
    assert live.state.epoch == 1
    assert "could not start" in live.notice
    assert "not enough memory now" in live.notice
