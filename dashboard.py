"""linviz dashboard: `streamlit run dashboard.py`, press Train, watch y = w·x being learned.

Thin by design: `main` is the page's outline. The sidebar (linviz_app/sidebar.py) draws the settings and
returns them; the controls (linviz_app/controls.py) start and steer the session's run (linviz_app/live.py);
each tab is a module listed in TABS, and the tabs whose content changes during a run give the board
(linviz_app/board.py) a live view; the core (linviz/) trains. This file also runs the live loop, which
redraws on a wall-clock timer, never per epoch.
"""
import time

import streamlit as st
import torch

from linviz.estimate import long_run_warning
from linviz_app import (
    chrome_zh,
    code_tab,
    compare_tab,
    ladder_tab,
    landscape_tab,
    layout,
    presenter,
    sidebar,
    training_tab,
    widgets,
)
from linviz_app.board import STATUS_S, Board
from linviz_app.controls import controls_ui
from linviz_app.data_tab import data_ui
from linviz_app.i18n import t, tr
from linviz_app.live import ACTIVE, LiveRun, Status
from linviz_app.preload import warm
from linviz_app.redraw import redraw_interval
from linviz_app.safe import md_escape
from linviz_app.session import LOST_RUN, live_run, lost_session, start_session
from linviz_app.st_internals import is_rerun, wait_until_sent
from linviz_app.training_cap import TRAINING_CAP, waiting_message

WAIT_S = 0.25  # while waiting for a training slot, look again this often
TABS = {  # id (its title: the locale's tab.<id>) -> the tab's *_ui(cfg, live), which returns its live view or None
    "training": training_tab.training_ui,
    "data": data_ui,
    "landscape": landscape_tab.landscape_ui,
    "ladder": ladder_tab.ladder_ui,
    "compare": compare_tab.compare_ui,
    "code": code_tab.code_ui,
}

warm()  # before any page runs: nothing a page imports lazily is ever seen half-imported by another
if torch.get_num_threads() != 1:
    torch.set_num_threads(1)  # one server process serves every student: one thread each is fastest


def main():
    st.set_page_config(page_title=t("page.browser_title"), page_icon="📉", layout="wide",
                       initial_sidebar_state=presenter.sidebar_state())  # folded in the presenter view
    layout.apply()  # charts, not chrome: the page fits the screen it is on
    presenter.apply()
    chrome_zh.apply()  # on the Chinese page, Streamlit's own words too
    start_session()
    url_errors = widgets.init_from_url()
    live = live_run()
    cfg, errors = sidebar.sidebar_ui()
    if cfg is not None:
        widgets.sync_url(cfg)
        live.follow(cfg)
    sidebar.run_footer_ui(live)

    st.container(key="page_title").markdown(t("page.title"))  # in the header's band (linviz_app/layout.py)
    speed = controls_ui(live, can_train=cfg is not None)
    if lost_session(live.status in ACTIVE):  # the server no longer had this page's session; no new run yet
        st.warning(t(LOST_RUN))
    messages_ui(url_errors, errors, cfg, live)
    board = Board(st.container(key="status").empty(), st.empty())  # status line and progress bar: above the tabs, seen from every tab
    tabs = st.tabs([t(f"tab.{name}") for name in TABS], key="tab", on_change="rerun")  # only the open tab is built
    for (name, tab_ui), tab in zip(TABS.items(), tabs):
        if tab.open:
            with tab:
                board.add(name, tab_ui(cfg, live))
    board.draw(live)
    run_live(live, board, speed)


def messages_ui(url_errors: dict, errors: dict, cfg, live: LiveRun) -> None:
    """Above the tabs: a link's unusable settings (one box, however many), why Train is off, long runs, and
    what the run has to say once (e.g. why it ended)."""
    if url_errors and live.history is None:  # one box, until the first run: then the link is history
        items = [f"- {md_escape(tr(m))}" for m in url_errors.values()]
        more = [f"- {t('page.and_more', n=len(items) - 5)}"] if len(items) > 5 else []
        st.warning("\n".join([t("page.link_unusable"), *items[:5], *more]))
    if errors:  # each named here too: on a phone the sidebar is folded away
        items = [f"- {md_escape(tr(m))}" for m in errors.values()]
        st.error("\n".join([t("page.fix_sidebar"), *items[:3], *([f"- {t('page.and_more', n=len(items) - 3)}"]
                                                                  if len(items) > 3 else [])]))
    elif long_run_warning(cfg):
        st.warning(tr(long_run_warning(cfg)))
    if live.status in ACTIVE and live.cfg != cfg and long_run_warning(live.cfg):
        st.warning(tr(long_run_warning(live.cfg)))  # e.g. the ladder: its sweep, not the sidebar's settings
    if live.notice:
        st.info(md_escape(tr(live.notice)))


