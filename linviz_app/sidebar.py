"""The sidebar, top to bottom: a lecture preset, the settings (one widget per field, each message under its
field, the lr hint under the lr field), then what depends on the run: a note while it trains, the downloads.

`sidebar_ui` draws, then returns values: the settings as (config or None, {field: message}).
"""
import streamlit as st

from linviz import FIELDS, RunConfig
from linviz.errors import ConfigError
from linviz.fields import BY_ATTR
from linviz.presets import PRESETS, preset, preset_description, preset_numbers, preset_title
from linviz.report import history_csv, result_json
from linviz.sweeps import sweep_csv, sweep_json
from linviz_app import i18n
from linviz_app.i18n import t, tr
from linviz_app.live import LiveRun, Status
from linviz_app.lr_hint import lr_hint_ui
from linviz_app.safe import md_escape
from linviz_app.widgets import KEY, field_widget, missing_devices_note, parse_settings, widget_value

OWN = "(your own settings)"  # the preset box's first option: no preset (shown as the locale's page.own_settings)


def sidebar_ui() -> tuple[RunConfig | None, dict]:
    """Draw the language switch, the preset and the settings; return (config, {}) or (None, {field: message}) for
    what was drawn."""
    i18n.switch_ui(st.sidebar)
    preset_ui()
    values, below = {}, {}  # below: the place under each field where its message goes
    with st.sidebar:
        st.header(t("page.experiment"))
        for f in (f for f in FIELDS if not f.advanced):
            values[f.attr] = field_widget(f, values)
            below[f.attr] = st.empty()
            if f.attr == "lr":
                hint = st.container()  # where the lr's place among this data's regimes is shown
            if f.attr == "device":
                missing_devices_note()
        with st.expander(t("page.advanced"), key="advanced"):  # the key: it stays open across a language switch
            for f in (f for f in FIELDS if f.advanced):
                values[f.attr] = field_widget(f, values)
                below[f.attr] = st.empty()
        cfg, errors = parse_settings(values)
        for attr, message in errors.items():
            (below.get(attr) or st.sidebar).error(md_escape(tr(message)))
        with hint:
            lr_hint_ui(cfg)
    return cfg, errors


def _apply_preset() -> None:
    name = st.session_state.get("preset")
    if name in PRESETS:
        try:  # the seed box's text, read as every door reads it; a preset on a seed not yet fixed uses 0
            seed = BY_ATTR["seed"].read(st.session_state.get(KEY["seed"], "0"))
        except ConfigError:
            seed = 0
        cfg = preset(name, seed)
        st.session_state["preset_seed"] = seed  # whose data the preset's numbers are (preset_ui)
        for f in FIELDS:
            st.session_state[KEY[f.attr]] = widget_value(cfg, f.attr)


def preset_ui() -> None:
    names = {OWN: t("page.own_settings")} | {name: tr(preset_title(name)) for name in PRESETS}
    st.sidebar.selectbox(t("page.preset"), list(names), key="preset", format_func=names.__getitem__,
                         on_change=_apply_preset, help=t("page.preset_help"))  # the value stays the preset's key
    name = st.session_state.get("preset")
    if name in PRESETS:
        st.sidebar.caption(tr(preset_description(name)))
        seed = st.session_state.get("preset_seed", 0)
        made = preset(name, seed)  # its numbers hold only while every field still holds the preset's value
        if all(st.session_state.get(KEY[f.attr]) == widget_value(made, f.attr) for f in FIELDS):
            st.sidebar.caption(tr(preset_numbers(name, seed)))


def run_footer_ui(live: LiveRun) -> None:
    """Below the settings, once the run has followed them: what a change does mid-run, and the downloads."""
    if live.status == Status.RUNNING:
        st.sidebar.caption(t("page.lr_mid_run"))
    downloads_ui(live)


def downloads_ui(live: LiveRun) -> None:
    """Downloads build their file when clicked (reading the live run), and do not interrupt training."""
    st.sidebar.divider()
    none = live.history is None
    st.sidebar.download_button(t("page.download_csv"), data=lambda: _csv(live), file_name="linviz-history.csv",
                               mime="text/csv", on_click="ignore", disabled=none, key="dl_csv",
                               use_container_width=True)
    st.sidebar.download_button(t("page.download_json"), data=lambda: _json(live),
                               file_name="linviz-run.json", mime="application/json", on_click="ignore",
                               disabled=none, key="dl_json", use_container_width=True)


def _csv(live: LiveRun) -> str:
    """Single runs: one row per epoch; sweeps: one row per epoch and run, with the run's lr."""
    return sweep_csv(live.history) if live.history.runs else history_csv(live.history)


def _json(live: LiveRun) -> str:
    if live.cfg.is_sweep:  # judged against the same targets as the status line (report.outcome_targets)
        return sweep_json(live.cfg, live.state, live.best, live.reachable)
    return result_json(live.cfg, live.state, live.best, live.reachable)
