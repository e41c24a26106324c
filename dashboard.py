"""linviz dashboard: `streamlit run dashboard.py`, press Train, watch y = w·x being learned.

Thin by design: the sidebar (linviz_app/widgets.py) returns settings, linviz_app/live.py holds the run,
linviz_app/charts.py builds the figures, and the core (linviz/) trains. This file lays out the page and
runs the live loop, which redraws on a wall-clock timer, never per epoch.
"""
import time

import streamlit as st
import torch

from linviz.estimate import long_run_warning
from linviz.report import history_csv, result_json
from linviz.sweeps import sweep_csv, sweep_json
from linviz_app import ladder_tab, lr_ui, widgets
from linviz_app.board import Board
from linviz_app.live import SLOTS, LiveRun
from linviz_app.safe import md_escape

REDRAW_S = 0.25  # charts redraw at 4 Hz: faster shows blank frames, slower looks jerky
SPEEDS = (1, 2, 5, 10, 20, 50, 100, "max")  # epochs per second; 20 shows the tutorial's 100 epochs in 5 s
TABS = ["Training", "Loss landscape", "Learning-rate ladder", "Compare runs", "Show me the code"]
COMPACT = "<style>.block-container {padding-top: 3.6rem; padding-bottom: 1rem;}</style>"  # charts, not chrome

if torch.get_num_threads() != 1:
    torch.set_num_threads(1)  # one server process serves every student: one thread each is fastest


def live_run() -> LiveRun:
    if "live" not in st.session_state:
        st.session_state["live"] = LiveRun()  # one per session: never shared between students
    return st.session_state["live"]


# --- button callbacks: they run before the script, so the page below already shows their effect ---
def on_train():
    cfg, _ = widgets.parse_widgets()
    if cfg is not None:
        live_run().start(cfg)


def on_pause():
    live = live_run()
    live.resume() if live.status == "paused" else live.pause()


def on_step():
    live = live_run()
    if live.status in ("idle", "stopped", "done"):
        cfg, _ = widgets.parse_widgets()
        if cfg is None:
            return
        if live.status == "stopped" and cfg == live.source:
            live.reopen()  # Step after Stop goes on from where the run stopped, as Stop kept it
        else:
            live.start(cfg, paused=True)
    live.pause()
    live.step()


def on_reset():
    live = live_run()
    if live.ladder is not None:
        st.session_state.pop("ladder", None)  # the ladder tab forgets a ladder that was reset
    live.reset()


def controls_ui(live: LiveRun, can_train: bool):
    """Train / Stop / Pause / Step / Reset and the speed, above the charts (below them they would hide)."""
    cols = st.columns([1, 1, 1.2, 1, 1, 4], vertical_alignment="bottom")
    active = live.status in ("running", "paused")
    cols[0].button("Train", type="primary", on_click=on_train, disabled=not can_train, key="btn_train",
                   use_container_width=True)
    cols[1].button("Stop", on_click=live.stop, disabled=not active, key="btn_stop", use_container_width=True)
    cols[2].button("Resume" if live.status == "paused" else "Pause", on_click=on_pause, disabled=not active,
                   key="btn_pause", use_container_width=True)
    cols[3].button("Step", on_click=on_step, disabled=not can_train and not active, key="btn_step",
                   help="train one epoch, then pause", use_container_width=True)
    cols[4].button("Reset", on_click=on_reset, key="btn_reset", use_container_width=True)
    return cols[5].select_slider("Speed (epochs per second)", SPEEDS, value=20, key="speed")


def downloads_ui(live: LiveRun) -> None:
    """Downloads build their file when clicked (reading the live run), and do not interrupt training."""
    st.sidebar.divider()
    none = live.history is None
    st.sidebar.download_button("Download history (CSV)", data=lambda: _csv(live), file_name="linviz-history.csv",
                               mime="text/csv", on_click="ignore", disabled=none, key="dl_csv",
                               use_container_width=True)
    st.sidebar.download_button("Download settings + result (JSON)", data=lambda: _json(live),
                               file_name="linviz-run.json", mime="application/json", on_click="ignore",
                               disabled=none, key="dl_json", use_container_width=True)


def _csv(live: LiveRun) -> str:
    """Single runs: one row per epoch; sweeps: one row per epoch and run, with the run's lr."""
    return sweep_csv(live.history) if live.history.runs else history_csv(live.history)


