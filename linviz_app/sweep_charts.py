"""Charts of an lr sweep (a History view with one column per run): each lr is its own line.

A run that diverged ends at its last finite epoch, marked with a cross: no NaN or inf reaches a line. Where a run
blew up after the last epoch drawn (every run diverged, the last ones in the same epoch; or all at once, when
only epoch 0 is left), a dashed line marks that epoch, so the axis reaches it.
More runs than colours become heatmaps (lr by epoch), where a diverged run's cells after it blew up are
left blank.
"""
import numpy as np

from linviz.history import alive
from linviz_app.charts import (
    BLOWUP,
    MAX_LINES,
    base_layout,
    blowup_marks,
    lr_change_marks,
    make_figure,
    pinned_traces,
    scatter,
    thin,
)
from linviz_app.i18n import t, tr
from linviz_app.lr_colours import lr_labels, lr_styles


def run_traces(v: dict, values: np.ndarray, names, colors, log_y: bool, width: float = 3.5, dashes=None) -> list:
    """One line per run from (T, R) `values` of a thinned view, each ending where its run diverged;
    a cross on the last finite point of each diverged run."""
    ok = alive(v) & np.isfinite(values) & ((values > 0) if log_y else True)
    traces, ends = [], ([], [], [])
    for r, (name, color) in enumerate(zip(names, colors)):
        x, y = v["epoch"][ok[:, r]], values[ok[:, r], r]
        dash = dashes[r] if dashes else "solid"
        traces.append(scatter(x, y, name=name, legendgroup=name, line={"color": color, "width": width, "dash": dash},
                               hovertemplate=f"%{{y:.4g}}<extra>{name}</extra>"))
        if v["diverged_epoch"][r] >= 0 and len(x):
            for acc, item in zip(ends, (x[-1], y[-1], color)):
                acc.append(item)
    if ends[0]:
        traces.append({"type": "scatter", "x": ends[0], "y": ends[1], "mode": "markers",
                       "name": t("tabs.sweep.diverged_here"),
                       "marker": {"symbol": "x", "size": 14, "color": ends[2], "line": {"width": 2}},
                       "hovertemplate": t("tabs.sweep.diverged_hover", epoch="%{x}") + "<extra></extra>"})
    return traces


def blowups_beyond(layout: dict, v: dict, at_most: int = 6) -> None:
    """Mark the epochs runs blew up in that lie beyond the last epoch drawn (see the module's doc)."""
    de = np.asarray(v["diverged_epoch"])
    last = v["epoch"][-1] if len(v["epoch"]) else 0
    epochs = sorted({int(e) for e in de[de > last]})[:at_most]
    if epochs:
        blowup_marks(layout, epochs, [t("page.chart.diverged_at", epoch=e) for e in epochs], [BLOWUP] * len(epochs),
                     [v["epoch"]])


def _heatmap(v: dict, values: np.ndarray, names, title: str, what: str):
    """log10 of (T, R) values: runs as rows, epochs as columns; blank after a run diverged."""
    z = np.where(alive(v) & (values > 0), np.log10(np.where(values > 0, values, 1.0)), np.nan).T  # (R, T)
    layout = base_layout(title, t("tabs.lr.learning_rate"), False)
    layout["yaxis"].update(autorange="reversed", type="category")
    layout["hovermode"] = "closest"
    heat = {"type": "heatmap", "x": v["epoch"], "y": names, "z": z, "colorscale": "Viridis",
            "colorbar": {"title": {"text": f"log10 {what}"}},
            "hovertemplate": t("tabs.sweep.heat_hover", epoch="%{x}", run="%{y}", what=what, z="%{z:.2f}")
                             + "<extra></extra>"}
    blowups_beyond(layout, v)
    return make_figure([heat], layout)


def sweep_loss_figure(v: dict, lrs, log_y: bool = True, pinned=()):
    """The mean training loss of every run, one line per lr (test loss dashed in the same colour)."""
    v = thin(v)
    names = lr_labels(lrs)
    if len(names) > MAX_LINES:
        return _heatmap(v, v["loss"], names, t("tabs.sweep.heat_loss_title", n=len(names)), t("tabs.sweep.loss"))
    names, colors = lr_styles(lrs)  # one look per lr on every tab (lr_colours.py)
    pinned = [{**p, "label": tr(p["label"])} for p in pinned]  # a pin's label (a Msg) in the page's language
    traces = pinned_traces(pinned, log_y) + run_traces(v, v["loss"], names, colors, log_y)
    has_test = bool(np.isfinite(v["test_loss"]).any())
    if has_test:
        test = run_traces(v, v["test_loss"], [t("tabs.sweep.test_name", name=n) for n in names], colors, log_y, 2.0,
                          ["dash"] * len(names))
        here = t("tabs.sweep.diverged_here")
        traces += [dict(tr, showlegend=False) for tr in test if tr["name"] != here]
    title = t("tabs.sweep.loss_title_test" if has_test else "tabs.sweep.loss_title")
    rows = -(-(len(names) + 1) // 4) + -(-len(pinned) // 2)
    layout = base_layout(title, t("tabs.sweep.mse_log" if log_y else "tabs.sweep.mse"), log_y, legend_rows=rows)
    layout["shapes"], layout["annotations"] = lr_change_marks(v)
    blowups_beyond(layout, v)
    return make_figure(traces, layout)


def distance(v: dict, true_weights) -> np.ndarray:
    """(T, R): max |w - w*| of every run, in float64 (near convergence it is far below float32's step)."""
    return np.max(np.abs(v["weights"] - np.asarray(true_weights, float)), axis=2)


def sweep_distance_figure(v: dict, lrs, true_weights):
    """How far each run is from the true weights: max |w - w*| per lr, on a log axis."""
    v = thin({**v, "weights": distance(v, true_weights)})
    names = lr_labels(lrs)
    if len(names) > MAX_LINES:
        return _heatmap(v, v["weights"], names, t("tabs.sweep.heat_distance_title"), "max |w - w*|")
    traces = run_traces(v, v["weights"], *lr_styles(lrs), True)  # one look per lr on every tab (lr_colours.py)
    layout = base_layout(t("tabs.sweep.distance_title"), "max |w - w*|", True, legend_rows=-(-(len(names) + 1) // 4))
    blowups_beyond(layout, v)
    return make_figure(traces, layout)
