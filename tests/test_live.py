"""The session's run as a state machine (linviz_app/live.py): every (status, event) pair of the transition
table, allowed or refused, driven through the real methods; the docstring's table is the table; every
transition waits for the run's lock. And the server's cap on trainings at once (linviz_app/training_cap.py)."""
import itertools
import re
import threading

import pytest

from linviz import RunConfig
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

    monkeypatch.setattr(live_module, "check_machine", refuse)  # memory taken between the sidebar's check and the click
    live.start(RunConfig(epochs=5))
    assert live.cfg == RunConfig(epochs=3)
    assert live.state.epoch == 1
    assert "could not start" in live.notice
    assert "not enough memory now" in live.notice


def test_a_run_that_does_not_fit_beside_the_others_is_refused_in_words_and_the_current_run_stays(monkeypatch):
    """The process's memory ledger (linviz/memory.py): one budget for every session. A run that fits the machine
    alone but not beside what other students hold is refused, naming Samples; replacing one's own run counts the
    memory it gives back; a run's reservation ends with its trainer."""
    import gc

    from linviz.checks import memory_needed
    from linviz.memory import Ledger
    book = Ledger(budget=memory_needed(RunConfig(n_samples=20_000)) * 3 // 2)
    monkeypatch.setattr(live_module, "ledger", lambda: book)
    import linviz.memory as memory_module
    monkeypatch.setattr(memory_module, "rss", lambda: book.base)  # count reservations only: RSS is the test's own
    a, b = LiveRun(), LiveRun()
    a.start(RunConfig(n_samples=20_000, epochs=2))
    assert book.held == memory_needed(RunConfig(n_samples=20_000))
    b.start(RunConfig(n_samples=20_000, epochs=2))  # does not fit beside a's
    assert b.trainer is None and b.status == Status.IDLE
    assert "could not start" in b.notice and "This server is shared" in b.notice
    b.start(RunConfig(epochs=2))  # a small one does
    assert b.status == Status.RUNNING
    a.start(RunConfig(n_samples=19_000, epochs=2))  # replacing a's own run: its memory is given back first
    assert a.status == Status.RUNNING and a.cfg.n_samples == 19_000
    assert book.held == memory_needed(RunConfig(n_samples=19_000)) + memory_needed(RunConfig(epochs=2))
    a.reset()
    gc.collect()
    assert book.held == memory_needed(RunConfig(epochs=2))  # a's reservation ended with its trainer
    del b
    gc.collect()
    assert book.held == 0  # a closed page: its LiveRun is collected, and its reservation with it
