"""Chart builders: pure functions from a History view to a Plotly figure, testable without a browser.

This module draws a single run (loss, weights) and holds what every chart module shares (sweep_charts.py,
lr_charts.py): the palette, `base_layout`, `scatter`, `make_figure`, `thin`, `short_number`. Figures are
built as plain dicts and wrapped without Plotly's per-property validation (`_validate=False`):
validation costs more than the whole rest of a redraw. tests/test_charts.py validates every figure kind.
Their words (titles, axes, legend, hover) are in the page's language (`i18n.t`; English outside a page's run).
"""
import numpy as np
import plotly.graph_objects as go

from linviz.engine import DIVERGE_FACTOR
from linviz.text import fmt_number
from linviz_app.i18n import t, tr

# Okabe-Ito (colour-blind safe), strongest first, then Paul Tol's muted colours for weights 9..12
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933",
           "#882255", "#117733", "#332288", "#AA4499")
MAX_LINES = len(PALETTE)  # more weights than this get a heatmap instead of a spaghetti of lines
PER_SWEEP = ("diverged_epoch", "diverged_at", "blowup_loss")  # view keys with one entry per run, not per epoch: thinning leaves them be
BLOWUP = "#C00000"  # the mark of a run that diverged
MAX_POINTS = 800  # per trace: more than a projector's chart has pixels for, and cheap to send
FONT = {"size": 17}
TICK_FONT = {"size": 15}


def base_layout(title: str, y_title: str, log_y: bool, legend_rows: int = 1) -> dict:
    """Projector-sized fonts; the legend below the plot, where any number of rows fits without covering it."""
    return {"title": {"text": title, "font": {"size": 20}}, "template": "plotly_white", "font": FONT,
            "height": 420 + 26 * legend_rows, "margin": {"l": 70, "r": 20, "t": 50, "b": 75 + 26 * legend_rows},
            "hovermode": "x unified",
            "xaxis": {"title": {"text": t("page.chart.epoch"), "standoff": 6}, "tickfont": TICK_FONT, "rangemode": "tozero"},
            "yaxis": {"title": {"text": y_title}, "type": "log" if log_y else "linear", "tickfont": TICK_FONT,
                      "exponentformat": "power", "minorloglabels": "none"},  # no small 2s and 5s over the powers
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.16 - 0.02 * legend_rows, "x": 0,
                       "font": {"size": 15}}}


def short_number(x: float) -> str:
    """A number to two significant digits, as a lecturer would say it: 6e-5, 0.22."""
    return fmt_number(float(f"{x:.2g}"))


def _positive(a: np.ndarray, log: bool) -> np.ndarray:
    return np.where(a > 0, a, np.nan) if log else a  # log axes cannot show 0


