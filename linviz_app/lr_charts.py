"""Learning-rate charts: the regime band beside the lr field, the ladder, and the loss landscape."""
import numpy as np

from linviz.stability import regime_name
from linviz_app.charts import FONT, TICK_FONT, base_layout, make_figure, scatter, short_number, thin
from linviz_app.i18n import t, tr
from linviz_app.lr_colours import lr_colours, lr_styles
from linviz_app.sweep_charts import run_traces

REGIME_COLORS = {"too slow": "#BBBBBB", "converges smoothly": "#009E73", "oscillates but converges": "#E69F00",
                 "diverges": "#D55E00"}  # colour-blind safe (Okabe-Ito), grey for "nothing much happens"


BAND_PLOT_PX, BAND_TOP_PX, BAND_TICKS_PX, LEGEND_ROW_PX = 90, 12, 28, 19  # the band's plot, above it, its ticks
BAND_Y = (-1.0, 1.6)  # the band's y axis: the band at 0, "your lr" above it, the threshold line across the band only
THRESHOLD_Y = 0.45    # the threshold line's half height: past the band's edges (22 px thick: +-0.32), below the marker
YOU_Y = 0.78          # the marker's centre: its tip above the threshold line, its label above the marker


def lr_band_figure(lrs: np.ndarray, kinds: list[str], lr: float, threshold: float):
    """The lr axis (log), coloured by what training does there, with a marker at the current lr above the band and
    the divergence threshold as a dotted line across it. A legend below the axis names each colour and the dotted
    line, one per row (its words in the page's language, however long: rows never collide); the threshold line
    stops at the band, below the marker and its label, so nothing overlaps wherever the lr sits."""
    traces = []
    for kind, color in REGIME_COLORS.items():
        y = np.where(np.array(kinds) == kind, 0.0, np.nan)
        if np.isfinite(y).any():
            name = tr(regime_name(kind))  # in the page's language
            traces.append(scatter(lrs, y, name=name, line={"color": color, "width": 22}, mode="lines",
                                   hovertemplate=t("tabs.lr.band_hover", lr="%{x:.2g}", kind=name)
                                   + "<extra></extra>"))
    if np.isfinite(threshold):
        name = t("tabs.lr.threshold_legend", threshold=short_number(threshold))
        traces.append({"type": "scatter", "x": [threshold, threshold], "y": [-THRESHOLD_Y, THRESHOLD_Y],
                       "mode": "lines", "name": name, "line": {"color": "#000", "width": 2, "dash": "dot"},
                       "hovertemplate": name + "<extra></extra>"})
    you = t("tabs.lr.your_lr")
    span = np.log10([np.min(lrs), np.max(lrs)])  # near an end of the band the label leans inwards, not off the chart
    at = (np.log10(lr) - span[0]) / max(span[1] - span[0], 1e-12)
    side = "top left" if at > 0.85 else "top right" if at < 0.15 else "top center"
    traces.append({"type": "scatter", "x": [lr], "y": [YOU_Y], "mode": "markers+text", "name": you,
                   "marker": {"symbol": "triangle-down", "size": 14, "color": "#000"}, "text": [you],
                   "textposition": side, "textfont": {"size": 13}, "showlegend": False, "hoverinfo": "skip",
                   "cliponaxis": False})
    rows = sum(1 for tr_ in traces if tr_.get("showlegend", True))
    bottom = BAND_TICKS_PX + LEGEND_ROW_PX * rows + 4
    layout = {"height": BAND_TOP_PX + BAND_PLOT_PX + bottom, "template": "plotly_white", "font": {"size": 12},
              "margin": {"l": 8, "r": 8, "t": BAND_TOP_PX, "b": bottom}, "showlegend": True,
              "legend": {"orientation": "v", "x": 0, "xanchor": "left", "y": -BAND_TICKS_PX / BAND_PLOT_PX,
                         "yanchor": "top", "font": {"size": 12}, "itemwidth": 30, "tracegroupgap": 0,
                         "itemclick": False, "itemdoubleclick": False, "bgcolor": "rgba(0,0,0,0)"},
              "xaxis": {"type": "log", "exponentformat": "power", "tickfont": {"size": 11}, "fixedrange": True},
              "yaxis": {"visible": False, "range": list(BAND_Y), "fixedrange": True}}
    return make_figure(traces, layout)


def ladder_loss_figure(v: dict, lrs, factors):
    """Loss curves of the ladder's runs (a sweep's History view) on a log axis, one colour and name per lr as on every
    tab (lr_colours.py), each line labelled at its end with its multiple of the threshold; a run that diverged ends
    at its last finite epoch, with a cross."""
    v = thin(v)
    names, colors = lr_styles(lrs)
    traces = run_traces(v, v["loss"], names, colors, True, width=3)
    layout = base_layout(t("tabs.lr.ladder_loss_title"), t("tabs.lr.mse_log"), True, legend_rows=2)
    layout["margin"].update(r=55, t=80)  # room for the labels at the lines' ends; the same top as its neighbour
    layout["annotations"] = _end_labels(traces, [f"{f:g}x" for f in factors], colors)
    return make_figure(traces, layout)


