"""The two places where linviz reaches into Streamlit's internals (streamlit is pinned in requirements.txt, and
tests/test_live_chart.py fails if an upgrade changes either):

1. `reuse_key`: the live loop redraws a live chart (live_chart.py) many times in one script run under one key,
   which Streamlit refuses for a key (a fixed key is what keeps the chart mounted and updated in place).
2. `wait_until_sent`: when a run ends by itself, the page reruns to redraw its buttons; a rerun discards the
   messages not sent yet, so on a busy server the last epoch would reach the screen only after the whole new
   script run. The live loop waits (briefly, bounded) until the final frame has left.
"""
import time

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

POLL_S = 0.01


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


def wait_until_sent(timeout_s: float = 2.0) -> bool:
    """Wait until this session's queued messages have been sent to its browser, at most `timeout_s`. True once
    sent; False on timeout, or where there is no server to send them (AppTest)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return False
    session = Runtime.instance().get_app_session(ctx.session_id)
    if session is None:
        return False
    queue = session._browser_queue  # the runtime's event loop empties it as it sends
    end = time.perf_counter() + timeout_s
    while not queue.is_empty():
        if time.perf_counter() > end:
            return False
        time.sleep(POLL_S)
    return True
