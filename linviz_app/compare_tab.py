"""The Compare runs tab: pin finished runs (they stay on the loss chart as faint lines) and see, in a table,
the settings in which they differ."""
import streamlit as st

from linviz import RunConfig, to_query
from linviz.say import Msg
from linviz.text import fmt_number
from linviz_app.i18n import t, tr
from linviz_app.live import LiveRun, Status
from linviz_app.session import pinned_runs

MAX_PINNED = 8  # faint lines enough to compare a lecture's worth of runs without hiding the current one


def pin(live: LiveRun) -> None:
    pins = st.session_state.setdefault("pins", [])
    v = live.history.view()
    # numbered by pins since the last Clear, not by pins kept: past MAX_PINNED the oldest go, the numbers go on
    n = st.session_state["pin_count"] = st.session_state.get("pin_count", 0) + 1
    # a message (English as a str), said in the page's language where it is shown (tr): a language switch follows
    label = Msg("tabs.compare.pin_label", n=n, lr=fmt_number(live.cfg.lr), epoch=live.state.epoch)
    pins.append({"label": label, "cfg": live.cfg, "epoch": v["epoch"], "loss": v["loss"]})
    del pins[:-MAX_PINNED]


def clear_pins() -> None:
    st.session_state.update(pins=[], pin_count=0)


def differing_settings(cfgs: list[RunConfig]) -> dict[str, list[str]]:
    """Only the settings that differ between the runs: {key: [value per run]}."""
    rows = [to_query(c, full=True) for c in cfgs]
    return {k: [r[k] for r in rows] for k in rows[0] if len({r[k] for r in rows}) > 1}


def compare_ui(cfg: RunConfig | None, live: LiveRun) -> None:
    pins = pinned_runs()
    c1, c2, _ = st.columns([1, 1, 3])
    finished = live.history is not None and live.status in (Status.STOPPED, Status.DONE)
    sweep = live.cfg is not None and live.cfg.is_sweep
    c1.button(t("tabs.compare.pin"), key="btn_pin", on_click=pin, args=(live,), disabled=not finished or sweep,
              help=t("tabs.compare.pin_help", n=MAX_PINNED))
    if sweep:
        st.caption(t("tabs.compare.sweep", n=len(live.cfg.lrs)))
    c2.button(t("tabs.compare.clear"), key="btn_clear_pins", disabled=not pins,
              on_click=clear_pins)
    if not pins:
        st.caption(t("tabs.compare.intro"))
        return
    cfgs = [p["cfg"] for p in pins] + ([live.cfg] if live.cfg else [])
    labels = [tr(p["label"]) for p in pins] + ([t("tabs.compare.current")] if live.cfg else [])
    diff = differing_settings(cfgs) if len(cfgs) > 1 else {}
    if diff:
        st.dataframe({t("tabs.compare.col_run"): labels, **diff}, hide_index=True)
    else:
        st.caption(t("tabs.compare.same"))
