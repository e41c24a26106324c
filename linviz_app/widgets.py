"""The sidebar: one widget per field of the field table (linviz/fields.py), seeded from the URL.

Widget keys are `cfg_<field>`; each widget has a slot under it where the message for that field appears.
Labels, help texts and limits come from the table: a number box gets a limit only where the table's limit is
itself allowed (momentum < 1 has no widget maximum), so a valid link's value is never clamped by its widget;
the table's check names what is wrong instead.
"""
import streamlit as st

from linviz import FIELDS, RunConfig, available_devices, parse_config, parse_lenient, to_query
from linviz.checks import check_machine
from linviz.config import ConfigError, fmt_number
from linviz.devices import why_missing
from linviz.fields import Field

KEY = {f.attr: f"cfg_{f.attr}" for f in FIELDS}


def widget_value(cfg: RunConfig, attr: str):
    """What a field's widget shows for `cfg`."""
    v = getattr(cfg, attr)
    if attr == "true_weights":
        return ", ".join(fmt_number(x) for x in v)
    if attr == "lr" and isinstance(v, tuple):
        text = ", ".join(fmt_number(x) for x in v)
        return f"[{text}]" if len(v) == 1 else text  # a sweep of one lr stays a sweep
    if attr == "lr":
        return fmt_number(v)
    return v


def init_from_url() -> dict:
    """On a session's first run: fill the widgets from the URL; return {field: message} for bad parameters."""
    if "url_errors" not in st.session_state:
        cfg, errors = parse_lenient(dict(st.query_params.to_dict()), check=check_machine)
        for f in FIELDS:
            st.session_state[KEY[f.attr]] = widget_value(cfg, f.attr)
        st.session_state["url_errors"] = errors
    return st.session_state["url_errors"]


def current_values() -> dict:
    """The widgets' values, keyed by field, from the session (callbacks may call this too)."""
    return {f.attr: st.session_state[KEY[f.attr]] for f in FIELDS if KEY[f.attr] in st.session_state}


def parse_widgets() -> tuple[RunConfig | None, dict]:
    """(config or None, {field: message}) from the current widget values."""
    try:
        cfg = parse_config(current_values())
        check_machine(cfg)  # once per script run: can this server train it (memory, device)?
        return cfg, {}
    except ConfigError as e:
        return None, e.errors


def sync_url(cfg: RunConfig) -> None:
    """Keep every setting in the URL, so the address bar is a link to this experiment."""
    query = to_query(cfg)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def _applies(f: Field) -> bool:
    if not f.needs:
        return True
    other, value = f.needs
    current = st.session_state.get(KEY[other])
    return current != value[1:] if value.startswith("!") else current == value


def _device_label(d: str) -> str:
    return f"auto ({available_devices()[0]})" if d == "auto" else d


def _widget(f: Field) -> None:
    """The widget the table asks for; disabled (never left out: it would lose its value) where it does not apply."""
    common = {"key": KEY[f.attr], "help": f.help, "disabled": not _applies(f)}
    if f.widget == "text":
        st.text_input(f.label, **common)
    elif f.widget == "checkbox":
        st.checkbox(f.label, **common)
    elif f.widget == "select":
        options = ["auto", *available_devices()] if f.attr == "device" else list(f.choices)
        st.selectbox(f.label, options, format_func=_device_label if f.attr == "device" else str, **common)
    else:
        cast = int if f.kind == "int" else float
        limit = lambda v, is_open: None if is_open or abs(v) == float("inf") else cast(v)
        st.number_input(f.label, min_value=limit(f.lo, f.lo_open), max_value=limit(f.hi, f.hi_open),
                        step=cast(f.step), format=None if f.kind == "int" else "%g", **common)


def settings_ui(running: bool) -> dict:
    """Draw the sidebar; return {field: slot} where each field's message goes (and "lr_hint")."""
    slots = {}
    with st.sidebar:
        st.header("Experiment")
        for f in (f for f in FIELDS if not f.advanced):
            _widget(f)
            slots[f.attr] = st.empty()
            if f.attr == "lr":
                slots["lr_hint"] = st.container()  # where the lr's place among this data's regimes is shown
            if f.attr == "device":
                missing = [d for d in ("cuda", "mps") if d not in available_devices()]
                if missing:
                    st.caption("Not offered: " + "; ".join(f"{d} ({why_missing(d)})" for d in missing) + ".")
        with st.expander("Advanced"):
            for f in (f for f in FIELDS if f.advanced):
                _widget(f)
                slots[f.attr] = st.empty()
        if running:
            st.caption("While a run goes on, a new learning rate applies from the next epoch; "
                       "any other change ends the run.")
    return slots
