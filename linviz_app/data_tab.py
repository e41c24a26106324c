"""The Data tab: the samples the model learns from, with the current prediction and residual, redrawn live.

A parity plot (prediction against target: the points walk onto the diagonal as training goes on), each sample's
target and prediction, and a table of the first samples with their raw features. Before any run it shows the
sidebar's data with the initial weights' predictions. Charts are built in data_charts.py and updated in place
(live_chart.py); the table, a heavier message, at most once a second mid-run.
"""
import time

import numpy as np
import streamlit as st

from linviz import RunConfig, make_dataset
from linviz.analysis_cost import spectrum_rows
from linviz.fit import centred, fit_data, fits_every_sample, start_weights
from linviz.samples import MAX_POINTS, predict, rms_residual, select
from linviz.text import fmt_number
from linviz_app.charts import MAX_LINES, PALETTE
from linviz_app.data_charts import TABLE_FEATURES, parity_figure, parity_range, sample_table, samples_figure
from linviz_app.i18n import t
from linviz_app.live import LiveRun
from linviz_app.live_chart import live_chart
from linviz_app.lr_colours import lr_labels, lr_styles

TABLE_S = 1.0  # mid-run, the table is redrawn at most once a second (the charts at the live loop's rate)
PREVIEW_CELLS = 1_000_000  # samples x weights drawn for a preview before any run: a few ms, not a wait


