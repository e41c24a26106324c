"""What one browser session keeps between script runs: its live run, its analyses and its pinned runs.

Each student's session holds its own; nothing here is shared between sessions (no st.cache_resource).
"""
import streamlit as st

from linviz import RunConfig
from linviz.analysis import Analysis, analyze
from linviz.checks import analysis_needed, dataset_needed
from linviz.data import Dataset, make_dataset
from linviz.memory import ledger
from linviz_app.live import LiveRun
from linviz_app.st_internals import widget_states_sent

ANALYSES_KEPT = 4  # these settings and their standardised twin (the landscape compares both), and one earlier pair


STARTED, LOST = "session_started", "session_lost"
LOST_RUN = "page.lost_run"  # the locale key of what a page says when its server no longer had its session


def start_session() -> None:
    """Call first in every script run, before any widget is drawn: on the session's first run, notes whether the
    browser sent the values of widgets it still shows (a new page sends none): then the server lost its session.
    Happens when the server process was restarted (`python -m linviz serve` restarts a dead one, and a
    reconnect may reach another process), or a tab was away longer than server.disconnectedSessionTTL. The
    page's first run after such a reconnect comes with the student's next click."""
    if STARTED not in st.session_state:
        st.session_state[STARTED] = True
        st.session_state[LOST] = widget_states_sent()


def lost_session(run_active: bool) -> bool:
    """Whether to tell this browser that the server lost its session and run (start_session): until a run starts
    (`run_active`)."""
    if run_active:
        st.session_state[LOST] = False
    return st.session_state.get(LOST, False)


def live_run() -> LiveRun:
    """The session's one run (a plain object: a script run that is interrupted leaves it intact)."""
    if "live" not in st.session_state:
        st.session_state["live"] = LiveRun()
    return st.session_state["live"]


def cached_analysis(cfg: RunConfig) -> Analysis:
    """The analysis of cfg's data and training, kept per session (it does not depend on lr). Its memory is reserved
    in the process's ledger while it runs: ConfigError (naming the field) when others hold too much."""
    key = cfg.replace(lr=1.0)
    cache = st.session_state.setdefault("analysis_cache", {})
    if key not in cache:
        if len(cache) >= ANALYSES_KEPT:
            cache.pop(next(iter(cache)))
        token = ledger().reserve(analysis_needed(cfg), value=cfg.n_samples)  # counted while it works; what it keeps is small
        try:
            cache[key] = analyze(cfg)
        finally:
            ledger().release(token)
    return cache[key]


def pinned_runs() -> list[dict]:
    """Finished runs the student pinned ({label, cfg, epoch, loss}): faint lines on the loss chart."""
    return st.session_state.get("pins", [])


def drawn_data(cfg: RunConfig) -> Dataset:
    """cfg's whole data set for a tab to draw before any run holds it (the landscape), its memory reserved in the
    process's ledger for as long as it lives: ConfigError (naming the field) when others hold too much."""
    token = ledger().reserve(dataset_needed(cfg), value=cfg.n_samples)
    try:
        data = make_dataset(cfg)
    except BaseException:
        ledger().release(token)
        raise
    ledger().tie(token, data)
    return data
