"""The learning-rate ladder tab: six lrs placed around this data's divergence threshold, trained as one
sweep through the page's live run (a training slot, Stop, Pause, Reset and Speed apply), drawn live."""
import time

import numpy as np
import streamlit as st

from linviz import RunConfig
from linviz.analysis import LADDER, ladder
from linviz.config import ConfigError
from linviz.estimate import long_run_warning
from linviz_app.lr_charts import ladder_final_figure, ladder_loss_figure
from linviz_app.lr_ui import cached_analysis
from linviz_app.safe import md_escape

REDRAW_S = 1.0  # mid-run: two charts remount on every redraw; once a second leaves the browser time to paint them


def start_ladder(live, cfg: RunConfig) -> None:
    """Start the ladder as the session's live run: a sweep of lrs around the threshold, same data and
    initial weights. It trains in the live loop like any run (a training slot, Stop, Pause, Reset)."""
    a = cached_analysis(cfg)
    sweep = ladder(cfg, a)
    record = {"cfg": sweep, "threshold": a.threshold, "factors": LADDER,
              "kinds": [r.kind for r in a.classify_many(sweep.lrs)]}
    live.start(sweep, source=cfg, ladder=record)
    record["history"] = live.history  # the ladder tab keeps drawing it after another run replaces it
    st.session_state["ladder"] = record


def _ladder_config(cfg: RunConfig | None) -> RunConfig | None:
    """The ladder's sweep for these settings, or None (saying why) where there is none."""
    if cfg is None or not np.isfinite(cached_analysis(cfg).threshold):
        st.info("The ladder needs valid settings and an optimizer with a divergence threshold (not Adam).")
        return None
    try:
        return ladder(cfg, cached_analysis(cfg))
    except ConfigError as e:  # six runs at once may not fit where one does (the memory guard)
        st.error(md_escape(f"The ladder trains {len(LADDER)} runs at once: {e.message}"))
        return None


def ladder_ui(cfg: RunConfig | None, live):
    """The ladder's button and charts; returns a draw function for the live loop (or None)."""
    sweep = _ladder_config(cfg)
    if sweep is not None:
        st.button(f"Run the ladder: lr = {', '.join(f'{f:g}' for f in LADDER)} x the threshold", key="btn_ladder",
                  on_click=start_ladder, args=(live, cfg), type="primary")
        if long_run_warning(sweep):
            st.warning(long_run_warning(sweep))
    record = st.session_state.get("ladder")
    if record is None:
        st.caption("Same data, same initial weights, six learning rates placed around this data's divergence "
                   "threshold, trained together as one batched run. It becomes this page's run (replacing the "
                   "current one): Stop, Pause, Step and Speed above work on it.")
        return None
    caption, (left, right) = st.empty(), st.columns(2)
    slots, draws, last = (left.empty(), right.empty()), [0], [0.0]

    def draw(final: bool = True):
        current = live.ladder is record
        if not final and (not current or time.perf_counter() - last[0] < REDRAW_S):
            return  # another run trains (this ladder's charts do not change), or a redraw was just sent
        last[0] = time.perf_counter()
        h, c = record["history"], record["cfg"]
        s = h.last
        ended = s.epoch == c.epochs or bool(np.all(s.diverged))
        status = live.status if current else "finished" if ended else "stopped"
        caption.caption(f"{len(c.lrs)} runs trained together as one batched run: epoch {s.epoch:,} of "
                        f"{c.epochs:,}, {s.elapsed:.2f} s of training ({status}).")
        draws[0] += 1
        v, running = h.view(), status in ("running", "paused")
        slots[0].plotly_chart(ladder_loss_figure(v, c.lrs, record["factors"], record["kinds"]),
                              key=f"ladder_loss_{draws[0]}")
        slots[1].plotly_chart(ladder_final_figure(c.lrs, s.loss, s.diverged, record["threshold"], running),
                              key=f"ladder_final_{draws[0]}")

    return draw