def run_live(live: LiveRun, board: Board, speed) -> None:
    """Train while the run is running, paced to `speed` epochs/s, redrawing the charts in place up to 20 times a
    second, less often as the server gets busy (linviz_app/redraw.py).

    A click anywhere interrupts this loop (Streamlit raises at the next redraw); the next script run
    finds the same LiveRun and carries on, so progress is never lost. A run holds a place under the
    server's training cap while it trains, and waits in line, saying how many are ahead, while all places are
    taken."""
    if live.stepping:  # Step on an epoch longer than the click trains: the rest, drawn between slices
        _finish_step(live, board)
    if live.status != Status.RUNNING:
        TRAINING_CAP.leave(live)  # Stop or Reset while waiting: the students behind move up
        return
    try:
        while not TRAINING_CAP.try_acquire(live):  # first come, first served; a click keeps the place in line
            board.status.warning(tr(waiting_message(TRAINING_CAP.ahead(live), TRAINING_CAP.busy)))
            time.sleep(WAIT_S)
            if live.status != Status.RUNNING:
                TRAINING_CAP.leave(live)
                return
    except BaseException as e:
        if not is_rerun(e):  # the tab closed (or the script stopped): give the place up
            TRAINING_CAP.leave(live)
        raise
    try:
        _train_paced(live, board, speed)
    except BaseException as e:
        if is_rerun(e) and live.status == Status.RUNNING:  # a click: the run goes on in the next script run,
            TRAINING_CAP.keep(live)                       # in the same place (a waiting student does not take it)
        else:  # a closed tab, or the script stopped
            TRAINING_CAP.release()
        raise
    TRAINING_CAP.release()
    board.draw(live)  # once more at the end, so the final state on screen is exact
    wait_until_sent()  # a rerun would discard it unsent: on a busy server the last epoch would show late
    st.rerun()  # the run ended by itself: redraw the buttons (Stop, Pause) for a finished run


def _finish_step(live: LiveRun, board: Board) -> None:
    """Train what is left of a stepped epoch, redrawing the status (its progress) between slices: a click (Stop,
    Reset) interrupts it at the next redraw."""
    while live.stepping and live.status == Status.PAUSED:
        if live.advance(STATUS_S):
            live.stepping = False
        board.draw(live, final=False)
    board.draw(live)
    wait_until_sent()
    st.rerun()


def _train_paced(live: LiveRun, board: Board, speed) -> None:
    next_epoch = time.perf_counter()
    interval = redraw_interval(0.0, TRAINING_CAP.busy, flat_out=speed == "max")
    next_draw = next_epoch + interval  # the page already shows the state the loop starts from
    while live.status == Status.RUNNING:
        now = time.perf_counter()
        if speed == "max":
            live.train_for(min(interval, max(0.0, next_draw - now)) or 0.01)
        elif now >= next_epoch or live.epoch_progress > 0:  # an epoch is due, or one longer than a redraw goes on
            if live.advance(max(0.01, next_draw - now)):  # in slices, to the next redraw at most
                next_epoch = max(next_epoch + 1.0 / speed, now - 0.5)  # fall behind by at most half a second
        else:
            time.sleep(min(next_epoch, next_draw) - now if next_draw > now else 0.0)
        if time.perf_counter() >= next_draw:
            drawn = time.perf_counter()
            board.draw(live, final=False)
            done = time.perf_counter()
            interval = redraw_interval(done - drawn, TRAINING_CAP.busy, flat_out=speed == "max")
            next_draw, board.status_s = done + interval, max(STATUS_S, interval)


from linviz_app.safe import run_page  # the page's one entry point (no traceback reaches a student)

run_page(main)
