"""The presenter view, for a projector: larger type, the sidebar folded, taller charts and less chrome.

A link opens it (`?view=presenter`); the "Presenter view" toggle above the charts enters and leaves it without
reloading the page, so a run in progress goes on. `view` shapes the page, not the experiment: it is a page
parameter (PAGE_PARAMS), kept apart from the settings, so that the settings' check (linviz/query.py) still names
every unknown key and the address bar keeps `view` when a setting changes (linviz_app/widgets.py).
"""
from collections.abc import Mapping

import streamlit as st

from linviz.say import Msg, lang_code
from linviz.text import clip
from linviz_app.i18n import LANGS, t

PAGE_PARAMS = {"view": ("presenter",), "lang": tuple(LANGS)}  # link keys that shape the page: key -> allowed values
KEY = "presenter"  # the toggle's session key; the URL's `view` follows it
CHART_SCALE = 1.25  # charts a quarter taller (their type is projector-sized already): still fit a 1000 px screen
CSS = """<style>
@media (min-width: 641px) {html {font-size: 20px;}}
.stMain .block-container {padding-left: 1.5rem; padding-right: 1.5rem;}
.stMain [data-testid=stVerticalBlock] {gap: 0.45rem;}
</style>"""  # the root font-size scales every rem-sized text (not on a phone, which is no projector); the page's compact layout (linviz_app/layout.py) applies
# too. The Training tab's charts fill the window's height (static/live_chart.js); others grow by their layout
# (`chart_height`): CSS `zoom` would break hover.


def split_link(params: Mapping[str, str]) -> tuple[dict, dict, dict]:
    """A link's query parameters as (page parameters, settings, {key: message} for a page parameter whose value
    is not allowed: a Msg, said in the page's language where it is shown, since a link is read before the page
    knows its language). Unknown keys stay with the settings, whose check names them.

    >>> split_link({"view": "presenter", "lr": "2e-5", "colour": "red"})
    ({'view': 'presenter'}, {'lr': '2e-5', 'colour': 'red'}, {})
    >>> split_link({"view": "huge"})[2]["view"]
    "View (view): got 'huge'. The only view a link can open is presenter (?view=presenter); the normal page is shown."
    """
    page, settings, errors = {}, {}, {}
    for key, value in params.items():
        if key not in PAGE_PARAMS:
            settings[key] = value
        elif value in PAGE_PARAMS[key]:
            page[key] = value
        elif key == "lang" and lang_code(value):  # ?lang=zh-CN, ?lang=ZH, ?lang=cn: Chinese
            page[key] = lang_code(value)
        elif key == "lang":
            allowed = ", ".join(f"{code} ({name})" for code, name in LANGS.items())
            errors[key] = Msg("lang.bad_link", value=repr(clip(str(value), 60)), allowed=allowed)
        else:
            errors[key] = Msg("page.view_bad_link", key=key, value=repr(clip(str(value), 60)))
    return page, settings, errors


def is_on() -> bool:
    """Whether the page is in the presenter view: the toggle once drawn, else the link that opened the session.
    Reads no widget, draws nothing: may run before `st.set_page_config`."""
    if KEY not in st.session_state:
        st.session_state[KEY] = split_link(st.query_params.to_dict())[0].get("view") == "presenter"
    return bool(st.session_state[KEY])


def sidebar_state() -> str:
    """For `st.set_page_config`: the sidebar folded in the presenter view (its arrow still opens it)."""
    return "collapsed" if is_on() else "auto"


def apply() -> None:
    """The presenter view's styles (nothing in the normal view). Call right after `st.set_page_config`."""
    if is_on():
        st.html(CSS)


def chart_height(height: int | None, scale: float | None = None) -> int:
    """A chart's height in pixels: taller in the presenter view, as it was in the normal view (None: plotly.js's
    own default, 450). For live_chart.py, which draws every live chart.

    >>> chart_height(400, scale=1.25), chart_height(None, scale=1.0)
    (500, 450)
    """
    scale = scale if scale is not None else CHART_SCALE if is_on() else 1.0
    return round((height or 450) * scale)


def _follow_toggle() -> None:
    if st.session_state[KEY]:
        st.query_params["view"] = "presenter"
    else:
        st.query_params.pop("view", None)


def toggle_ui(where=st) -> None:
    """The visible way in and out: a toggle, which keeps `?view=presenter` in the address bar while on."""
    is_on()  # seeds the toggle from the link on a session's first run
    where.toggle(t("page.presenter"), key=KEY, on_change=_follow_toggle, help=t("page.presenter_help"))
