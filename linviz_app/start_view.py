"""Before the first run: the state training starts from, for the sidebar's settings, in the Training tab's two charts.

A shared link opens onto the starting loss (one point at epoch 0) and the starting weights against their dashed
targets, drawn by the same builders (charts.loss_figure, weights_figure) into the same live charts the run then updates
in place, plus one line of what Train will do. The picture follows every change of a setting.

What it costs: the starting weights need no data (the seed draws them), except with standardised features, whose
weights in raw units depend on every sample's spread. The starting loss needs the data set: it is drawn (reserved in
the process's memory ledger: session.drawn_data) only while it is small (data_tab.PREVIEW_CELLS, a few ms), and its
loss kept per session; beyond that the line says the loss (and, standardised, the weights) appear with the first
epoch, and nothing as big as the data set is allocated for a picture.
"""
from dataclasses import dataclass

import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz.errors import ConfigError
from linviz.fit import start_weights
from linviz.text import fmt_number
from linviz_app.charts import MAX_LINES, loss_figure, short_number, weights_figure
from linviz_app.data_tab import PREVIEW_CELLS
from linviz_app.i18n import t
from linviz_app.live import listed
from linviz_app.live_chart import figure_dict
from linviz_app.lr_hint import ratio_text
from linviz_app.session import cached_analysis, drawn_data

DATA_FIELDS = ("true_weights", "n_samples", "seed", "noise_std", "test_fraction", "standardize", "feature_min",
               "feature_max")  # what the data set and the initial weights depend on
CACHE, KEPT = "start_cache", 8  # session key: {data fields: Start}; the last few settings' starts


@dataclass(frozen=True)
class Start:
    """Where training starts: the initial weights in the raw features' units (None: unknown without the whole data set)
    and the mean training and test losses there (nan: not computed)."""

    weights: np.ndarray | None
    loss: float = float("nan")
    test_loss: float = float("nan")
    why_not: str = ""  # "": all known; "loss": the loss appears with the first epoch; "all": the weights too


def small(cfg: RunConfig) -> bool:
    """Whether the whole data set is cheap enough to draw for a picture."""
    return cfg.n_samples * cfg.n_weights <= PREVIEW_CELLS


def compute_start(cfg: RunConfig) -> Start:
    """The start of cfg's training, as the engine computes it at epoch 0 (in float64, model units)."""
    w0 = start_weights(cfg, cfg.n_weights)  # model units; raw units unless standardised
    later = "all" if cfg.standardize else "loss"
    if not small(cfg):
        return Start(None if cfg.standardize else w0, why_not=later)
    try:
        data = drawn_data(cfg)  # reserved in the process's memory ledger while it lives (a moment)
    except ConfigError:  # others hold the memory: the picture goes without the loss
        return Start(None if cfg.standardize else w0, why_not=later)
    mse = lambda X, y: float(np.mean(np.square(X.astype(np.float64) @ w0 - y.astype(np.float64))))
    test = mse(data.X_test, data.y_test) if data.X_test is not None else float("nan")
    return Start(data.to_original(w0), mse(data.X, data.y), test)


def start_of(cfg: RunConfig) -> Start:
    """compute_start, kept per session for the last few settings (a float and a few weights each)."""
    key = tuple(getattr(cfg, f) for f in DATA_FIELDS)
    cache = st.session_state.setdefault(CACHE, {})
    if key not in cache:
        start = compute_start(cfg)
        if len(cache) >= KEPT:
            cache.pop(next(iter(cache)))
        if not (small(cfg) and start.why_not):  # a refusal by the memory ledger is asked again next time
            cache[key] = start
        return start
    return cache[key]


def start_view(cfg: RunConfig, start: Start) -> dict:
    """A History view (linviz/history.py) of the start: epoch 0, and the last epoch with nothing yet, so that the
    targets span the run to come and the x axis shows how far it goes."""
    d, nan = cfg.n_weights, np.nan
    w = start.weights if start.weights is not None else np.full(d, nan)
    return {"epoch": np.array([0.0, float(cfg.epochs)]), "loss": np.array([start.loss, nan]),
            "last_loss": np.array([nan, nan]), "test_loss": np.array([start.test_loss, nan]),
            "lr": np.full(2, float(cfg.lrs[0])), "elapsed": np.zeros(2),
            "weights": np.vstack([w, np.full(d, nan)])}