def _json(live: LiveRun) -> str:
    return sweep_json(live.cfg, live.state, live.best) if live.cfg.is_sweep else result_json(live.cfg, live.state)


def run_live(live: LiveRun, board: Board, speed) -> None:
    """Train while the run is 'running', paced to `speed` epochs/s, redrawing every REDRAW_S seconds.

    A click anywhere interrupts this loop (Streamlit raises at the next redraw); the next script run
    finds the same LiveRun and carries on, so progress is never lost. A run holds one of the server's
    training slots while it trains, and waits, saying so, while all are taken."""
    if live.status != "running":
        return
    while not SLOTS.try_acquire():
        board.status.warning(f"Waiting for a free slot: {SLOTS.busy} runs are training on this server right now. "
                             "Yours starts as soon as one finishes.")
        time.sleep(REDRAW_S)
        if live.status != "running":
            return
    try:
        _train_paced(live, board, speed)
    finally:
        SLOTS.release()  # also when a click or a closed tab interrupts the loop
    board.draw(live)  # once more at the end, so the final state on screen is exact
    st.rerun()  # the run ended by itself: redraw the buttons (Stop, Pause) for a finished run


def _train_paced(live: LiveRun, board: Board, speed) -> None:
    next_epoch = time.perf_counter()
    next_draw = next_epoch + REDRAW_S  # the page already shows the state the loop starts from
    while live.status == "running":
        now = time.perf_counter()
        if speed == "max":
            live.train_for(min(REDRAW_S, max(0.0, next_draw - now)) or 0.01)
        elif now >= next_epoch:
            live.step()
            next_epoch = max(next_epoch + 1.0 / speed, now - 0.5)  # fall behind by at most half a second
        else:
            time.sleep(min(next_epoch, next_draw) - now if next_draw > now else 0.0)
        if time.perf_counter() >= next_draw:
            board.draw(live, final=False)
            next_draw = time.perf_counter() + REDRAW_S


def main():
    st.set_page_config(page_title="linviz: watch PyTorch learn", page_icon="📉", layout="wide")
    url_errors = widgets.init_from_url()
    live = live_run()
    cfg, errors = widgets.parse_widgets()
    if cfg is not None:
        widgets.sync_url(cfg)
        live.follow(cfg)
    lr_ui.preset_ui()
    slots = widgets.settings_ui(running=live.status == "running")
    for attr, message in errors.items():
        (slots.get(attr) or st.sidebar).error(md_escape(message))
    with slots["lr_hint"]:
        lr_ui.lr_hint_ui(cfg)
    downloads_ui(live)

    st.html(COMPACT)
    st.markdown("### Watch PyTorch learn **y = w · x**")
    speed = controls_ui(live, can_train=cfg is not None)
    if url_errors:  # one box, however many: the charts stay in view
        items = [f"- {md_escape(m)}" for m in url_errors.values()]
        more = [f"- and {len(items) - 5} more"] if len(items) > 5 else []
        st.warning("\n".join(["Settings in this link that were not usable, so their defaults are used instead:",
                               *items[:5], *more]))
    if errors:
        st.error("Fix the highlighted settings in the sidebar to train.")
    elif long_run_warning(cfg):
        st.warning(long_run_warning(cfg))
    if live.status in ("running", "paused") and live.cfg != cfg and long_run_warning(live.cfg):
        st.warning(long_run_warning(live.cfg))  # e.g. the ladder: its sweep, not the sidebar's settings
    if live.notice:
        st.info(md_escape(live.notice))
    status = st.empty(), st.empty()  # status line and progress bar: above the tabs, seen from every tab
    tabs = st.tabs(TABS, key="tab", on_change="rerun")  # only the open tab's content is built and sent
    board = Board(live, st.session_state.get("pins", []), *status)
    if tabs[0].open:
        with tabs[0]:
            board.add_training_charts(live)
    if tabs[1].open:
        with tabs[1]:
            draw_landscape = lr_ui.landscape_ui(cfg, live)
            if draw_landscape:
                board.extra.append(draw_landscape)
    if tabs[2].open:
        with tabs[2]:
            draw_ladder = ladder_tab.ladder_ui(cfg, live)
            if draw_ladder:
                board.extra.append(draw_ladder)
    if tabs[3].open:
        with tabs[3]:
            lr_ui.compare_ui(live)
    if tabs[4].open:
        with tabs[4]:
            lr_ui.code_ui(cfg, live)
    board.draw(live)
    run_live(live, board, speed)


main()
