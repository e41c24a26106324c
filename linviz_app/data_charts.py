"""Data charts: the samples the model learns from, with the current predictions. Pure functions (their words in the page's
language, via i18n.t: English outside a page).

Inputs are a `linviz.samples.Samples` selection (raw features and targets, test samples marked) and the
predictions (R, k) of each run's current weights (`linviz.samples.predict`); outputs are Plotly figures or a
table's columns. The parity plot (prediction against target) has the diagonal where a perfect fit lies.
"""
import numpy as np

from linviz.samples import Samples
from linviz_app.charts import FONT, TICK_FONT, make_figure
from linviz_app.i18n import t
from linviz_app.live import listed

TARGET_COLOR, DIAGONAL_COLOR = "#000000", "#888888"
TABLE_ROWS, TABLE_FEATURES = 10, 6  # the table's first samples and features: a screen's worth


def parity_range(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """Both axes' range: the targets and the (finite) predictions, but at most one target span beyond the
    targets, so that a run far off (or diverged) does not squash the rest into a corner."""
    lo, hi = float(np.min(y)), float(np.max(y))
    span = hi - lo or max(abs(hi), 1.0)
    p = pred[np.isfinite(pred)]
    if p.size:
        lo, hi = max(min(lo, float(p.min())), lo - span), min(max(hi, float(p.max())), hi + span)
    pad = 0.04 * (hi - lo)
    return lo - pad, hi + pad


def beyond_text(per_run, runs: list[str] | None = None, diverged=None, at_most: int = 3) -> str:
    """How many points lie beyond the parity plot's axes, and why: the runs that diverged (their last finite weights
    predict far off the targets), else the runs whose predictions are still far from them (a start far off, a slow
    lr). `per_run`: (R,) points beyond per run; `runs`: a sweep's run names (None: one run); `diverged`: (R,) bools.

    >>> beyond_text([0, 20], ["lr 1e-5", "lr 1e-3"], [False, True])
    '20 points beyond the axes:<br>lr 1e-3 diverged, so its predictions<br>run off the chart'
    >>> beyond_text([3])
    '3 points beyond the axes:<br>the predictions are still<br>far from the targets'
    """
    per_run = np.asarray(per_run)
    n = int(per_run.sum())
    count = t("tabs.data.outside_one" if n == 1 else "tabs.data.outside_many", n=n)
    off = per_run > 0
    gone = off & (np.zeros(len(per_run), bool) if diverged is None else np.asarray(diverged, bool)[:len(per_run)])
    if runs is None:
        return t("tabs.data.beyond_run_diverged" if gone.any() else "tabs.data.beyond_run_far", count=count)
    which = gone if gone.any() else off
    names = [r for r, w in zip(runs, which) if w]
    named = listed(names[:at_most])  # "a, b" ("a、b")
    if len(names) > at_most:
        named = t("tabs.data.beyond_more", runs=named, n=len(names) - at_most)
    key = ("tabs.data.beyond_diverged_many" if len(names) > 1 else "tabs.data.beyond_diverged") if gone.any() else \
        "tabs.data.beyond_far"
    return t(key, count=count, runs=named)


def _marker_size(k: int) -> int:
    return 11 if k <= 50 else 7 if k <= 500 else 4


def parity_figure(s: Samples, pred: np.ndarray, names: list[str], colors: list[str], bounds: tuple[float, float],
                  title: str | None = None, runs: list[str] | None = None, diverged=None):
    """Each sample at (target, prediction), one colour per run (pred: (R, k)); test samples as open circles.

    A perfect fit puts every point on the dashed diagonal; `bounds` fixes both axes (see parity_range). Points beyond
    them are counted in a note that says why (beyond_text): `runs` names a sweep's runs (None: a single run), and
    `diverged` says which of them diverged."""
    lo, hi = bounds
    title = t("tabs.data.parity_default") if title is None else title
    traces = [{"type": "scatter", "x": [lo, hi], "y": [lo, hi], "mode": "lines", "name": t("tabs.data.perfect_fit"),
               "line": {"color": DIAGONAL_COLOR, "width": 2, "dash": "dash"}, "hoverinfo": "skip"}]
    size, y = _marker_size(len(s.y)), s.y.astype(np.float32)
    for p, name, color in zip(pred, names, colors):
        p = np.where(np.isfinite(p), p, np.nan).astype(np.float32)
        for held, label, symbol in ((False, name, "circle"), (True, t("tabs.data.test_points", name=name), "circle-open")):
            m = s.test == held
            if not m.any():
                continue
            traces.append({"type": "scatter", "x": y[m], "y": p[m], "mode": "markers", "name": label,
                           "customdata": s.number[m], "legendgroup": name,
                           "marker": {"color": color, "size": size, "symbol": symbol, "opacity": 0.85,
                                      "line": {"width": 2 if held else 0, "color": color}},
                           "hovertemplate": t("tabs.data.hover_test_point" if held else "tabs.data.hover_point",
                                              n="%{customdata}", x="%{x:.4g}", y="%{y:.4g}")
                                            + f"<extra>{name}</extra>"})
    per_run = np.sum(~np.isfinite(pred) | (pred < lo) | (pred > hi), axis=1)  # (R,) points beyond the axes
    outside = int(per_run.sum())
    axis = {"tickfont": TICK_FONT, "range": [lo, hi], "zeroline": False}
    layout = {"title": {"text": title, "font": {"size": 20}}, "template": "plotly_white", "font": FONT,
              "height": 540, "margin": {"l": 70, "r": 20, "t": 50, "b": 160}, "hovermode": "closest",
              "xaxis": {**axis, "title": {"text": t("tabs.data.axis_target")}},
              "yaxis": {**axis, "title": {"text": t("tabs.data.axis_prediction")}, "scaleanchor": "x"},
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.27, "x": 0, "font": {"size": 15}}}
    if outside:
        layout["annotations"] = [{"xref": "paper", "yref": "paper", "x": 0.01, "y": 0.99, "showarrow": False,
                                  "xanchor": "left", "yanchor": "top", "font": {"size": 14, "color": "#D55E00"},
                                  "align": "left", "bgcolor": "rgba(255,255,255,0.85)",
                                  "text": beyond_text(per_run, runs, diverged)}]
    return make_figure(traces, layout)