def _end_labels(traces, labels, colors, min_gap: float = 0.06) -> list:
    """A label at the end of each line (log y); labels that would overlap (closer than `min_gap` of the y
    range, and near in x) step up one above the other."""
    ends = [(float(np.log10(t["y"][-1])), float(t["x"][-1]), label, c)
            for t, label, c in zip(traces, labels, colors) if len(t["x"])]
    if not ends:
        return []
    span = max(e[0] for e in ends) - min(e[0] for e in ends) or 1.0
    width = max(e[1] for e in ends) - min(e[1] for e in ends) or 1.0
    out, prev, shift = [], None, 0
    for y, x, label, c in sorted(ends):
        close = prev is not None and y - prev[0] < min_gap * span and abs(x - prev[1]) < 0.1 * width
        shift, prev = (shift + 16 if close else 0), (y, x)
        out.append({"x": x, "y": y, "text": label, "showarrow": False, "xanchor": "left", "xshift": 6,
                    "yshift": shift, "font": {"size": 14, "color": c}})
    return out


def ladder_final_figure(lrs, final_loss, diverged, threshold, running: bool = False):
    """Final (or last finite) loss against lr, log-log, with the threshold drawn; mid-run, the loss so far. Each lr's
    point in its colour (lr_colours.py), as its line is on every tab."""
    lrs, final_loss, diverged = map(np.asarray, (lrs, final_loss, diverged))
    traces = [scatter(lrs, final_loss, name=t("tabs.lr.loss_now" if running else "tabs.lr.final_loss"),
                       mode="lines+markers", line={"color": "#888888", "width": 3},
                       marker={"size": 13, "color": lr_colours(len(lrs))},  # each lr's colour, as on every tab
                       hovertemplate=t("tabs.lr.final_hover", lr="%{x:.2g}", loss="%{y:.3g}") + "<extra></extra>")]
    if diverged.any():
        traces.append({"type": "scatter", "x": lrs[diverged], "y": final_loss[diverged], "mode": "markers",
                       "name": t("tabs.lr.diverged_last"),
                       "marker": {"symbol": "x", "size": 16, "color": "#D55E00", "line": {"width": 3}}})
    title = t("tabs.lr.final_title_running" if running else "tabs.lr.final_title")
    layout = base_layout(title, t("tabs.lr.loss_now_log" if running else "tabs.lr.final_loss_log"), True,
                         legend_rows=2)
    layout["xaxis"].update(type="log", title={"text": t("tabs.lr.learning_rate"), "standoff": 2}, rangemode="normal",
                           exponentformat="power", dtick=1)
    layout["hovermode"] = "closest"
    layout["shapes"] = [{"type": "line", "x0": threshold, "x1": threshold, "yref": "paper", "y0": 0, "y1": 1,
                         "line": {"color": "#D55E00", "width": 2, "dash": "dot"}}]
    layout["margin"]["t"] = 80  # the threshold's label sits above the plot, clear of the diverged runs' crosses
    layout["annotations"] = [{"x": np.log10(threshold), "yref": "paper", "y": 1.0, "yanchor": "bottom",
                              "showarrow": False, "text": t("tabs.lr.diverges_above", threshold=short_number(threshold)),
                              "xanchor": "center",
                              "font": {"size": 14, "color": "#D55E00"}}]
    return make_figure(traces, layout)


def landscape_figure(a, b, Z, names, targets, paths=(), steps=()):
    """Contours of the loss over two weights (log scale), the true weights, and the path training took:
    `paths` holds (label, xs, ys, colour) per run (one for a single run, one per lr for a sweep), one point per
    epoch; `steps` the same with one point per optimiser step (the zig-zag), drawn as a thin line beneath."""
    z = np.log10(Z + 1e-3 * np.median(Z) + 1e-300)  # the floor keeps the valley's contours from piling up
    traces = [{"type": "contour", "x": a, "y": b, "z": z, "colorscale": "Viridis", "ncontours": 24,
               "colorbar": {"title": {"text": t("tabs.lr.log_loss")}}, "contours": {"coloring": "heatmap"},
               "hovertemplate": f"{names[0]} %{{x:.3g}}, {names[1]} %{{y:.3g}}: 10^%{{z:.2f}}<extra></extra>"},
              {"type": "scatter", "x": [targets[0]], "y": [targets[1]], "mode": "markers", "name": t("tabs.lr.true_weights"),
               "marker": {"symbol": "star", "size": 18, "color": "#FFFFFF", "line": {"color": "#000", "width": 1.5}}}]
    for label, xs, ys, color in steps:
        traces.append(scatter(xs, ys, name=label, mode="lines", line={"color": color, "width": 1.5}, opacity=0.8,
                              hovertemplate=f"%{{x:.4g}}, %{{y:.4g}}<extra>{label}</extra>"))
    for label, xs, ys, color in paths:
        if not len(xs):
            continue
        traces.append(scatter(xs, ys, name=label, mode="lines+markers", line={"color": color, "width": 3},
                               marker={"size": 5}, hovertemplate=f"%{{x:.4g}}, %{{y:.4g}}<extra>{label}</extra>"))
    if paths and len(paths[0][1]):
        traces.append({"type": "scatter", "x": [paths[0][1][0]], "y": [paths[0][2][0]], "mode": "markers",
                       "name": t("tabs.lr.start"), "marker": {"symbol": "circle-open", "size": 14, "color": "#000",
                                                   "line": {"width": 3}}})
    layout = {"title": {"text": t("tabs.lr.landscape_title", a=names[0], b=names[1]), "font": {"size": 20}},
              "template": "plotly_white", "font": FONT, "height": 560, "margin": {"l": 70, "r": 20, "t": 60, "b": 60},
              "xaxis": {"title": {"text": names[0]}, "tickfont": TICK_FONT, "range": [a[0], a[-1]]},
              "yaxis": {"title": {"text": names[1]}, "tickfont": TICK_FONT, "range": [b[0], b[-1]]},
              "legend": {"orientation": "h", "y": -0.15, "x": 0}, "hovermode": "closest"}
    return make_figure(traces, layout)
