"""Beside the lr field: where this lr sits among the data's regimes, a band of them, the fastest lr's button.

Drawn by the sidebar (linviz_app/sidebar.py) under the Learning rate field, from the analysis of the very data
the run trains on (linviz/analysis.py).
"""
import itertools

import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz.errors import ConfigError
from linviz.say import Msg
from linviz.text import fmt_number
from linviz_app.charts import short_number
from linviz_app.i18n import t, tr
from linviz_app.lr_charts import lr_band_figure
from linviz_app.safe import md_escape
from linviz_app.session import cached_analysis
from linviz_app.widgets import KEY

SMALLEST = float(np.nextafter(0.0, 1.0))  # 5e-324, the smallest positive float (subnormal)


def use_lr(lr: str) -> None:
    """The fastest-lr button's callback: put `lr`, as typed_lr writes it, in the lr field."""
    st.session_state[KEY["lr"]] = lr


def lr_hint_ui(cfg: RunConfig | None) -> None:
    """Under the lr field: where this lr sits relative to the data's threshold, and a band of regimes."""
    if cfg is None or cfg.is_sweep:
        return
    try:
        a = cached_analysis(cfg)
    except ConfigError as e:  # the server's memory is taken by others' runs: say so, the page goes on
        st.caption(md_escape(tr(e.message)))
        return
    r = a.measure(cfg.lr)  # the epochs counted on the exact epoch map, as the status will judge the run
    # many weights fit: no epochs reach the true ones, only the fit training reaches
    to = Msg("page.hint.to_settle" if a.settles_off else "page.hint.to_true" if a.determined else "page.hint.to_fit")
    epochs = _epochs_text(r.epochs, to) if r.kind != "diverges" else ""
    finite = np.isfinite(a.threshold)
    nums = {"ratio": ratio_text(cfg.lr / a.threshold), "threshold": short_number(a.threshold)} if finite else {}
    if finite and not a.exact:  # regimes and epoch counts of an estimate can be far off
        where = "below" if cfg.lr < a.threshold else "above"
        bounded = getattr(a.note, "key", "") == "core.analysis.bounded"
        why = "shuffled" if cfg.shuffle else "bounded" if bounded else "large"  # why only an estimate
        st.markdown(t(f"page.hint.estimate_{where}", **nums, why=t(f"page.hint.why_{why}")))
    elif finite:
        st.markdown(t("page.hint.exact", **nums, kind=r.kind, epochs=epochs))
        lrs = band_lrs(cfg.lr, a.threshold, [e for iv in a.stable_intervals for e in iv])
        kinds = [x.kind for x in a.classify_many(lrs)]
        st.plotly_chart(lr_band_figure(lrs, kinds, cfg.lr, a.threshold), key="lr_band",
                        config={"displayModeBar": False})
        if np.isfinite(a.best_lr) and a.exact:
            typed = typed_lr(a)
            st.button(t("page.hint.use_fastest", lr=typed), on_click=use_lr, args=(typed,),
                      key="btn_fastest_lr", use_container_width=True)
    else:
        note = tr(a.note)
        st.caption(note[:1].upper() + note[1:])
    settle = a.settle_note(cfg.lr) if r.kind != "diverges" else None  # noisy targets: where this lr settles
    notes = (*a.notes, *([settle] if settle is not None else ()))
    if notes:  # rank (many weights fit the samples), several stable ranges, estimates, where training settles
        st.caption(t("page.hint.notes_sep").join(tr(n) for n in notes))


def typed_lr(a) -> str:
    """The fastest lr as the button types it: two significant digits, or more where rounding would leave its
    stable range (a narrow one, or one ending just above it)."""
    for digits in (2, 3, 4, 6):
        text = fmt_number(float(f"{a.best_lr:.{digits}g}"))
        if a.classify(float(text)).kind != "diverges":
            return text
    return fmt_number(a.best_lr)


def ratio_text(x: float) -> str:
    """lr / threshold as said beside the field: two digits, three near 1 (1.02 x diverges; "1 x" would not say which
    side it is on).

    >>> ratio_text(0.17), ratio_text(1.0213), ratio_text(0.996)
    ('0.17', '1.02', '0.996')
    """
    return fmt_number(float(f"{x:.3g}")) if 0.9 <= x <= 1.1 else short_number(x)


def band_lrs(lr: float, threshold: float, edges=(), n: int = 150) -> np.ndarray:
    """The band's lrs: three decades below the threshold to 3x above it, widened to show `lr` inside. Any lr the
    field allows, down to the smallest float (5e-324, whose half is 0: a geometric sequence cannot reach 0).
    edges: where the stable ranges begin and end (Analysis.stable_intervals): points just either side of each, and
    inside every range between them, so that a window narrower than the grid's steps still shows in the band.

    >>> lrs = band_lrs(5e-324, 6e-5)
    >>> float(lrs[0]), float(lrs[-1].round(8))
    (5e-324, 0.00018)
    """
    lo = max(min(threshold * 1e-3, lr / 2), SMALLEST)
    hi = min(max(threshold * 3, lr * 2), 1e300)  # no overflow in the sequence's last power
    grid = np.geomspace(lo, max(hi, lo), n)
    inner = sorted({float(e) for e in edges if lo < e < hi})
    near = [e * f for e in inner for f in (1 - 1e-6, 1 + 1e-6)]
    between = [x for a, b in itertools.pairwise(inner) for x in np.geomspace(a, b, 6)[1:-1]]
    return np.unique(np.concatenate([grid, near, between]))


def _epochs_text(epochs: float, to: Msg) -> Msg | str:
    """", ~86 epochs to within 0.01": counts beyond any run's reach read as what they mean."""
    if not np.isfinite(epochs):
        return ""
    if epochs > 1e6:
        return Msg("page.hint.epochs_never", n=f"{epochs:.0e}", to=to)
    n = max(1, round(epochs))
    return Msg("page.hint.epochs_one" if n == 1 else "page.hint.epochs", n=n, to=to)
