"""Above the charts: Train, Stop, Pause/Resume, Step, Reset and the speed, with what each button does, the
lecture's keyboard shortcuts, and the presenter view's toggle.

The callbacks run before the script, so the page drawn after a click (or its shortcut) already shows its effect.
They read the settings from the session (`parse_widgets`): the sidebar is not drawn yet when they run.
"""
import streamlit as st

from linviz_app import presenter
from linviz_app.i18n import t
from linviz_app.live import ACTIVE, LiveRun, Status
from linviz_app.session import live_run
from linviz_app.widgets import parse_widgets

SPEEDS = (1, 2, 5, 10, 20, 50, 100, "max")  # epochs per second; 20 shows the tutorial's 100 epochs in 5 s
# Single letters, for a presenter at a keyboard; Streamlit ignores them while a text box has the focus, so typing
# a setting never presses a button. "C" and "R" are Streamlit's own; Space and arrows would also move the slider.
SHORTCUTS = {"btn_train": "T", "btn_pause": "P", "btn_step": "S", "btn_reset": "X"}


def hint(what: str, key: str) -> str:
    """A button's help: what it does, then its shortcut."""
    return t("controls.shortcut", what=what, letter=SHORTCUTS[key])


def on_train() -> None:
    cfg, _ = parse_widgets()
    if cfg is not None:
        live_run().start(cfg)


def on_pause() -> None:
    live = live_run()
    live.resume() if live.status == Status.PAUSED else live.pause()


def on_step() -> None:
    live = live_run()
    if live.status not in ACTIVE:
        cfg, _ = parse_widgets()
        if cfg is None:
            return
        if live.status == Status.STOPPED and cfg == live.source:
            live.reopen()  # Step after Stop goes on from where the run stopped, as Stop kept it
        else:
            live.start(cfg, paused=True)
    live.begin_step()  # a long epoch goes on in the live loop (dashboard.run_live), which a click can interrupt


def on_reset() -> None:
    live = live_run()
    if live.ladder is not None:
        st.session_state.pop("ladder", None)  # the ladder tab forgets a ladder that was reset
    live.reset()


def controls_ui(live: LiveRun, can_train: bool):
    """The buttons and the speed, above the charts (below them, a running loop would hide them); returns
    the speed in epochs per second, or "max"."""
    cols = st.container(key="controls").columns([1.2, 1, 1.4, 1.2, 1.2, 3, 2.6], vertical_alignment="bottom")
    active, paused = live.status in ACTIVE, live.status == Status.PAUSED
    common = {"width": "stretch"}
    cols[0].button(t("controls.train"), type="primary", on_click=on_train, disabled=not can_train, key="btn_train",
                   help=hint(t("controls.train_help"), "btn_train"), shortcut=SHORTCUTS["btn_train"], **common)
    cols[1].button(t("controls.stop"), on_click=live.stop, disabled=not active, key="btn_stop",
                   help=t("controls.stop_help"), **common)
    pause = "resume" if paused else "pause"
    cols[2].button(t(f"controls.{pause}"), on_click=on_pause, disabled=not active, key="btn_pause",
                   help=hint(t(f"controls.{pause}_help"), "btn_pause"), shortcut=SHORTCUTS["btn_pause"], **common)
    cols[3].button(t("controls.step"), on_click=on_step, disabled=not can_train and not active, key="btn_step",
                   help=hint(t("controls.step_help"), "btn_step"), shortcut=SHORTCUTS["btn_step"], **common)
    cols[4].button(t("controls.reset"), on_click=on_reset, key="btn_reset", help=hint(t("controls.reset_help"),
                   "btn_reset"), shortcut=SHORTCUTS["btn_reset"], **common)
    shown = {s: t("controls.max") if s == "max" else str(s) for s in SPEEDS}  # said now: AppTest calls it later
    speed = cols[5].select_slider(t("controls.speed"), SPEEDS, value=20, key="speed", format_func=shown.__getitem__)
    presenter.toggle_ui(cols[6])
    return speed
