"""The Loss landscape tab: the loss over two chosen weights (the others held at their true values), with the
path each run took drawn live, and how raw and standardised features differ in curvature and threshold.

With more than one step per epoch a toggle shows every optimiser step of the latest epochs (the zig-zag), replayed
exactly from the engine's weights by linviz/steps.py, not only one point per epoch."""
import time

import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz.errors import ConfigError
from linviz.history import alive
from linviz.landscape import loss_slice, slice_condition
from linviz.steps import MAX_STEPS, StepPath, step_path, steps_per_epoch
from linviz_app.charts import MAX_LINES, PALETTE, short_number
from linviz_app.i18n import t, tr
from linviz_app.live import LiveRun
from linviz_app.live_chart import live_chart
from linviz_app.lr_charts import landscape_figure
from linviz_app.lr_colours import lr_styles
from linviz_app.safe import md_escape
from linviz_app.session import cached_analysis, drawn_data

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
            self.note.caption(t("tabs.land.steps_not_shown", why=path))  # why: the core's message, said in our language
            return []
        each = t("tabs.land.per_sample") if live.cfg.batch_size == 1 else t("tabs.land.per_batch",
                                                                            n=live.cfg.batch_size)
        span = (t("tabs.land.one_epoch", epoch=path.last_epoch) if path.first_epoch == path.last_epoch
                else t("tabs.land.epochs", first=path.first_epoch, last=path.last_epoch))
        self.note.caption(t("tabs.land.steps_note", each=each, span=span))
        runs = [(t("tabs.land.training_path"), PALETTE[1])] if not live.history.runs else list(
            zip(*lr_styles(live.cfg.lrs)))[:MAX_LINES]  # each lr as on every tab (lr_colours.py)
        diverged = np.asarray(live.state.diverged_epoch)  # (R,): -1 where a run has not diverged
        out = []
        for r, (name, color) in enumerate(runs):
            ok = (path.epoch < diverged[r]) if diverged[r] >= 0 else np.ones(len(path.epoch), bool)
            w = path.weights[ok, r]
            out.append((t("tabs.land.every_step", name=name), w[:, self.i], w[:, self.j], color, diverged[r] >= 0))
        return out


def landscape_ui(cfg: RunConfig | None, live: LiveRun) -> Landscape | None:
    """Choose two weights; returns the live view that redraws the landscape (None when there is none)."""
    run_cfg = live.cfg or cfg
    if run_cfg is None or run_cfg.n_weights < 2:
        st.info(t("tabs.land.needs_two"))
        return None
    names = [f"w{k + 1}" for k in range(run_cfg.n_weights)]
    c1, c2, _ = st.columns([1, 1, 3])
    i = names.index(c1.selectbox(t("tabs.land.horizontal"), names, index=0, key="land_i"))
    j = names.index(c2.selectbox(t("tabs.land.vertical"), names, index=1, key="land_j"))
    if i == j:
        st.warning(t("tabs.land.same_weight"))
        return None
    try:  # drawn before any run: its memory counted in the process's ledger, like a run's
        data = live.trainer.data if live.trainer else drawn_data(run_cfg)
        st.caption(_caption(run_cfg, data, i, j))
    except ConfigError as e:
        st.warning(md_escape(tr(e.message)))
        return None
    steps = False
    if steps_per_epoch(run_cfg) > 1:
        steps = st.toggle(t("tabs.land.steps_toggle"), value=False, key="land_steps",
                          help=t("tabs.land.steps_help", n=MAX_STEPS))
    return Landscape(run_cfg, data, i, j, steps)


def _caption(cfg: RunConfig, data, i: int, j: int) -> str:
    """What the slice holds fixed, how stretched it is, and raw vs standardised curvature and threshold."""
    names = [f"w{k + 1}" for k in range(cfg.n_weights)]
    others = [f"{names[k]} = {cfg.true_weights[k]:g}" for k in range(cfg.n_weights) if k not in (i, j)]
    if len(others) > 6:  # a thousand weights would push the chart off the page
        others = [*others[:5], t("tabs.land.more", n=len(others) - 5)]
    a = cached_analysis(cfg)
    other = cached_analysis(cfg.replace(standardize=not cfg.standardize))
    raw, std = (other, a) if cfg.standardize else (a, other)
    fixed = t("tabs.land.slice_fixed", others=t("tabs.land.list_sep").join(others)) if others else ""
    return fixed + t("tabs.land.caption", ratio=np.sqrt(slice_condition(data, i, j)), kappa=a.condition,
                     raw_threshold=short_number(raw.threshold), raw_curvature=raw.eigenvalues[-1],
                     std_threshold=short_number(std.threshold), std_curvature=std.eigenvalues[-1])


def training_paths(live: LiveRun, i: int, j: int) -> list:
    """(label, w_i, w_j, colour, diverged) per run: the path each run took so far over weights i and j."""
    if live.history is None:
        return []
    v = live.history.view()
    if not live.history.runs:
        return [(t("tabs.land.training_path"), v["weights"][:, i], v["weights"][:, j], "#D55E00", live.state.run(0).diverged)]
    ok, w = alive(v), v["weights"]
    names, colors = lr_styles(live.cfg.lrs)  # each lr as on every tab (lr_colours.py)
    return [(name, w[ok[:, r], r, i], w[ok[:, r], r, j], colors[r], v["diverged_epoch"][r] >= 0)
            for r, name in enumerate(names[:MAX_LINES])]
