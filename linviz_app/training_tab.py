"""The Training tab: the loss and weights charts of the live run, updated in place by the live loop.

A single run shows its loss (with pinned runs as faint lines) and its weights, or |w - w*|; a sweep (several
lrs, or the ladder) one line per lr on each chart. Before the first run, the same charts show where training starts
for the sidebar's settings (start_view.py).
"""
import streamlit as st

from linviz import RunConfig
from linviz_app.charts import loss_figure, weights_figure
from linviz_app.i18n import t
from linviz_app.live import LiveRun
from linviz_app.live_chart import live_chart
from linviz_app.session import pinned_runs
from linviz_app.start_view import start_figures, start_line, start_of
from linviz_app.sweep_charts import sweep_distance_figure, sweep_loss_figure


class TrainingCharts:
    """The two chart placeholders and the toggles that shape them. Before the first run (and after Reset) they show
    where training starts for the sidebar's settings (`cfg`; start_view.py), with a line of what Train will do."""

    def __init__(self, live: LiveRun, cfg: RunConfig | None = None):
        self.pinned = pinned_runs()
        self.log_loss, self.show_error = True, False
        self.cfg = cfg if live.history is None else None  # the start is drawn only while there is no run
        line = st.empty()  # the same places before and after the first run: the charts are updated, not remounted
        toggles = st.container(key="chart_toggles")
        if live.history is not None:  # nothing to scale before the first run
            t1, t2, _ = toggles.columns([1, 1, 2])
            self.log_loss = t1.toggle(t("page.log_loss"), value=True, key="log_loss")
            if not live.cfg.is_sweep:  # a sweep always shows each run's distance to the true weights
                self.show_error = t2.toggle(t("page.show_error"), value=False, key="show_error")
        self.start = start_of(self.cfg) if self.cfg is not None else None
        if self.start is not None:
            line.markdown(start_line(self.cfg, self.start))
        left, right = st.container(key="chart_pair").columns(2)  # stacked on a phone (linviz_app/layout.py)
        self.loss, self.weights = left.empty(), right.empty()

    def draw(self, live: LiveRun, final: bool = True) -> None:
        if live.history is None:
            self._draw_start()
            return
        cfg, v = live.cfg, live.history.view()
        if cfg.is_sweep:
            loss = sweep_loss_figure(v, cfg.lrs, log_y=self.log_loss, pinned=self.pinned)
            weights = sweep_distance_figure(v, cfg.lrs, cfg.true_weights)
        else:
            loss = loss_figure(v, log_y=self.log_loss, pinned=self.pinned)
            weights = weights_figure(v, cfg.true_weights, self.show_error)
        run = id(live.history)  # a new run may rescale; the same run keeps the user's zoom and legend clicks
        live_chart(self.loss, loss, "live_loss", f"loss-{run}-{self.log_loss}")
        live_chart(self.weights, weights, "live_weights", f"weights-{run}-{self.show_error}")

    def _draw_start(self) -> None:
        """The start, in the live charts' own places and keys (the first run updates them in place); nothing for
        settings that are not valid."""
        if self.start is None:
            return
        loss, weights = start_figures(self.cfg, self.start, pinned=self.pinned)
        keep = f"start-{hash(self.cfg)}"  # another setting rescales
        live_chart(self.loss, loss, "live_loss", f"loss-{keep}")
        live_chart(self.weights, weights, "live_weights", f"weights-{keep}")


def training_ui(cfg: RunConfig | None, live: LiveRun) -> TrainingCharts:
    """The tab's toggles and chart places; its live view. The charts show the run (which may be a ladder's sweep,
    not the sidebar's settings); before any run, where training starts for the sidebar's settings `cfg`."""
    return TrainingCharts(live, cfg)
