"""The process's memory ledger (linviz/memory.py): one budget for every session of a server process."""
import gc
import threading

import pytest

from linviz import memory
from linviz.errors import ConfigError
from linviz.memory import Ledger

MB = 2**20


class Owner:
    """Something that holds memory (a Trainer, a data set), here in a reference cycle as a closed page's run is."""

    def __init__(self):
        self.me = self


@pytest.fixture
def book(monkeypatch):
    """A ledger of 100 MB that counts reservations only (this test process's own RSS is not the point)."""
    monkeypatch.setattr(memory, "rss", lambda: 0)
    return Ledger(budget=100 * MB)


def test_a_reservation_that_does_not_fit_beside_the_others_is_refused_in_words(book):
    a = book.reserve(60 * MB)
    with pytest.raises(ConfigError) as info:
        book.reserve(50 * MB, field="n_samples", value=2_000_000)
    e = info.value
    assert e.field == "n_samples" and "This server is shared" in e.message and "got '2000000'" in e.message
    assert "use 0.059 GiB of its 0.098 GiB, and this needs 0.049 GiB more" in e.message  # 60, 100, 50 MB
    book.reserve(40 * MB)  # what fits, fits
    assert book.held == 100 * MB
    book.release(a)
    assert book.held == 40 * MB
    book.release(a)  # again: nothing
    assert book.held == 40 * MB


def test_replacing_ones_own_reservation_counts_the_memory_it_gives_back(book):
    mine = book.reserve(70 * MB)
    with pytest.raises(ConfigError):
        book.reserve(60 * MB)
    book.reserve(60 * MB, replacing=mine)


def test_the_process_growth_counts_when_it_is_more_than_the_reservations(book, monkeypatch):
    """Memory nobody reserved (a leak, the allocator's unreturned pages) is still memory the process uses."""
    monkeypatch.setattr(memory, "rss", lambda: 90 * MB)
    with pytest.raises(ConfigError):
        book.reserve(20 * MB)


def test_a_reservation_ends_with_its_owner(book):
    owner = Owner()
    book.reserve(30 * MB, owner=owner)
    assert book.held == 30 * MB
    del owner
    gc.collect()  # a cycle: freed by the collector, as a closed page's session is
    assert book.held == 0


def test_an_owner_collected_while_a_reservation_holds_the_lock_does_not_deadlock(book, monkeypatch):
    """A garbage collection can start at any allocation, inside reserve() too, and free a closed page's run there:
    its finalizer must not wait for the lock that reserve() holds (the review found this hang the process)."""
    owner = Owner()
    book.reserve(30 * MB, owner=owner)
    del owner

    def collecting_rss():
        gc.collect()  # the owner's finalizer runs here, inside reserve()
        return 0

    monkeypatch.setattr(memory, "rss", collecting_rss)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (book.reserve(80 * MB), done.set()), daemon=True)
    worker.start()
    worker.join(30)  # a hang guard, not a timing: it returns at once unless it deadlocked
    assert done.is_set(), "reserve() deadlocked on its own lock"
    assert book.held == 80 * MB  # the collected owner's 30 MB were taken off the books


def test_the_janitor_gives_memory_back_after_a_release(book, monkeypatch):
    trimmed = threading.Event()
    monkeypatch.setattr(memory, "trim", trimmed.set)
    monkeypatch.setattr(memory, "TRIM_DELAY_S", 0.0)
    token = book.reserve(10 * MB)
    book.release(token)
    assert trimmed.wait(30)  # a hang guard: the janitor trims right after a release


def test_a_bad_budget_variable_falls_back_to_half_the_available_memory(monkeypatch):
    monkeypatch.setenv("LINVIZ_MEMORY_MB", "lots")
    monkeypatch.setattr(memory, "available_memory", lambda: 8 * 2**30)
    assert memory.default_budget() == 4 * 2**30
    monkeypatch.setenv("LINVIZ_MEMORY_MB", "512")
    assert memory.default_budget() == 512 * MB


def test_an_expired_sessions_run_lets_go_of_its_memory():
    """A closed page's session, once past server.disconnectedSessionTTL, is shut down, each value of its state let go
    (a LiveRun drops its run: widget callbacks like on_click=live.stop keep the object itself alive) and its state
    cleared (linviz_app/st_internals._expire, which the ledger's janitor schedules on Streamlit's event loop)."""
    from linviz import RunConfig
    from linviz_app.live import LiveRun, Status
    from linviz_app.st_internals import _expire

    live = LiveRun()
    live.start(RunConfig(epochs=3))

    class State:
        def __init__(self):
            self._new_session_state, self._old_state = {"live": live}, {"pins": []}

        def clear(self):
            self._new_session_state.clear()
            self._old_state.clear()

    class Session:
        def __init__(self):
            self._session_state, self.shut = State(), False

        def shutdown(self):
            self.shut = True

    class Info:
        session = Session()

    class Cache:
        def expire(self):
            return [("session-1", Info)]

    seen = []
    _expire(Cache(), lambda v: (seen.append(v), v.reset() if isinstance(v, LiveRun) else None))
    assert Info.session.shut and not Info.session._session_state._new_session_state
    assert live in seen and live.trainer is None and live.status == Status.IDLE
