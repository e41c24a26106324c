"""Learning-rate charts: the regime band beside the lr field, the ladder, and the loss landscape."""
import numpy as np

from linviz.config import fmt_number
from linviz_app.charts import FONT, TICK_FONT, _figure, _layout, _scatter

REGIME_COLORS = {"too slow": "#BBBBBB", "converges smoothly": "#009E73", "oscillates but converges": "#E69F00",
                 "diverges": "#D55E00"}  # colour-blind safe (Okabe-Ito), grey for "nothing much happens"


def _short(lr: float) -> str:
    """A number to two significant digits, as a lecturer would say it: 6e-5, 0.22."""
    return fmt_number(float(f"{lr:.2g}"))


def lr_band_figure(lrs: np.ndarray, kinds: list[str], lr: float, threshold: float):
    """The lr axis (log), coloured by what training does there, with a marker at the current lr."""
    traces = []
    for kind, color in REGIME_COLORS.items():
        y = np.where(np.array(kinds) == kind, 0.0, np.nan)
        if np.isfinite(y).any():
            traces.append(_scatter(lrs, y, name=kind, line={"color": color, "width": 22},
                                   hovertemplate=f"lr %{{x:.2g}}: {kind}<extra></extra>"))
    traces.append({"type": "scatter", "x": [lr], "y": [0.0], "mode": "markers+text", "name": "your lr",
                   "marker": {"symbol": "triangle-down", "size": 16, "color": "#000"}, "text": ["your lr"],
                   "textposition": "top center", "showlegend": False, "hoverinfo": "skip"})
    layout = {"height": 150, "margin": {"l": 8, "r": 8, "t": 18, "b": 30}, "template": "plotly_white",
              "font": {"size": 12}, "showlegend": False,
              "xaxis": {"type": "log", "exponentformat": "power", "tickfont": {"size": 11}},
              "yaxis": {"visible": False, "range": [-1, 1.6]}}
    if np.isfinite(threshold):
        layout["shapes"] = [{"type": "line", "x0": threshold, "x1": threshold, "y0": -0.6, "y1": 0.6,
                             "line": {"color": "#000", "width": 1.5, "dash": "dot"}}]
    return _figure(traces, layout)


def ladder_loss_figure(epochs, loss, lrs, factors, kinds):
    """Loss curves of the ladder's runs on log axes, coloured by regime."""
    traces = []
    for r, (lr, f, kind) in enumerate(zip(lrs, factors, kinds)):
        y = np.where(loss[:, r] > 0, loss[:, r], np.nan)
        traces.append(_scatter(epochs, y, name=f"{f:g}x ({_short(lr)})",
                               line={"color": REGIME_COLORS[kind], "width": 3,
                                     "dash": "solid" if f <= 1 else "dash"},
                               hovertemplate=f"lr {_short(lr)}: %{{y:.3g}}<extra></extra>"))
    return _figure(traces, _layout("Ladder: loss per epoch", "mean squared error (log)", True, legend_rows=2))


def ladder_final_figure(lrs, final_loss, diverged, threshold):
    """Final (or last finite) loss against lr, log-log, with the threshold drawn."""
    lrs, final_loss, diverged = map(np.asarray, (lrs, final_loss, diverged))
    traces = [_scatter(lrs, final_loss, name="final loss", mode="lines+markers",
                       line={"color": "#0072B2", "width": 3}, marker={"size": 11},
                       hovertemplate="lr %{x:.2g}: %{y:.3g}<extra></extra>")]
    if diverged.any():
        traces.append({"type": "scatter", "x": lrs[diverged], "y": final_loss[diverged], "mode": "markers",
                       "name": "diverged (last finite loss)",
                       "marker": {"symbol": "x", "size": 16, "color": "#D55E00", "line": {"width": 3}}})
    layout = _layout("Ladder: where training ends up", "final loss (log)", True, legend_rows=2)
    layout["xaxis"].update(type="log", title={"text": "learning rate", "standoff": 2}, rangemode="normal",
                           exponentformat="power", dtick=1)
    layout["hovermode"] = "closest"
    layout["shapes"] = [{"type": "line", "x0": threshold, "x1": threshold, "yref": "paper", "y0": 0, "y1": 1,
                         "line": {"color": "#D55E00", "width": 2, "dash": "dot"}}]
    layout["annotations"] = [{"x": np.log10(threshold), "yref": "paper", "y": 1.0, "showarrow": False,
                              "text": f"diverges above {_short(threshold)}", "xanchor": "right",
                              "font": {"size": 14, "color": "#D55E00"}}]
    return _figure(traces, layout)


def landscape_figure(a, b, Z, names, targets, path_i=None, path_j=None):
    """Contours of the loss over two weights (log scale), the true weights, and the path training took."""
    z = np.log10(Z + 1e-3 * np.median(Z) + 1e-300)  # the floor keeps the valley's contours from piling up
    traces = [{"type": "contour", "x": a, "y": b, "z": z, "colorscale": "Viridis", "ncontours": 24,
               "colorbar": {"title": {"text": "log10 loss"}}, "contours": {"coloring": "heatmap"},
               "hovertemplate": f"{names[0]} %{{x:.3g}}, {names[1]} %{{y:.3g}}: 10^%{{z:.2f}}<extra></extra>"},
              {"type": "scatter", "x": [targets[0]], "y": [targets[1]], "mode": "markers", "name": "true weights",
               "marker": {"symbol": "star", "size": 18, "color": "#FFFFFF", "line": {"color": "#000", "width": 1.5}}}]
    if path_i is not None and len(path_i):
        traces.append(_scatter(path_i, path_j, name="training path", mode="lines+markers",
                               line={"color": "#D55E00", "width": 3}, marker={"size": 5},
                               hovertemplate="%{x:.4g}, %{y:.4g}<extra>path</extra>"))
        traces.append({"type": "scatter", "x": [path_i[0]], "y": [path_j[0]], "mode": "markers", "name": "start",
                       "marker": {"symbol": "circle-open", "size": 14, "color": "#D55E00", "line": {"width": 3}}})
    layout = {"title": {"text": f"Loss over {names[0]} and {names[1]}", "font": {"size": 20}},
              "template": "plotly_white", "font": FONT, "height": 560, "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
              "xaxis": {"title": {"text": names[0]}, "tickfont": TICK_FONT, "range": [a[0], a[-1]]},
              "yaxis": {"title": {"text": names[1]}, "tickfont": TICK_FONT, "range": [b[0], b[-1]]},
              "legend": {"orientation": "h", "y": -0.15, "x": 0}, "hovermode": "closest"}
    return _figure(traces, layout)