def samples_figure(s: Samples, pred: np.ndarray, color: str, bounds: tuple[float, float],
                   title: str | None = None):
    """Sample by sample (training first, then test): the target (black), the prediction (pred: (k,)) and the
    residual between them as a thin line; `bounds` fixes the y axis, as in the parity plot."""
    title = t("tabs.data.each_title") if title is None else title
    k = len(s.y)
    x = np.arange(1, k + 1)
    p = np.where(np.isfinite(pred), pred, np.nan)
    seg_x = np.column_stack([x, x, np.full(k, np.nan)]).ravel()  # one trace for all residuals: NaN breaks it
    seg_y = np.column_stack([s.y, p, np.full(k, np.nan)]).ravel()
    where = np.where(s.test, t("tabs.data.test_sample_prefix"), t("tabs.data.sample_prefix"))
    label = np.char.add(where.astype(str), s.number.astype(str))
    size = _marker_size(k)
    traces = [{"type": "scatter", "x": seg_x, "y": seg_y.astype(np.float32), "mode": "lines", "name": t("tabs.data.residual"),
               "line": {"color": color, "width": 1.5}, "opacity": 0.6, "hoverinfo": "skip"},
              {"type": "scatter", "x": x, "y": s.y.astype(np.float32), "mode": "markers", "name": t("tabs.data.target"),
               "customdata": label, "marker": {"color": TARGET_COLOR, "size": size, "symbol": "line-ew-open",
                                               "line": {"width": 3}},
               "hovertemplate": t("tabs.data.hover_target", label="%{customdata}", y="%{y:.4g}") + "<extra></extra>"},
              {"type": "scatter", "x": x, "y": p.astype(np.float32), "mode": "markers", "name": t("tabs.data.prediction"),
               "customdata": label, "marker": {"color": color, "size": size},
               "hovertemplate": t("tabs.data.hover_prediction", label="%{customdata}", y="%{y:.4g}")
                                + "<extra></extra>"}]
    layout = {"title": {"text": title, "font": {"size": 20}}, "template": "plotly_white", "font": FONT,
              "height": 540, "margin": {"l": 70, "r": 20, "t": 50, "b": 160}, "hovermode": "closest",
              "xaxis": {"title": {"text": t("tabs.data.axis_samples_split" if s.test.any() else "tabs.data.axis_samples")},
                        "tickfont": TICK_FONT},
              "yaxis": {"title": {"text": "y"}, "tickfont": TICK_FONT, "range": list(bounds)},
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.27, "x": 0, "font": {"size": 15}}}
    if s.test.any() and not s.test.all():
        first_test = int(np.argmax(s.test)) + 0.5
        layout["shapes"] = [{"type": "line", "x0": first_test, "x1": first_test, "yref": "paper", "y0": 0, "y1": 1,
                             "line": {"color": "#555", "width": 1.5, "dash": "dot"}}]
        layout["annotations"] = [{"x": first_test, "yref": "paper", "y": 1.0, "text": t("tabs.data.held_out"), "showarrow": False,
                                  "xanchor": "left", "yanchor": "top", "font": {"size": 14, "color": "#333"}}]
    return make_figure(traces, layout)


def sample_table(s: Samples, pred: np.ndarray, rows: int = TABLE_ROWS, features: int = TABLE_FEATURES) -> dict:
    """The first samples as columns of text: sample, x1..x6 (raw), target, prediction (pred: (k,)), residual."""
    n = min(rows, len(s.y))
    d = s.X.shape[1]
    cols = {t("tabs.data.col_sample"): [t("tabs.data.col_test", n=i) if held else f"{i}"
                                        for held, i in zip(s.test[:n], s.number[:n])]}
    for j in range(min(d, features)):
        cols[f"x{j + 1}"] = [f"{v:.6g}" for v in s.X[:n, j]]
    if d > features:
        cols[f"x{features + 1}..x{d}"] = ["…"] * n
    cols[t("tabs.data.col_target")] = [f"{v:.6g}" for v in s.y[:n]]
    cols[t("tabs.data.col_prediction")] = [f"{v:.6g}" for v in pred[:n]]
    cols[t("tabs.data.col_residual")] = [f"{v:+.3g}" for v in pred[:n] - s.y[:n]]
    return cols