def start_figures(cfg: RunConfig, start: Start, pinned=()) -> tuple[dict, dict]:
    """The loss and weights charts at the start: the builders' own figures (the first run's look), the starting loss
    labelled beside its point, or a note where the loss comes later."""
    v = start_view(cfg, start)
    loss, weights = figure_dict(loss_figure(v, pinned=pinned)), figure_dict(weights_figure(v, cfg.true_weights))
    weights["data"] = [{**tr, "x": [0.0, 1.0]} if tr.get("type") == "heatmap" else tr for tr in weights["data"]]  # a
    # heatmap's cell spans half-way to the next x: the start's column, epoch 0, is one epoch wide, not half the run
    pad = 0.03 * cfg.epochs
    layouts = []
    for fig in (loss, weights):
        layout = {**fig["layout"]}
        layout["xaxis"] = {**layout.get("xaxis", {}), "range": [-pad, cfg.epochs + pad]}
        layouts.append(layout)
    notes = []
    if np.isfinite(start.loss) and start.loss > 0:  # on the log axis, beside its point, with room for it to fall
        top = float(np.log10(start.loss))
        layouts[0]["yaxis"] = {**layouts[0].get("yaxis", {}), "range": [top - 3, top + 0.5]}
        notes.append({"x": 0, "y": float(np.log10(start.loss)), "showarrow": False, "xanchor": "left", "xshift": 10,
                      "text": t("page.start.loss_label", loss=short_number(start.loss)),
                      "font": {"size": 15, "color": "#333"}})
    elif not np.isfinite(start.loss):
        notes.append({"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                      "text": t("page.start.loss_note"), "font": {"size": 16, "color": "#555"}})
    layouts[0]["annotations"] = [*(layouts[0].get("annotations") or []), *notes]
    return {**loss, "layout": layouts[0]}, {**weights, "layout": layouts[1]}


def start_line(cfg: RunConfig, start: Start) -> str:
    """One line of what Train will do, in the page's language: "Train runs 100 epochs of per-sample SGD at lr 1e-5
    on 10 samples: watch the loss fall and each weight move to its dashed target." """
    epochs = t("page.start.epochs_one") if cfg.epochs == 1 else t("page.start.epochs", n=cfg.epochs)
    if cfg.n_test:
        samples = t("page.start.samples_split", n=cfg.n_samples, m=cfg.n_test)
    else:
        samples = t("page.start.samples_one") if cfg.n_samples == 1 else t("page.start.samples", n=cfg.n_samples)
    optimizer = t(f"page.start.{cfg.optimizer}", m=fmt_number(cfg.momentum))
    if cfg.batch_size == 1:
        method = t("page.start.per_sample", optimizer=optimizer)
    elif cfg.batch_size >= cfg.n_train:
        method = t("page.start.full_batch", optimizer=optimizer)
    else:
        method = t("page.start.mini_batch", optimizer=optimizer, b=cfg.batch_size)
    if cfg.is_sweep:
        lrs = t("page.start.lrs", lrs=listed([fmt_number(lr) for lr in cfg.lrs]))
    elif cfg.schedule != "constant":
        lrs = t("page.start.lr_decaying", lr=fmt_number(cfg.lr), schedule=cfg.schedule)
    else:
        lrs = t("page.start.lr", lr=fmt_number(cfg.lr))
    watch = t("page.start.watch_sweep" if cfg.is_sweep else
              "page.start.watch_heatmap" if cfg.n_weights > MAX_LINES else "page.start.watch")
    ratio = diverges_by(cfg)
    if ratio is not None:  # the analysis of this very data says it blows up: no promise of a falling loss
        watch = t("page.start.watch_diverges", ratio=ratio_text(ratio))  # "1.02 x", as the hint says it
    line = t("page.start.line", epochs=epochs, method=method, lrs=lrs, samples=samples, watch=watch)
    if start.why_not:
        line += t(f"page.start.{start.why_not}_later", n=cfg.n_samples)
    return line


def diverges_by(cfg: RunConfig) -> float | None:
    """lr / the divergence threshold, for a single run whose lr the analysis of its data (the lr hint's, cached)
    says diverges; None otherwise, or where the analysis is only an estimate or could not be made."""
    if cfg.is_sweep:
        return None
    try:
        a = cached_analysis(cfg)
    except ConfigError:  # the server's memory is taken: the lr hint says so
        return None
    if not (a.exact and np.isfinite(a.threshold)) or a.classify(cfg.lr).kind != "diverges":
        return None
    return cfg.lr / a.threshold
