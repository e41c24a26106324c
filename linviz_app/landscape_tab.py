"""The Loss landscape tab: the loss over two chosen weights (the others held at their true values), with the
path each run took drawn live, and how raw and standardised features differ in curvature and threshold.

With more than one step per epoch a toggle shows every optimiser step of the latest epochs (the zig-zag), replayed
exactly from the engine's weights by linviz/steps.py, not only one point per epoch."""
import time

import numpy as np
import streamlit as st

from linviz import RunConfig, make_dataset
from linviz.history import alive
from linviz.landscape import loss_slice, slice_condition
from linviz.steps import MAX_STEPS, StepPath, step_path, steps_per_epoch
from linviz_app.charts import MAX_LINES, PALETTE, short_number
from linviz_app.live import LiveRun
from linviz_app.live_chart import live_chart
from linviz_app.lr_charts import landscape_figure
from linviz_app.session import cached_analysis
from linviz_app.sweep_charts import lr_names

REDRAW_S = 0.25  # seconds between landscape redraws mid-run: a contour costs the server and the browser more


class Landscape:
    """The contour of weights i and j (names[i], names[j]) of `cfg`'s data, redrawn with the paths so far."""

    def __init__(self, cfg: RunConfig, data, i: int, j: int, steps: bool = False):
        self.cfg, self.data, self.i, self.j, self.steps = cfg, data, i, j, steps
        self.names = [f"w{k + 1}" for k in range(cfg.n_weights)]
        self.note = st.empty() if steps else None  # what the zig-zag covers, or why it cannot be shown
        self.chart = st.empty()
        self.last_draw = 0.0

    def draw(self, live: LiveRun, final: bool = True) -> None:
        if not final and time.perf_counter() - self.last_draw < REDRAW_S:
            return
        self.last_draw = time.perf_counter()
        i, j = self.i, self.j
        paths = training_paths(live, i, j)
        zigzag = self._zigzag(live) if self.steps else []
        center = np.array([self.cfg.true_weights[i], self.cfg.true_weights[j]])
        span = np.maximum(np.abs(center) * 0.5, 1.0)
        finite = [p for p in paths + zigzag if not p[4]] or paths  # diverged runs' paths may leave the view
        for _, xs, ys, _, _ in finite:
            if len(xs):
                span = np.maximum(span, 1.15 * np.array([np.abs(xs - center[0]).max(), np.abs(ys - center[1]).max()]))
        a_vals, b_vals, Z = loss_slice(self.cfg, self.data, i, j, center=center, span=span, n=41)
        fig = landscape_figure(a_vals, b_vals, Z, (self.names[i], self.names[j]), center, [p[:4] for p in paths],
                               [p[:4] for p in zigzag])
        live_chart(self.chart, fig, "landscape", f"landscape-{id(live.history)}-{i}-{j}-{self.steps}")


    def _zigzag(self, live: LiveRun) -> list:
        """(label, w_i, w_j, colour, diverged) per run: the weights after every step of the latest epochs."""
        if live.history is None:
            return []
        v = live.history.view()
        path = step_path(live.cfg, self.data, v, live.trainer.lr_at)
        if not isinstance(path, StepPath):
            self.note.caption(f"Every step: not shown. {path}")
            return []
        each = "sample" if live.cfg.batch_size == 1 else f"batch of {live.cfg.batch_size:,}"
        span = (f"epoch {path.last_epoch:,}" if path.first_epoch == path.last_epoch
                else f"epochs {path.first_epoch:,} to {path.last_epoch:,}")
        self.note.caption(f"Thin line: every optimiser step (one per {each}) of {span}, replayed exactly from the "
                          "engine's weights; dots: the ends of epochs.")
        runs = [("training path", PALETTE[1])] if not live.history.runs else list(
            zip(lr_names(live.cfg.lrs)[:MAX_LINES], PALETTE))
        diverged = np.asarray(live.state.diverged_epoch)  # (R,): -1 where a run has not diverged
        out = []
        for r, (name, color) in enumerate(runs):
            ok = (path.epoch < diverged[r]) if diverged[r] >= 0 else np.ones(len(path.epoch), bool)
            w = path.weights[ok, r]
            out.append((f"{name}: every step", w[:, self.i], w[:, self.j], color, diverged[r] >= 0))
        return out


def landscape_ui(cfg: RunConfig | None, live: LiveRun) -> Landscape | None:
    """Choose two weights; returns the live view that redraws the landscape (None when there is none)."""
    run_cfg = live.cfg or cfg
    if run_cfg is None or run_cfg.n_weights < 2:
        st.info("The landscape needs at least two weights.")
        return None
    names = [f"w{k + 1}" for k in range(run_cfg.n_weights)]
    c1, c2, _ = st.columns([1, 1, 3])
    i = names.index(c1.selectbox("Horizontal", names, index=0, key="land_i"))
    j = names.index(c2.selectbox("Vertical", names, index=1, key="land_j"))
    if i == j:
        st.warning("Choose two different weights.")
        return None
    data = live.trainer.data if live.trainer else make_dataset(run_cfg)
    st.caption(_caption(run_cfg, data, i, j))
    steps = False
    if steps_per_epoch(run_cfg) > 1:
        steps = st.toggle("Show every step (the zig-zag)", value=False, key="land_steps",
                          help=f"Draw the weights after each optimiser step of the latest epochs (at most "
                               f"{MAX_STEPS:,} steps), not only one point per epoch.")
    return Landscape(run_cfg, data, i, j, steps)


def _caption(cfg: RunConfig, data, i: int, j: int) -> str:
    """What the slice holds fixed, how stretched it is, and raw vs standardised curvature and threshold."""
    names = [f"w{k + 1}" for k in range(cfg.n_weights)]
    others = [f"{names[k]} = {cfg.true_weights[k]:g}" for k in range(cfg.n_weights) if k not in (i, j)]
    if len(others) > 6:  # a thousand weights would push the chart off the page
        others = [*others[:5], f"... ({len(others) - 5:,} more)"]
    a = cached_analysis(cfg)
    other = cached_analysis(cfg.replace(standardize=not cfg.standardize))
    raw, std = (other, a) if cfg.standardize else (a, other)
    return ((f"A slice through the true weights: {', '.join(others)} held fixed. " if others else "")
            + f"This slice's ellipses are {np.sqrt(slice_condition(data, i, j)):.2g}x longer than wide; "
            f"κ of all weights: {a.condition:.3g}. Raw features: threshold {short_number(raw.threshold)}, "
            f"largest curvature {raw.eigenvalues[-1]:.3g}; standardised: threshold {short_number(std.threshold)}, "
            f"largest curvature {std.eigenvalues[-1]:.3g}. The steepest direction sets the largest usable lr.")


def training_paths(live: LiveRun, i: int, j: int) -> list:
    """(label, w_i, w_j, colour, diverged) per run: the path each run took so far over weights i and j."""
    if live.history is None:
        return []
    v = live.history.view()
    if not live.history.runs:
        return [("training path", v["weights"][:, i], v["weights"][:, j], "#D55E00", live.state.run(0).diverged)]
    ok, w = alive(v), v["weights"]
    return [(name, w[ok[:, r], r, i], w[ok[:, r], r, j], PALETTE[r], v["diverged_epoch"][r] >= 0)
            for r, name in enumerate(lr_names(live.cfg.lrs)[:MAX_LINES])]
