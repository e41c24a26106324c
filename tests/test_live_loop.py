"""The live loop's helpers: st_internals (the Streamlit internals it relies on, each with a fallback: a fake server
checks the waiting, source checks that the internals still exist) and the adaptive redraw rate (redraw.py)."""
import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linviz_app import st_internals
from linviz_app.redraw import DRAW_SHARE, FASTEST_S, SLOWEST_S, redraw_interval


class FakeQueue:
    def __init__(self, polls_until_empty):
        self.left = polls_until_empty

    def is_empty(self):
        self.left -= 1
        return self.left < 0


def fake_server(monkeypatch, queue):
    """A running server whose session has `queue` as its outgoing queue (st_internals sees only these names)."""
    class Session:
        _browser_queue = queue

    class Runtime:
        @staticmethod
        def exists():
            return True

        @staticmethod
        def instance():
            return type("R", (), {"get_app_session": staticmethod(lambda session_id: Session())})

    monkeypatch.setattr(st_internals, "Runtime", Runtime)
    monkeypatch.setattr(st_internals, "get_script_run_ctx", lambda: type("Ctx", (), {"session_id": "s"}))


def test_wait_until_sent_waits_for_the_queue_to_empty_and_gives_up_at_its_timeout(monkeypatch):
    queue = FakeQueue(polls_until_empty=5)
    fake_server(monkeypatch, queue)
    monkeypatch.setattr(st_internals, "POLL_S", 0.0)
    assert not st_internals.all_sent()
    assert st_internals.wait_until_sent(timeout_s=5) is True
    assert queue.left == -1  # it polled until the queue was empty, then stopped
    fake_server(monkeypatch, FakeQueue(polls_until_empty=10**9))
    assert st_internals.wait_until_sent(timeout_s=0.05) is False


def test_the_streamlit_internals_the_live_loop_relies_on_still_exist():
    """st_internals polls the session's browser queue (a rerun would discard the final frame; a key frame queued
    behind an update would be dropped). Outside a server it falls back at once."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    assert "self._browser_queue = ForwardMsgQueue()" in inspect.getsource(AppSession.__init__)
    assert "self._browser_queue.clear(" in inspect.getsource(AppSession._clear_queue)  # why the loop waits
    assert callable(Runtime.get_app_session) and callable(Runtime.exists)
    assert ForwardMsgQueue().is_empty()
    assert st_internals.wait_until_sent(timeout_s=5) is False  # no server in this process: returns at once
    assert st_internals.all_sent() is True


def test_a_busy_server_redraws_less_often_but_at_least_twice_a_second():
    assert redraw_interval(0.001, busy=1) == FASTEST_S
    assert redraw_interval(0.001, busy=4) == pytest.approx(4 * FASTEST_S)  # one interpreter lock: ~1 core
    assert redraw_interval(0.001, busy=10_000) == SLOWEST_S
    assert redraw_interval(0.05, busy=1) == pytest.approx(0.2)  # a costly redraw: a quarter of the time
    assert redraw_interval(2.0, busy=1) == pytest.approx(8.0)  # a very costly one too, however long


@given(st.floats(0, 10), st.integers(0, 1000))
def test_drawing_never_takes_more_than_its_share_nor_redraws_faster_than_twenty_a_second(draw_s, busy):
    interval = redraw_interval(draw_s, busy)
    assert interval >= FASTEST_S
    assert draw_s <= DRAW_SHARE * interval + 1e-4  # rounding to 0.1 ms
    assert interval <= max(SLOWEST_S, draw_s / DRAW_SHARE) + 1e-4
