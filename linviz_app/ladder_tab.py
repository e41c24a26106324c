"""The learning-rate ladder tab: six lrs placed around this data's divergence threshold, trained as one
sweep through the page's live run (a training slot, Stop, Pause, Reset and Speed apply), drawn live."""
import time

import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz.analysis import LADDER, ladder
from linviz.checks import check_machine
from linviz.errors import ConfigError
from linviz.estimate import long_run_warning
from linviz.say import Msg
from linviz_app.i18n import t, tr
from linviz_app.live import ACTIVE, LiveRun
from linviz_app.live_chart import live_chart
from linviz_app.lr_charts import ladder_final_figure, ladder_loss_figure
from linviz_app.safe import md_escape
from linviz_app.session import cached_analysis

REDRAW_S = 0.25  # mid-run: a sweep of six runs and its bar chart; four updates a second are plenty


def start_ladder(live: LiveRun, cfg: RunConfig) -> None:
    """Start the ladder as the session's live run: a sweep of lrs around the threshold, same data and
    initial weights. It trains in the live loop like any run (a training slot, Stop, Pause, Reset)."""
    try:
        a = cached_analysis(cfg)
    except ConfigError as e:  # the server's memory is taken by others' runs: the run's notice says so
        live.notice = Msg("page.live.could_not_start", message=e.message)
        return
    sweep = ladder(cfg, a)
    record = {"cfg": sweep, "threshold": a.threshold, "factors": LADDER,
              "kinds": [r.kind for r in a.classify_many(sweep.lrs)]}
    live.start(sweep, source=cfg, ladder=record)
    if live.ladder is not record:  # the machine refused it as it started (the run's notice says why)
        return
    record["history"] = live.history  # the ladder tab keeps drawing it after another run replaces it
    st.session_state["ladder"] = record


def _ladder_config(cfg: RunConfig | None) -> RunConfig | None:
    """The ladder's sweep for these settings, or None (saying why) where there is none."""
    try:
        if cfg is None or not np.isfinite(cached_analysis(cfg).threshold):
            st.info(t("tabs.ladder.needs_threshold"))
            return None
        sweep = ladder(cfg, cached_analysis(cfg))
        check_machine(sweep)  # six runs at once may not fit in this server's memory where one does
        return sweep
    except ConfigError as e:
        st.error(md_escape(t("tabs.ladder.too_big", n=len(LADDER), why=e.message)))  # why: said in our language
        return None


class LadderCharts:
    """The ladder's caption and two charts, drawn from its record (`st.session_state["ladder"]`), which keeps
    the ladder's history after another run replaced it as the page's live run."""

    def __init__(self, record: dict):
        self.record = record
        self.caption, (left, right) = st.empty(), st.columns(2)
        self.charts = (left.empty(), right.empty())
        self.last_draw = 0.0

    def draw(self, live: LiveRun, final: bool = True) -> None:
        current = live.ladder is self.record
        if not final and (not current or time.perf_counter() - self.last_draw < REDRAW_S):
            return  # another run trains (this ladder's charts do not change), or a redraw was just sent
        self.last_draw = time.perf_counter()
        h, c = self.record["history"], self.record["cfg"]
        s = h.last
        ended = s.epoch == c.epochs or bool(np.all(s.diverged))
        status = live.status if current else "finished" if ended else "stopped"
        self.caption.caption(t("tabs.ladder.progress", n=len(c.lrs), epoch=s.epoch, epochs=c.epochs,
                               seconds=s.elapsed, status=t(f"tabs.ladder.status.{status}")))
        v, run = h.view(), id(h)  # another ladder may rescale; this one keeps the user's zoom
        live_chart(self.charts[0], ladder_loss_figure(v, c.lrs, self.record["factors"]),
                   "ladder_loss", f"ladder-loss-{run}")
        final_fig = ladder_final_figure(c.lrs, s.loss, s.diverged, self.record["threshold"], status in ACTIVE)
        live_chart(self.charts[1], final_fig, "ladder_final", f"ladder-final-{run}")


def ladder_ui(cfg: RunConfig | None, live: LiveRun) -> LadderCharts | None:
    """The ladder's button and charts; returns the live view that redraws them (None before any ladder)."""
    sweep = _ladder_config(cfg)
    if sweep is not None:
        st.button(t("tabs.ladder.button", factors=", ".join(f"{f:g}" for f in LADDER)), key="btn_ladder",
                  on_click=start_ladder, args=(live, cfg), type="primary")
        if long_run_warning(sweep):
            st.warning(tr(long_run_warning(sweep)))
    record = st.session_state.get("ladder")
    if record is None:
        st.caption(t("tabs.ladder.intro"))
        return None
    return LadderCharts(record)
