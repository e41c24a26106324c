"""The learning-rate parts of the page: the hint and band beside the lr field, presets, the loss
landscape, pinned runs and the code export (the ladder: ladder_tab.py). Each *_ui function draws one part."""
import time

import numpy as np
import streamlit as st

from linviz import FIELDS, RunConfig, make_dataset, to_query
from linviz.analysis import Analysis, analyze, loss_slice, slice_condition
from linviz.config import fmt_number
from linviz.export import standalone_script
from linviz.history import alive
from linviz.presets import PRESETS, preset
from linviz_app import widgets
from linviz_app.charts import MAX_LINES, PALETTE
from linviz_app.lr_charts import _short, landscape_figure, lr_band_figure
from linviz_app.sweep_charts import lr_names

MAX_PINNED = 8
LANDSCAPE_REDRAW_S = 1.0  # seconds between contour redraws while a run goes on


def cached_analysis(cfg: RunConfig) -> Analysis:
    """The analysis of cfg's data and training, kept per session (it does not depend on lr)."""
    key = cfg.replace(lr=1.0)
    cache = st.session_state.setdefault("analysis_cache", {})
    if key not in cache:
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = analyze(cfg)
    return cache[key]


def set_lr(lr: float) -> None:
    st.session_state[widgets.KEY["lr"]] = _short(lr)


def lr_hint_ui(cfg: RunConfig | None) -> None:
    """Under the lr field: where this lr sits relative to the data's threshold, and a band of regimes."""
    if cfg is None or cfg.is_sweep:
        return
    a = cached_analysis(cfg)
    r = a.classify(cfg.lr)
    to = "" if a.determined else " of the fit training reaches"  # many weights fit: no epochs reach the true ones
    epochs = _epochs_text(r.epochs, to) if r.kind != "diverges" else ""
    if np.isfinite(a.threshold) and not a.exact:  # regimes and epoch counts of an estimate can be far off
        where = "below" if cfg.lr < a.threshold else "above"
        st.markdown(f"Your lr is **{_short(cfg.lr / a.threshold)} x** the divergence threshold, estimated at "
                    f"{_short(a.threshold)}: {where} it, so it should "
                    f"{'converge' if where == 'below' else '**diverge**'}. This data is too large to work out "
                    "how fast exactly; train and see.")
    elif np.isfinite(a.threshold):
        st.markdown(f"Your lr is **{_short(cfg.lr / a.threshold)} x** the divergence threshold "
                    f"({_short(a.threshold)}): **{r.kind}**{epochs}.")
        lrs = np.geomspace(min(a.threshold * 1e-3, cfg.lr / 2), max(a.threshold * 3, cfg.lr * 2), 150)
        kinds = [x.kind for x in a.classify_many(lrs)]
        st.plotly_chart(lr_band_figure(lrs, kinds, cfg.lr, a.threshold), key="lr_band",
                                config={"displayModeBar": False})
        if np.isfinite(a.best_lr) and a.exact:
            st.button(f"Use the fastest lr ({_short(a.best_lr)})", on_click=set_lr, args=(a.best_lr,),
                      key="btn_fastest_lr", use_container_width=True)
    else:
        st.caption(a.note[:1].upper() + a.note[1:])
    if a.notes:  # rank (many weights fit the samples), several stable ranges, estimates
        st.caption(" ".join(a.notes))


def _epochs_text(epochs: float, to: str) -> str:
    """", ~86 epochs to within 0.01": counts beyond any run's reach read as what they mean."""
    if not np.isfinite(epochs):
        return ""
    if epochs > 1e6:
        return f", ~{epochs:.0e} epochs to within 0.01{to}: never, in practice"
    n = max(1, round(epochs))
    return f", ~{n:,} epoch{'s' * (n != 1)} to within 0.01{to}"


def _apply_preset() -> None:
    name = st.session_state.get("preset")
    if name in PRESETS:
        seed = st.session_state.get(widgets.KEY["seed"], 0)
        cfg = preset(name, seed)
        for f in FIELDS:
            st.session_state[widgets.KEY[f.attr]] = widgets.widget_value(cfg, f.attr)


def preset_ui() -> None:
    st.sidebar.selectbox("Preset for a lecture", ["(your own settings)", *PRESETS], key="preset",
                         on_change=_apply_preset, help="Each preset's lr is placed from the analysis of its data")
    name = st.session_state.get("preset")
    if name in PRESETS:
        st.sidebar.caption(PRESETS[name][0])


