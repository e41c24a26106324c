"""One widget per field of the field table (linviz/fields.py), seeded from the URL and kept in it.

Widget keys are `cfg_<field>`. The sidebar (linviz_app/sidebar.py) draws them with `field_widget`; button
callbacks, which run before the page is drawn, read the same values with `parse_widgets`.

Labels and help texts come from the table. Every number is typed into a text box, never a browser-side number box:
its text is read by the table's `Field.read`, the rule links and CLI flags use (1e6, +5, 1,000,000, full-width digits,
。 as a decimal point), so a value is read as written or refused with words under its field, and Train is off. A
valid link's value is never clamped by its widget.
"""
import streamlit as st

from linviz import FIELDS, RunConfig, available_devices, parse_config, parse_lenient, to_query
from linviz.checks import check_machine
from linviz.devices import why_missing
from linviz.errors import ConfigError
from linviz.fields import BY_ATTR, Field
from linviz.text import fmt_number
from linviz_app.i18n import t, tr
from linviz_app.presenter import split_link

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
    f = BY_ATTR[attr]
    if f.kind == "int":
        return str(v)  # 1000000, as a number box showed it (fmt_number would say 1e6)
    if f.kind == "float":
        return fmt_number(v)  # exactly: float(text) == v
    return v


def init_from_url() -> dict:
    """On a session's first run: fill the widgets from the URL; return {field: message} for bad parameters.
    Page parameters (`view`) are not settings: they are checked apart, every other key as a setting."""
    if "url_errors" not in st.session_state:
        _, settings, page_errors = split_link(st.query_params.to_dict())
        cfg, errors = parse_lenient(settings, check=check_machine)
        for f in FIELDS:
            st.session_state[KEY[f.attr]] = widget_value(cfg, f.attr)
        st.session_state["url_errors"] = {**errors, **page_errors}
    return st.session_state["url_errors"]


def current_values() -> dict:
    """The widgets' values, keyed by field, as the session holds them (before or after the sidebar is drawn)."""
    return {f.attr: st.session_state[KEY[f.attr]] for f in FIELDS if KEY[f.attr] in st.session_state}


def parse_settings(values: dict) -> tuple[RunConfig | None, dict]:
    """(config or None, {field: message}) from widget values keyed by field."""
    try:
        cfg = parse_config(values)
        check_machine(cfg)  # can this server train it (memory, device)? Asked here, where a run is set up
        return cfg, {}
    except ConfigError as e:
        return None, e.errors


def parse_widgets() -> tuple[RunConfig | None, dict]:
    """`parse_settings` of the values in the session: for callbacks, which run before the sidebar is drawn."""
    return parse_settings(current_values())


def sync_url(cfg: RunConfig) -> None:
    """Keep every setting in the URL, so the address bar is a link to this experiment, and the page parameters
    (`?view=presenter`) with them; anything else a link brought was named once and is dropped."""
    query = {**to_query(cfg), **split_link(st.query_params.to_dict())[0]}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def _applies(f: Field, values: dict) -> bool:
    """Whether the field matters with the values drawn so far (the table lists a field after the one it needs)."""
    if not f.needs:
        return True
    other, value = f.needs
    return values[other] != value[1:] if value.startswith("!") else values[other] == value


def _device_label(d: str) -> str:
    return t("page.device_auto", device=available_devices()[0]) if d == "auto" else d


def field_widget(f: Field, values: dict):
    """Draw the widget the table asks for and return its value; disabled (never left out: it would lose its
    value) where the field does not apply to `values`, the fields drawn before it."""
    label, common = tr(f.label), {"key": KEY[f.attr], "help": tr(f.help), "disabled": not _applies(f, values)}
    if f.widget in ("text", "number"):  # a number too: read on the server by the field table, see the docstring
        return st.text_input(label, **common)
    if f.widget == "checkbox":
        return st.checkbox(label, **common)
    options = ["auto", *available_devices()] if f.attr == "device" else list(f.choices)  # "select"
    shown = {o: _device_label(o) if f.attr == "device" else o for o in options}  # said now: AppTest calls it
    return st.selectbox(label, options, format_func=shown.__getitem__, **common)  # outside the script run


def missing_devices_note() -> None:
    """Under the device field: the devices not offered here, and why."""
    missing = [d for d in ("cuda", "mps") if d not in available_devices()]
    if missing:
        each = [t("page.not_offered_one", device=d, why=tr(why_missing(d))) for d in missing]
        st.caption(t("page.not_offered", devices=t("page.not_offered_sep").join(each)))