class DataView:
    """The tab's live view: parity plot, samples chart and table of one run's (or a sweep's) data."""

    def __init__(self, cfg: RunConfig, data, run: int):
        self.cfg, self.data, self.run = cfg, data, run
        runs = len(cfg.lrs) if cfg.is_sweep else 1
        self.samples = select(data, max(1, MAX_POINTS // runs))
        w0 = data.to_original(start_weights(cfg, cfg.n_weights))  # (D,) where every run starts
        self.bounds = parity_range(self.samples.y, predict(data, self.samples, w0))  # fixed: points move, axes stay
        names, self.colors = lr_styles(cfg.lrs) if cfg.is_sweep else ([t("tabs.data.prediction")], list(PALETTE))
        self.names, self.colors = names[:MAX_LINES], self.colors[:MAX_LINES]  # each lr as on every tab (lr_colours.py)
        left, right = st.container(key="data_pair").columns(2)  # stacked on a phone (linviz_app/layout.py)
        self.parity, self.per_sample = left.empty(), right.empty()
        self.table, self.table_at = st.empty(), 0.0

    def draw(self, live: LiveRun, final: bool = True) -> None:
        state = live.state if live.cfg == self.cfg else None
        W = state.weights[:MAX_LINES] if state is not None else self.data.to_original(
            start_weights(self.cfg, self.cfg.n_weights))[None]
        epoch = state.epoch if state is not None else 0
        names, title = self._names(state), t("tabs.data.parity_title", epoch=epoch)
        if state is not None and not self.cfg.is_sweep and state.run(0).diverged:
            k = state.run(0).diverged_epoch
            title = t("tabs.data.parity_diverged", epoch=k, last=k - 1)
        pred = predict(self.data, self.samples, W)  # (R, k)
        keep = f"data-{id(live.history)}-{self.run}"  # the same run keeps the user's zoom
        runs, diverged = None, None  # what the note on points beyond the axes names: which runs, which diverged
        if state is not None:
            diverged = np.asarray(state.diverged_epoch)[:len(pred)] >= 0
        if self.cfg.is_sweep and state is not None:
            runs = self.names[:len(pred)]
        parity = parity_figure(self.samples, pred, names, self.colors, self.bounds, title, runs=runs, diverged=diverged)
        live_chart(self.parity, parity, "live_data_parity", keep)
        r = min(self.run, len(pred) - 1)
        each = t("tabs.data.each_title_run", name=names[r]) if self.cfg.is_sweep else t("tabs.data.each_title")
        live_chart(self.per_sample, samples_figure(self.samples, pred[r], self.colors[r], self.bounds, each),
                   "live_data_samples", keep)
        if final or time.perf_counter() - self.table_at >= TABLE_S:
            self.table_at = time.perf_counter()
            self.table.dataframe(sample_table(self.samples, pred[r]), hide_index=True)


    def _names(self, state) -> list[str]:
        """Legend names: one per run, saying which diverged (their last finite weights are shown)."""
        if state is None:  # before a run: one set of initial weights, where every lr starts
            return [t("tabs.data.initial_every_lr")] if self.cfg.is_sweep else [t("tabs.data.prediction")]
        de = np.asarray(state.diverged_epoch)[:len(self.names)]
        return [t("tabs.data.name_diverged", name=n, epoch=e) if e >= 0 else n for n, e in zip(self.names, de)]


def data_ui(cfg: RunConfig | None, live: LiveRun) -> DataView | None:
    """What the tab says about the data and, for a sweep, which run the per-sample chart shows; its live view."""
    run_cfg = live.cfg if live.history is not None else cfg
    if run_cfg is None:
        st.info(t("tabs.data.no_settings"))
        return None
    if live.history is not None:
        data = live.trainer.data
    elif run_cfg.n_samples * run_cfg.n_weights <= PREVIEW_CELLS:
        data = make_dataset(run_cfg)
    else:
        st.info(t("tabs.data.press_train"))
        return None
    run = 0
    if run_cfg.is_sweep and len(run_cfg.lrs) > 1:
        ids = lr_labels(run_cfg.lrs, "en")[:MAX_LINES]  # the choice's values: English, so a language switch keeps it
        shown = dict(zip(ids, lr_labels(run_cfg.lrs)))
        run = ids.index(st.selectbox(t("tabs.data.run_choice"), ids, format_func=shown.get, key="data_run"))
    for line in notes(run_cfg, data, live, run):
        st.caption(line)
    return DataView(run_cfg, data, run)


def notes(cfg: RunConfig, data, live: LiveRun, run: int = 0) -> list[str]:
    """What a student should know to read the charts: what is shown, and what the data allows (for `run` of a
    sweep: where its lr settles)."""
    n_train, n_test, d = len(data.y), 0 if data.y_test is None else len(data.y_test), cfg.n_weights
    target = t("tabs.data.target_noise") if cfg.noise_std > 0 else t("tabs.data.target_true")
    model = t("tabs.data.model_std") if cfg.standardize else "w · x"
    out = [t("tabs.data.note_points", target=target, model=model)
           + ("" if live.history is not None else t("tabs.data.note_untrained"))]
    if n_train + n_test > MAX_POINTS:
        out.append(t("tabs.data.note_many", n=n_train + n_test, shown=MAX_POINTS))
    if n_test:
        out.append(t("tabs.data.note_test", n=n_test))
    if d > TABLE_FEATURES:
        out.append(t("tabs.data.note_features", d=d, k=TABLE_FEATURES))
    if cfg.standardize:
        out.append(t("tabs.data.note_standardized"))
    if cfg.noise_std > 0:
        out.append(_noise_note(cfg, data, live, run))
    return out


def _noise_note(cfg: RunConfig, data, live: LiveRun, run: int) -> str:
    """Noisy targets: whether some weights still fit every sample; else the residual floor of the best weights
    (least squares) and, after a run, of where training at its lr settles (linviz/fixed_point.py)."""
    std = fmt_number(cfg.noise_std)
    n, d = data.X.shape
    if spectrum_rows(n, d) < n:  # too large to solve: no floor to state
        return t("tabs.data.note_noise", std=std, floor="")
    fit = fit_data(data.X, data.y, centred=centred(data))
    if fits_every_sample(cfg.noise_std, fit.rank, n):  # 3 samples, 4 weights: some weights fit even noisy targets
        return t("tabs.data.note_noise_fits", std=std)
    ls = data.to_original(fit.w_ls)
    shown = select(data)
    floor = rms_residual(data, shown, ls)
    if floor is None:
        return t("tabs.data.note_noise", std=std, floor="")
    settle = None if live.history is None or live.best is None else np.asarray(live.best, np.float64)
    if settle is not None and live.state.run(run if live.cfg.is_sweep else 0).diverged:
        settle = None  # a run that diverged settles nowhere
    if settle is not None and settle.ndim == 2:
        settle = settle[run] if run < len(settle) else None
    there = rms_residual(data, shown, settle) if settle is not None else None
    near = there is None or not np.isfinite(there) or np.allclose(settle, ls, rtol=0, atol=1e-12)
    lr = fmt_number(cfg.lrs[run] if cfg.is_sweep else cfg.lr)
    text = t("tabs.data.note_floor", best=_short(floor), settle="" if near else t("tabs.data.note_settle", lr=lr,
                                                                                   there=_short(there)))
    return t("tabs.data.note_noise", std=std, floor=text)


def _short(v: float) -> str:
    return fmt_number(float(f"{v:.2g}"))
