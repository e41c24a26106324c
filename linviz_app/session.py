"""What one browser session keeps between script runs: its live run, its analyses and its pinned runs.

Each student's session holds its own; nothing here is shared between sessions (no st.cache_resource).
"""
import streamlit as st

from linviz import RunConfig
from linviz.analysis import Analysis, analyze
from linviz_app.live import LiveRun

ANALYSES_KEPT = 4  # these settings and their standardised twin (the landscape compares both), and one earlier pair


def live_run() -> LiveRun:
    """The session's one run (a plain object: a script run that is interrupted leaves it intact)."""
    if "live" not in st.session_state:
        st.session_state["live"] = LiveRun()
    return st.session_state["live"]


def cached_analysis(cfg: RunConfig) -> Analysis:
    """The analysis of cfg's data and training, kept per session (it does not depend on lr)."""
    key = cfg.replace(lr=1.0)
    cache = st.session_state.setdefault("analysis_cache", {})
    if key not in cache:
        if len(cache) >= ANALYSES_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = analyze(cfg)
    return cache[key]


def pinned_runs() -> list[dict]:
    """Finished runs the student pinned ({label, cfg, epoch, loss}): faint lines on the loss chart."""
    return st.session_state.get("pins", [])