def thin(v: dict, max_points: int = MAX_POINTS) -> dict:
    """Every k-th epoch of a History view (always keeping the last); plotted values in float32, a lighter message."""
    n = len(v["epoch"])
    idx = np.unique(np.r_[np.arange(0, n, -(-n // max_points)), n - 1]) if n > max_points else slice(None)
    light = ("loss", "last_loss", "test_loss", "weights")
    return {k: a if k in PER_SWEEP else a[idx].astype(np.float32) if k in light else a[idx] for k, a in v.items()}


def scatter(x, y, **kw) -> dict:
    """A line trace as a plain dict; with markers where there are few points."""
    mode = "lines+markers" if len(x) <= 20 else "lines"  # a run of an epoch or two is still visible
    return {"type": "scatter", "x": x, "y": y, "mode": mode, **kw}


def make_figure(traces: list, layout: dict) -> go.Figure:
    """Wrap plain dicts as a Figure, skipping Plotly's validation (see the module docstring)."""
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def loss_figure(v: dict, log_y: bool = True, pinned=()) -> go.Figure:
    """Mean training loss per epoch (thick), the tutorial's last-sample loss (thin), test loss (dashed);
    pinned runs ({label, epoch, loss}) as faint grey lines underneath."""
    traces = pinned_traces(pinned, log_y)
    v = thin(v)
    x = v["epoch"]
    traces += [scatter(x, _positive(v["loss"], log_y), name=t("page.chart.train_loss"),
                       line={"color": PALETTE[0], "width": 4},
                       hovertemplate=f"%{{y:.4g}}<extra>{t('page.chart.train_loss_hover')}</extra>"),
              scatter(x, _positive(v["last_loss"], log_y), name=t("page.chart.last_loss"),
                       line={"color": PALETTE[4], "width": 1.5},
                       hovertemplate=f"%{{y:.4g}}<extra>{t('page.chart.last_loss_hover')}</extra>")]
    if np.isfinite(v["test_loss"]).any():
        traces.append(scatter(x, _positive(v["test_loss"], log_y), name=t("page.chart.test_loss"),
                               line={"color": PALETTE[1], "width": 3, "dash": "dash"},
                               hovertemplate=f"%{{y:.4g}}<extra>{t('page.chart.test_loss_hover')}</extra>"))
    y_title = t("page.chart.mse_log" if log_y else "page.chart.mse")
    layout = base_layout(t("page.chart.loss"), y_title, log_y, legend_rows=2 + len(pinned) // 2)
    layout["shapes"], layout["annotations"] = lr_change_marks(v)
    de = v.get("diverged_at", -1)
    if de >= 0 and len(x):
        ok = np.isfinite(_positive(v["loss"], log_y))
        if ok.any():  # the last finite mean loss: where the line ends; then the blow-up itself
            traces.append(last_finite_trace([x[ok][-1]], [v["loss"][ok][-1]], [BLOWUP], de))
            traces.extend(blowup_trace(x[ok][-1], v["loss"][ok][-1], de, v.get("blowup_loss", np.nan)))
            more = 2  # legend rows for the two marks
            layout["height"] += 26 * more
            layout["margin"] = {**layout["margin"], "b": layout["margin"]["b"] + 26 * more}
            layout["legend"] = {**layout["legend"], "y": layout["legend"]["y"] - 0.02 * more}
        blowup_marks(layout, [de], [t("page.chart.diverged", epoch=de, factor=fmt_number(DIVERGE_FACTOR))],
                     [BLOWUP], [x, *(p["epoch"] for p in pinned)], top_left=True)
    return make_figure(traces, layout)


def last_finite_trace(x, y, colors, epoch: int | None = None) -> dict:
    """Crosses on the last finite points of runs that diverged; the hover names the epoch it blew up in."""
    hover = t("page.chart.diverged_at", epoch=epoch) if epoch is not None else t("page.chart.last_finite")
    return {"type": "scatter", "x": list(x), "y": list(y), "mode": "markers", "name": t("page.chart.last_finite"),
            "marker": {"symbol": "x", "size": 14, "color": list(colors), "line": {"width": 2}},
            "hovertemplate": f"%{{y:.4g}}<extra>{hover}</extra>"}


def blowup_trace(x0: float, y0: float, epoch: int, blown: float) -> list:
    """The rise into the blow-up: a red dotted line from the last finite loss to the loss the blown epoch reached,
    an arrow up at its end; where that loss was no number (inf, NaN), only the arrow, at the top of the axis."""
    if not np.isfinite(blown):
        return [{"type": "scatter", "x": [epoch], "y": [y0], "mode": "markers+text", "text": ["∞"],
                 "textposition": "top center", "name": t("page.chart.blowup"), "cliponaxis": False,
                 "marker": {"symbol": "arrow-up", "size": 18, "color": BLOWUP},
                 "textfont": {"color": BLOWUP, "size": 16}, "hovertemplate": f"inf<extra>{t('page.chart.blowup')}</extra>"}]
    y = [f"{float(y0):.7g}", f"{float(blown):.7g}"]  # as text: plotly.js reads it, and a blow-up past float32's
    return [{"type": "scatter", "x": [x0, epoch], "y": y, "mode": "lines+markers",  # 3e38 is not sent as inf
             "name": t("page.chart.blowup"), "line": {"color": BLOWUP, "width": 3, "dash": "dot"},
             "marker": {"symbol": ["circle-open", "arrow-up"], "size": [1, 18], "color": BLOWUP},
             "hovertemplate": f"%{{y:.3g}}<extra>{t('page.chart.blowup')}</extra>"}]


def blowup_marks(layout: dict, epochs, texts, colors, xs=(), top_left: bool = False) -> None:
    """A dashed line at each epoch a run blew up in, with its text beside it at the bottom, or at the top left
    (`top_left`: a single run's loss, which rises from the bottom left into the top right), added to `layout`; the
    x-axis spans
    them (a run that diverged in its first epoch still shows epoch 1, at the right edge), and every x in `xs`."""
    shapes, notes = layout.get("shapes") or [], layout.get("annotations") or []
    for i, (e, text, color) in enumerate(zip(epochs, texts, colors)):
        shapes.append({"type": "line", "x0": int(e), "x1": int(e), "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": color, "width": 2, "dash": "dash"}})
        where = ({"xref": "paper", "x": 0.02, "y": 0.97 - 0.09 * i, "yanchor": "top", "xanchor": "left", "align": "left"}
                 if top_left else {"x": int(e), "y": 0.03 + 0.09 * i, "yanchor": "bottom", "xanchor": "right",
                                   "align": "right"})
        notes.append({**where, "yref": "paper", "text": text, "showarrow": False, "font": {"size": 14, "color": color},
                      "bgcolor": "rgba(255,255,255,0.8)"})
    layout["shapes"], layout["annotations"] = shapes, notes
    hi = max([int(e) for e in epochs] + [float(np.max(a)) for a in xs if len(a)])
    layout["xaxis"]["range"] = [-0.03 * max(hi, 1), hi + 0.03 * max(hi, 1)]


def pinned_traces(pinned, log_y: bool) -> list:
    """Pinned runs ({label, epoch, loss}) as faint grey dotted lines."""
    return [scatter(p["epoch"], _positive(np.asarray(p["loss"]), log_y), name=tr(p["label"]),
                     line={"color": "#9A9A9A", "width": 2, "dash": "dot"}, opacity=0.7,
                     hovertemplate=f"%{{y:.4g}}<extra>{tr(p['label'])}</extra>") for p in pinned]


def lr_change_marks(v: dict, at_most: int = 6) -> tuple[list, list]:
    """Dotted lines where the lr changed mid-run (not for schedules, which change it every epoch).

    A sweep's lr is (T, R): a line where any run's lr changed."""
    lr, x = v["lr"], v["epoch"]
    changed = np.diff(lr, axis=0) != 0
    idx = np.flatnonzero(changed.any(axis=1) if changed.ndim == 2 else changed) + 1
    if not 0 < len(idx) <= at_most:
        return [], []
    label = ((lambda i: t("page.chart.lrs_changed")) if lr.ndim == 2
             else (lambda i: t("page.chart.lr_changed", lr=fmt_number(float(lr[i])))))
    shapes = [{"type": "line", "x0": int(x[i]), "x1": int(x[i]), "yref": "paper", "y0": 0, "y1": 1,
               "line": {"color": "#555", "width": 1.5, "dash": "dot"}} for i in idx]
    notes = [{"x": int(x[i]), "yref": "paper", "y": 0.98, "text": label(i), "showarrow": False,
              "xanchor": "left", "font": {"size": 14, "color": "#333"}} for i in idx]
    return shapes, notes


def weights_figure(v: dict, true_weights, show_error: bool = False) -> go.Figure:
    """One line per learned weight and its target dashed in the same colour; or |w - w*| on a log axis."""
    true = np.asarray(true_weights, dtype=float)
    if len(true) > MAX_LINES:
        return error_heatmap(v, true)
    if show_error:  # subtract in float64: near convergence the error is far below float32's step at w*
        v = {**v, "weights": np.abs(v["weights"] - true)}
    v = thin(v)
    x, w = v["epoch"], v["weights"]
    de = v.get("diverged_at", -1)
    traces = []
    for i, target in enumerate(true):
        color, name = PALETTE[i], f"w{i + 1} → {target:g}"
        y = w[:, i]
        traces.append(scatter(x, _positive(y, show_error), name=name, legendgroup=name,
                               line={"color": color, "width": 3.5},
                               hovertemplate=f"w{i + 1}: %{{y:.4g}}<extra></extra>"))
        if not show_error and len(x):
            end = max(int(x[-1]), int(x[0]) + 1, de)  # to the epoch it blew up in: a run that diverged at once shows it
            traces.append(scatter([int(x[0]), end], [target, target], legendgroup=name, showlegend=False,
                                   line={"color": color, "width": 2, "dash": "dash"}, hoverinfo="skip", mode="lines"))
    title = t("page.chart.error" if show_error else "page.chart.weights")
    rows = -(-len(true) // 4)
    y_title = "|w - w*|" if show_error else t("page.chart.weight")
    layout = base_layout(title, y_title, show_error, legend_rows=rows)
    if de >= 0 and len(x):  # the lines end at the last finite weights; the dashed line marks where they blew up
        blowup_marks(layout, [de], [t("page.chart.diverged", epoch=de, factor=fmt_number(DIVERGE_FACTOR))], [BLOWUP],
                     [x])
    return make_figure(traces, layout)


def error_heatmap(v: dict, true: np.ndarray) -> go.Figure:
    """Many weights: log10 |w - w*| per weight (rows) over epochs (columns)."""
    v = thin({**v, "weights": np.abs(v["weights"] - true)}, 400)  # errors in float64 first, as above
    z = np.log10(np.maximum(v["weights"].T, 1e-12))  # (D, T)
    layout = base_layout(t("page.chart.heatmap", n=len(true)), t("page.chart.weight"), False)
    layout["yaxis"].update(autorange="reversed", type="category")
    layout["hovermode"] = "closest"
    heat = {"type": "heatmap", "x": v["epoch"], "y": [f"w{i + 1}" for i in range(len(true))], "z": z,
            "colorscale": "Viridis", "colorbar": {"title": {"text": "log10 |w - w*|"}},
            "hovertemplate": t("page.chart.heatmap_hover", x="%{x}", y="%{y}", z="%{z:.2f}") + "<extra></extra>"}
    de = v.get("diverged_at", -1)
    if de >= 0 and len(v["epoch"]):
        blowup_marks(layout, [de], [t("page.chart.diverged_at", epoch=de)], [BLOWUP], [v["epoch"]])
    return make_figure([heat], layout)