# --- the loss landscape ----------------------------------------------------------------------------------
def landscape_ui(cfg: RunConfig | None, live):
    """Choose two weights; returns a draw function (or None) so the live loop can redraw the path."""
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
    others = [f"{names[k]} = {run_cfg.true_weights[k]:g}" for k in range(run_cfg.n_weights) if k not in (i, j)]
    if len(others) > 6:  # a thousand weights would push the chart off the page
        others = [*others[:5], f"... ({len(others) - 5:,} more)"]
    a = cached_analysis(run_cfg)
    other = cached_analysis(run_cfg.replace(standardize=not run_cfg.standardize))
    raw, std = (other, a) if run_cfg.standardize else (a, other)
    st.caption((f"A slice through the true weights: {', '.join(others)} held fixed. " if others else "")
               + f"This slice's ellipses are {np.sqrt(slice_condition(data, i, j)):.2g}x longer than wide; "
               f"κ of all weights: {a.condition:.3g}. Raw features: threshold {_short(raw.threshold)}, "
               f"largest curvature {raw.eigenvalues[-1]:.3g}; standardised: threshold {_short(std.threshold)}, "
               f"largest curvature {std.eigenvalues[-1]:.3g}. The steepest direction sets the largest usable lr.")
    slot = st.empty()
    last = {"t": 0.0, "draws": 0}  # draws: a fresh chart key each time within one script run

    def draw(final: bool = True):
        if not final and time.perf_counter() - last["t"] < LANDSCAPE_REDRAW_S:
            return  # a contour costs the browser far more than a line chart: redraw it less often
        last["t"] = time.perf_counter()
        paths = training_paths(live, i, j)
        center = np.array([run_cfg.true_weights[i], run_cfg.true_weights[j]])
        span = np.maximum(np.abs(center) * 0.5, 1.0)
        finite = [p for p in paths if not p[4]] or paths  # diverged runs' paths may leave the view
        for _, xs, ys, _, _ in finite:
            if len(xs):
                span = np.maximum(span, 1.15 * np.array([np.abs(xs - center[0]).max(), np.abs(ys - center[1]).max()]))
        a_vals, b_vals, Z = loss_slice(run_cfg, data, i, j, center=center, span=span, n=41)
        last["draws"] += 1
        slot.plotly_chart(landscape_figure(a_vals, b_vals, Z, (names[i], names[j]), center, [p[:4] for p in paths]),
                          key=f"land_{last['draws']}")

    return draw


def training_paths(live, i: int, j: int) -> list:
    """(label, w_i, w_j, colour, diverged) per run: the path each run took so far over weights i and j."""
    if live.history is None:
        return []
    v = live.history.view()
    if not live.history.runs:
        return [("training path", v["weights"][:, i], v["weights"][:, j], "#D55E00", bool(live.state.diverged))]
    ok, w = alive(v), v["weights"]
    return [(name, w[ok[:, r], r, i], w[ok[:, r], r, j], PALETTE[r], v["diverged_epoch"][r] >= 0)
            for r, name in enumerate(lr_names(live.cfg.lrs)[:MAX_LINES])]


# --- pinned runs ----------------------------------------------------------------------------------------
def pin(live) -> None:
    pins = st.session_state.setdefault("pins", [])
    v = live.history.view()
    label = f"#{len(pins) + 1}: lr {fmt_number(live.cfg.lr)}, epoch {live.state.epoch}"
    pins.append({"label": label, "cfg": live.cfg, "epoch": v["epoch"], "loss": v["loss"]})
    del pins[:-MAX_PINNED]


def differing_settings(cfgs: list[RunConfig]) -> dict[str, list[str]]:
    """Only the settings that differ between the runs: {key: [value per run]}."""
    rows = [to_query(c, full=True) for c in cfgs]
    return {k: [r[k] for r in rows] for k in rows[0] if len({r[k] for r in rows}) > 1}


def compare_ui(live) -> None:
    pins = st.session_state.get("pins", [])
    c1, c2, _ = st.columns([1, 1, 3])
    finished = live.history is not None and live.status in ("stopped", "done")
    sweep = live.cfg is not None and live.cfg.is_sweep
    c1.button("Pin this run", key="btn_pin", on_click=pin, args=(live,), disabled=not finished or sweep,
              help="Keep this run as a faint line on the loss chart (up to 8); one learning rate at a time")
    if sweep:
        st.caption(f"Pinning keeps a run with one learning rate. This run is a sweep: its {len(live.cfg.lrs)} "
                   "learning rates are already side by side on the loss chart.")
    c2.button("Clear pinned runs", key="btn_clear_pins", disabled=not pins,
              on_click=lambda: st.session_state.update(pins=[]))
    if not pins:
        st.caption("Finish or stop a run, pin it, change a setting and train again: pinned runs stay on the loss "
                   "chart as faint lines.")
        return
    cfgs = [p["cfg"] for p in pins] + ([live.cfg] if live.cfg else [])
    labels = [p["label"] for p in pins] + (["current run"] if live.cfg else [])
    diff = differing_settings(cfgs) if len(cfgs) > 1 else {}
    if diff:
        st.dataframe({"run": labels, **diff}, hide_index=True)
    else:
        st.caption("The pinned runs share every setting.")


def code_ui(cfg: RunConfig | None, live) -> None:
    run_cfg = live.cfg or cfg
    if run_cfg is None:
        st.info("Fix the settings to see the code.")
        return
    if run_cfg.is_sweep:  # the script trains one lr the tutorial's way; every run of a sweep is such a run
        st.caption(f"This is a sweep of {len(run_cfg.lrs)} learning rates. The script trains one learning rate, "
                   "as the tutorial does: choose which run it reproduces.")
        lr = st.selectbox("Learning rate", run_cfg.lrs, format_func=fmt_number, key="code_lr")
        run_cfg = run_cfg.replace(lr=lr if lr in run_cfg.lrs else run_cfg.lrs[0])
    source = standalone_script(run_cfg)
    st.caption("A standalone script (numpy + torch only, in the tutorial's style) that reproduces "
               + ("this run" if live.cfg else "the current settings")
               + ": same data, same initial weights, same updates. Learning-rate changes made during a run "
                 "are not in it.")
    st.download_button("Download the script", data=source, file_name="linviz_run.py", mime="text/x-python",
                       on_click="ignore", key="dl_script")
    st.code(source, language="python")
