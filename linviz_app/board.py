"""The training tab's live parts: status line, progress bar and the two charts, redrawn by the live loop.

A single run shows its loss and weights; a sweep (several lrs, or the ladder) one line per lr on each chart.
"""
import streamlit as st

from linviz.report import outcome, status_line
from linviz.sweeps import sweep_outcome
from linviz_app.charts import loss_figure, weights_figure
from linviz_app.live import LiveRun
from linviz_app.sweep_charts import sweep_distance_figure, sweep_loss_figure

INTRO = ("The model is `y = w · x` with no bias. Its weights start random; gradient descent must find the "
         "**true weights** you set in the sidebar from generated samples alone. The defaults are the PyTorch "
         "tutorial's: 4 weights, 10 samples of integers 1..100, one sample per step at lr = 1e-5. "
         "Press **Train** to watch, **Step** to go one epoch at a time. Several learning rates separated by "
         "commas train side by side.")


class Board:
    """The page's live parts: placeholders that every redraw fills again."""

    def __init__(self, live: LiveRun, pinned: list, status, progress):
        self.pinned, self.extra = pinned, []  # extra: more draw functions for the live loop (landscape, ladder)
        self.status, self.progress = status, progress
        self.loss = self.weights = None  # the charts exist only while the Training tab is open
        self.draws = 0

    def add_training_charts(self, live: LiveRun) -> None:
        self.log_loss, self.show_error = True, False
        if live.history is not None:  # nothing to scale before the first run
            t1, t2, _ = st.columns([1, 1, 2])
            self.log_loss = t1.toggle("Log-scale loss", value=True, key="log_loss")
            if not live.cfg.is_sweep:  # a sweep always shows each run's distance to the true weights
                self.show_error = t2.toggle("Show |w - w*| instead", value=False, key="show_error")
        left, right = st.columns(2)
        self.loss, self.weights = left.empty(), right.empty()

    def draw(self, live: LiveRun, final: bool = True) -> None:
        """Fill every placeholder; `final=False` (mid-run) lets the costly extras skip a beat."""
        for draw in self.extra:
            draw(final)
        if live.history is None:
            self.status.info(INTRO)
            return
        s, cfg, v = live.state, live.cfg, live.history.view()
        judge = sweep_outcome if cfg.is_sweep else outcome
        kind, sentence = judge(cfg, s, running=live.status == "running", best=live.best, reachable=live.reachable)
        box = {"diverged": self.status.error, "converged": self.status.success}.get(kind, self.status.info)
        paused = " · paused" if live.status == "paused" else " · stopped" if live.status == "stopped" else ""
        what = "Learning-rate ladder · " if live.ladder else f"{len(cfg.lrs)} learning rates · " if cfg.is_sweep else ""
        box(f"{what}{status_line(cfg, s)}{paused} · {sentence}".replace("*", r"\*"))  # w* is not emphasis
        self.progress.progress(min(1.0, s.epoch / cfg.epochs), text=f"epoch {s.epoch:,} / {cfg.epochs:,}")
        self.draws += 1  # a fresh key per redraw: Streamlit refuses two identical charts in one run
        if self.loss is None:
            return
        if cfg.is_sweep:
            loss = sweep_loss_figure(v, cfg.lrs, log_y=self.log_loss, pinned=self.pinned)
            weights = sweep_distance_figure(v, cfg.lrs, cfg.true_weights)
        else:
            loss = loss_figure(v, log_y=self.log_loss, pinned=self.pinned)
            weights = weights_figure(v, cfg.true_weights, self.show_error)
        self.loss.plotly_chart(loss, key=f"loss_{self.draws}")
        self.weights.plotly_chart(weights, key=f"weights_{self.draws}")
