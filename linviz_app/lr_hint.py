"""Beside the lr field: where this lr sits among the data's regimes, a band of them, the fastest lr's button.

Drawn by the sidebar (linviz_app/sidebar.py) under the Learning rate field, from the analysis of the very data
the run trains on (linviz/analysis.py).
"""
import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz_app.charts import short_number
from linviz_app.lr_charts import lr_band_figure
from linviz_app.session import cached_analysis
from linviz_app.widgets import KEY


def use_lr(lr: float) -> None:
    """The fastest-lr button's callback: put `lr`, as a lecturer would say it, in the lr field."""
    st.session_state[KEY["lr"]] = short_number(lr)


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
        st.markdown(f"Your lr is **{short_number(cfg.lr / a.threshold)} x** the divergence threshold, estimated at "
                    f"{short_number(a.threshold)}: {where} it, so it should "
                    f"{'converge' if where == 'below' else '**diverge**'}. This data is too large to work out "
                    "how fast exactly; train and see.")
    elif np.isfinite(a.threshold):
        st.markdown(f"Your lr is **{short_number(cfg.lr / a.threshold)} x** the divergence threshold "
                    f"({short_number(a.threshold)}): **{r.kind}**{epochs}.")
        lrs = np.geomspace(min(a.threshold * 1e-3, cfg.lr / 2), max(a.threshold * 3, cfg.lr * 2), 150)
        kinds = [x.kind for x in a.classify_many(lrs)]
        st.plotly_chart(lr_band_figure(lrs, kinds, cfg.lr, a.threshold), key="lr_band",
                        config={"displayModeBar": False})
        if np.isfinite(a.best_lr) and a.exact:
            st.button(f"Use the fastest lr ({short_number(a.best_lr)})", on_click=use_lr, args=(a.best_lr,),
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
