"""The sidebar: one widget per RunConfig field, seeded from the URL, returning plain values.

Widget keys are `cfg_<field>`; each widget has a slot under it where the core's message for that field
appears. Text fields (weights, lr) go through the same parser as CLI flags and URL parameters.
"""
import streamlit as st

from linviz import FIELDS, RunConfig, available_devices, parse_config, parse_lenient, to_query
from linviz.config import OPTIMIZERS, SCHEDULES, ConfigError, fmt_number
from linviz.devices import why_missing

KEY = {f.attr: f"cfg_{f.attr}" for f in FIELDS}


def widget_value(cfg: RunConfig, attr: str):
    """What a field's widget shows for `cfg`."""
    v = getattr(cfg, attr)
    if attr == "true_weights":
        return ", ".join(fmt_number(x) for x in v)
    if attr == "lr":
        return ", ".join(fmt_number(x) for x in v) if isinstance(v, tuple) else fmt_number(v)
    return v


def init_from_url() -> dict:
    """On a session's first run: fill the widgets from the URL; return {field: message} for bad parameters."""
    if "url_errors" not in st.session_state:
        cfg, errors = parse_lenient(dict(st.query_params.to_dict()))
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
        return parse_config(current_values()), {}
    except ConfigError as e:
        return None, e.errors


def sync_url(cfg: RunConfig) -> None:
    """Keep every setting in the URL, so the address bar is a link to this experiment."""
    query = to_query(cfg)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def settings_ui(running: bool) -> dict:
    """Draw the sidebar; return {field: slot} where each field's error message goes."""
    slots = {}

    def slot(attr):
        slots[attr] = st.empty()

    sb = st.sidebar
    with sb:
        st.header("Experiment")
        st.text_input("True weights", key=KEY["true_weights"], help="The weights the model must find, e.g. 2, 3, 4, 7")
        slot("true_weights")
        st.number_input("Samples", min_value=1, max_value=10_000_000, step=1, key=KEY["n_samples"])
        slot("n_samples")
        st.text_input("Learning rate", key=KEY["lr"],
                      help="e.g. 1e-5 (the tutorial). Raw 1..100 features diverge above about 7e-5. "
                           "Changes apply from the next epoch while a run goes on.")
        slot("lr")
        slots["lr_hint"] = st.container()  # where the lr's place among this data's regimes is shown
        st.number_input("Epochs", min_value=1, max_value=1_000_000, step=10, key=KEY["epochs"])
        slot("epochs")
        devices = ["auto", *available_devices()]
        st.selectbox("Device", devices, key=KEY["device"],
                     format_func=lambda d: f"auto ({available_devices()[0]})" if d == "auto" else d)
        missing = [d for d in ("cuda", "mps") if d not in devices]
        if missing:
            st.caption("Not offered: " + "; ".join(f"{d} ({why_missing(d)})" for d in missing) + ".")
        slot("device")
        with st.expander("Advanced"):
            _advanced(slot)
        if running:
            st.caption("While a run goes on, a new learning rate applies from the next epoch; "
                       "any other change ends the run.")
    return slots


def _advanced(slot) -> None:
    st.number_input("Batch size", min_value=1, max_value=10_000_000, step=1, key=KEY["batch_size"],
                    help="1 = one sample per step, as the tutorial does; = samples for full-batch gradient descent")
    slot("batch_size")
    st.selectbox("Optimizer", OPTIMIZERS, key=KEY["optimizer"])
    slot("optimizer")
    # Every widget is always drawn (disabled where it does not apply): a widget left out of a run loses its value.
    st.number_input("Momentum", min_value=0.0, max_value=0.999, step=0.05, key=KEY["momentum"],
                    disabled=st.session_state.get(KEY["optimizer"]) != "momentum", help="used by optimizer momentum")
    slot("momentum")
    st.selectbox("LR schedule", SCHEDULES, key=KEY["schedule"],
                 help="step: lr x gamma every N epochs; exp: the same decay, smoothly")
    slot("schedule")
    constant = st.session_state.get(KEY["schedule"]) == "constant"
    st.number_input("Decay every (epochs)", min_value=1, max_value=1_000_000, step=1, key=KEY["step_size"],
                    disabled=constant)
    slot("step_size")
    st.number_input("Decay factor", min_value=0.001, max_value=1.0, step=0.05, key=KEY["gamma"], disabled=constant)
    slot("gamma")
    st.checkbox("Shuffle samples each epoch", key=KEY["shuffle"])
    st.checkbox("Standardise features", key=KEY["standardize"],
                help="Scale every feature to mean 0, std 1: then lr = 0.1 works. Weights are still shown "
                     "in the raw features' units.")
    st.number_input("Label noise (std)", min_value=0.0, max_value=1e9, step=1.0, key=KEY["noise_std"])
    slot("noise_std")
    st.number_input("Test fraction", min_value=0.0, max_value=0.95, step=0.05, key=KEY["test_fraction"])
    slot("test_fraction")
    st.number_input("Seed", min_value=0, max_value=2**32 - 1, step=1, key=KEY["seed"])
    slot("seed")
    c1, c2 = st.columns(2)
    c1.number_input("Smallest feature", min_value=-1_000_000, max_value=1_000_000, step=1, key=KEY["feature_min"])
    c2.number_input("Largest feature", min_value=-1_000_000, max_value=1_000_000, step=1, key=KEY["feature_max"])
    slot("feature_min")
    slot("feature_max")
