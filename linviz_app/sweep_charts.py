"""Charts of an lr sweep (a History view with one column per run): each lr is its own line.

A run that diverged ends at its last finite epoch, marked with a cross: no NaN or inf reaches a line.
More runs than colours become heatmaps (lr by epoch), where a diverged run's cells after it blew up are
left blank.
"""
import numpy as np

from linviz.history import alive
from linviz.text import fmt_number
from linviz_app.charts import (
    MAX_LINES,
    PALETTE,
    base_layout,
    lr_change_marks,
    make_figure,
    pinned_traces,
    scatter,
    thin,
)


def lr_names(lrs) -> list[str]:
    return [f"lr {fmt_number(lr)}" for lr in lrs]


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
        traces.append({"type": "scatter", "x": ends[0], "y": ends[1], "mode": "markers", "name": "diverged here",
                       "marker": {"symbol": "x", "size": 14, "color": ends[2], "line": {"width": 2}},
                       "hovertemplate": "diverged after epoch %{x}<extra></extra>"})
    return traces


def _heatmap(v: dict, values: np.ndarray, names, title: str, what: str):
    """log10 of (T, R) values: runs as rows, epochs as columns; blank after a run diverged."""
    z = np.where(alive(v) & (values > 0), np.log10(np.where(values > 0, values, 1.0)), np.nan).T  # (R, T)
    layout = base_layout(title, "learning rate", False)
    layout["yaxis"].update(autorange="reversed", type="category")
    layout["hovermode"] = "closest"
    heat = {"type": "heatmap", "x": v["epoch"], "y": names, "z": z, "colorscale": "Viridis",
            "colorbar": {"title": {"text": f"log10 {what}"}},
            "hovertemplate": f"epoch %{{x}}, %{{y}}: {what} 10^%{{z:.2f}}<extra></extra>"}
    return make_figure([heat], layout)


def sweep_loss_figure(v: dict, lrs, log_y: bool = True, pinned=()):
    """The mean training loss of every run, one line per lr (test loss dashed in the same colour)."""
    v = thin(v)
    names = lr_names(lrs)
    if len(names) > MAX_LINES:
        return _heatmap(v, v["loss"], names, f"Loss of {len(names)} learning rates (darker is lower)", "loss")
    colors = PALETTE[: len(names)]
    traces = pinned_traces(pinned, log_y) + run_traces(v, v["loss"], names, colors, log_y)
    has_test = bool(np.isfinite(v["test_loss"]).any())
    if has_test:
        test = run_traces(v, v["test_loss"], [f"{n} (test)" for n in names], colors, log_y, 2.0, ["dash"] * len(names))
        traces += [dict(t, showlegend=False) for t in test if t["name"] != "diverged here"]
    title = "Loss per learning rate" + (" (dashed: test loss)" if has_test else "")
    rows = -(-(len(names) + 1) // 4) + -(-len(pinned) // 2)
    layout = base_layout(title, "mean squared error" + (" (log)" if log_y else ""), log_y, legend_rows=rows)
    layout["shapes"], layout["annotations"] = lr_change_marks(v)
    return make_figure(traces, layout)


def distance(v: dict, true_weights) -> np.ndarray:
    """(T, R): max |w - w*| of every run, in float64 (near convergence it is far below float32's step)."""
    return np.max(np.abs(v["weights"] - np.asarray(true_weights, float)), axis=2)


def sweep_distance_figure(v: dict, lrs, true_weights):
    """How far each run is from the true weights: max |w - w*| per lr, on a log axis."""
    v = thin({**v, "weights": distance(v, true_weights)})
    names = lr_names(lrs)
    if len(names) > MAX_LINES:
        return _heatmap(v, v["weights"], names, "max |w - w*| per learning rate (darker is closer)", "max |w - w*|")
    traces = run_traces(v, v["weights"], names, PALETTE[: len(names)], True)
    layout = base_layout("Distance to the true weights: max |w - w*| (log)", "max |w - w*|", True,
                     legend_rows=-(-(len(names) + 1) // 4))
    return make_figure(traces, layout)
