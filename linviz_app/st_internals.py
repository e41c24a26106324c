"""The places where linviz reaches into Streamlit's internals (streamlit is pinned in requirements.txt, and
tests/test_live_chart.py fails if an upgrade changes them):

1. `reuse_key`: the live loop redraws a live chart (live_chart.py) many times in one script run under one key,
   which Streamlit refuses for a key (a fixed key is what keeps the chart mounted and updated in place).
2. `all_sent` (the session's outgoing queue is empty: every message queued so far was taken for sending): a live
   chart sends updates relative to a key frame only once that frame has left, because the queue keeps only the
   newest message per element and would drop the frame.
3. `wait_until_sent`: when a run ends by itself, the page reruns to redraw its buttons; a rerun discards the
   messages not sent yet, so on a busy server the last epoch would reach the screen only after the whole new
   script run. The live loop waits (briefly, bounded) until the final frame has left.
4. `widget_states_sent`: whether the browser sent widget values with this script run. A page's first run sends
   none; a page whose server-side session is gone (its server process was restarted, or behind
   `python -m linviz serve` its reconnect reached another process) sends the values it still shows, on the first
   click after the reconnect: see session.lost_session.
5. `is_rerun`: a click interrupts a script run with Streamlit's RerunException; the training cap's line keeps a
   waiting session's place through it, and gives it up for any other interruption (a closed tab).
6. `expire_closed_sessions`: Streamlit keeps a closed page's session for server.disconnectedSessionTTL seconds but
   drops it only when its session store is next written (another page connecting), and even then its runtime loop
   may keep the last session it served alive in a local variable until another session needs serving. So a closed
   page's run held its memory for as long as nobody else came. The memory ledger's janitor (linviz/memory.py)
   expires such sessions on Streamlit's event loop, shuts them down as Streamlit's own close does, and clears
   their state, so their runs are freed after the TTL.
Each falls back to plain Streamlit behaviour where the internals are missing (and outside a server: AppTest).
"""
import logging
import time

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

POLL_S = 0.01
log = logging.getLogger("linviz.page")


def reuse_key(key: str) -> bool:
    """Let `key` be drawn again in this script run. False when this run has not drawn it yet (or outside a script
    run): then the coming draw is the run's first."""
    ctx = get_script_run_ctx()
    if ctx is None or key not in ctx.shared.widget_user_keys_this_run:
        return False
    for ids in (ctx.shared.widget_user_keys_this_run, ctx.shared.widget_ids_this_run):
        with ids._lock:  # ThreadSafeSet keeps its set private; there is no public way to forget a key
            ids._data = {v for v in ids._data if v != key and not v.endswith("-" + key)}
    return True


def _queue():
    """This session's outgoing message queue, or None (no server, e.g. AppTest; or the internals changed)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    try:
        session = Runtime.instance().get_app_session(ctx.session_id)
        return session._browser_queue if session is not None else None  # the runtime's event loop empties it
    except AttributeError:
        return None


def all_sent() -> bool:
    """Whether every message this session queued so far has been taken for sending (True without a server)."""
    queue = _queue()
    return queue is None or queue.is_empty()


def wait_until_sent(timeout_s: float = 2.0) -> bool:
    """Wait until this session's queued messages have been taken for sending, at most `timeout_s`. True once they
    have; False on timeout, or where there is no server to send them (AppTest)."""
    queue = _queue()
    if queue is None:
        return False
    end = time.perf_counter() + timeout_s
    while not queue.is_empty():
        if time.perf_counter() > end:
            return False
        time.sleep(POLL_S)
    return True


def widget_states_sent() -> bool:
    """Whether this script run came with widget values from the browser (False outside a script run, or where the
    internals changed)."""
    ctx = get_script_run_ctx()
    try:
        return bool(ctx.session_state._state._new_widget_state.states)
    except AttributeError:
        return False


def is_rerun(exc: BaseException) -> bool:
    """Whether `exc` is Streamlit's "rerun the script" interruption (a click), by name: its module moved before."""
    return type(exc).__name__ == "RerunException"


def expire_closed_sessions(let_go=None) -> None:
    """Drop the sessions of pages closed longer ago than server.disconnectedSessionTTL, on Streamlit's event loop
    (its session store is not thread-safe): each is shut down as Streamlit's own close does, `let_go(value)` is
    called on every value its state holds (a LiveRun drops its run: widget callbacks such as `on_click=live.stop`
    may keep the object itself), and its state is cleared. Nothing outside a running server."""
    try:
        runtime = Runtime.instance()
        cache = runtime._session_mgr._session_storage._cache
        loop = runtime._get_async_objs().eventloop
    except (RuntimeError, AttributeError):
        return
    if hasattr(cache, "expire"):
        loop.call_soon_threadsafe(_expire, cache, let_go)


def _expire(cache, let_go) -> None:
    for _, info in cache.expire():  # (session id, SessionInfo) of each session past its TTL, now out of the store
        try:
            info.session.shutdown()
            state = info.session._session_state
            for part in (state._new_session_state, state._old_state):
                for value in list(part.values()):
                    if let_go is not None:
                        let_go(value)
            state.clear()
        except Exception:  # one odd session must not keep the others
            log.exception("could not clear an expired session")
