"""The page's language: English or Simplified Chinese (中文), chosen in the sidebar and kept in the link (`?lang=zh`, a
page parameter like `view`, not a setting); English by default. The words themselves are in linviz/locales/ (one
file per language, core messages and the page's alike; see linviz/say.py).

`t(key, **values)` says a key in the page's language; `tr(text)` says a core message (a Msg: a field's error, an
outcome sentence) in it and leaves a user's own text as it is. Numbers, code and the tutorial's printed line stay.

Without `?lang=` the page follows the browser's language (`st.context.locale`, navigator.language, sent by the
browser when the session starts): a Chinese browser reads Chinese, any other English.
"""
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from linviz.say import LANGS, TEXTS, lang_code, say, say_in

STRINGS = TEXTS  # lang -> key -> text
KEY = "lang"  # the switch's session key; the link's `lang` follows it
SHOWN = "lang_shown"  # the language the page was last drawn in
# Drop-downs and sliders whose options are shown in words: a browser keeps showing the chosen option's old words after
# a switch unless the page sets the value again (the preset, the device, the Data tab's run, the speed's "max").
WORDED = ("preset", "cfg_device", "data_run", "speed")


def current() -> str:
    """The page's language: the switch once drawn, else the link that opened the session, else the browser's.
    Outside a page's script run (a test building a chart, a benchmark) English."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return "en"
    if KEY not in st.session_state:
        st.session_state[KEY] = lang_code(st.query_params.get(KEY)) or browser_lang()
        st.session_state[SHOWN] = st.session_state[KEY]
    return st.session_state[KEY]


def browser_lang() -> str:
    """The browser's language when it is one of ours (a zh-CN or zh-TW browser reads Simplified Chinese), else
    English."""
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 (no browser: AppTest, bare mode)
        locale = None
    return lang_code(locale) or "en"


def t(key: str, /, **values) -> str:
    """`key`'s text in the page's language, with `values` filled in (Msg values said in it too)."""
    return say(current(), key, **values)


def tr(text):
    """A core message (Msg) in the page's language; any other text or value as it is."""
    return say_in(text, current())


def _follow_switch() -> None:
    """After a switch: the link follows (`lang` stays in it, so a reload or a shared link keeps the choice even
    where the browser's language differs), and the open tab stays open under its name in the new language."""
    new, old = st.session_state[KEY], st.session_state.get(SHOWN, "en")
    if new not in LANGS:  # nothing chosen (the switch is `required`, but a session state can still say None)
        st.session_state[KEY] = new = old
    names = {text: key for key, text in STRINGS[old].items() if key.startswith("tab.")}
    if st.session_state.get("tab") in names:
        st.session_state["tab"] = STRINGS[new][names[st.session_state["tab"]]]
    st.session_state[SHOWN] = new
    st.query_params[KEY] = new
    for key in WORDED:  # set again, so that the browser redraws the chosen option's words in the new language
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def switch_ui(where=st) -> None:
    """The language switch (English / 中文), which keeps `?lang=` in the address bar."""
    current()  # seeds the switch from the link on a session's first run
    where.segmented_control(t("lang.label"), list(LANGS), format_func=LANGS.get, key=KEY, on_change=_follow_switch,
                            help=t("lang.help"), required=True)  # a click on the chosen one does not unselect it
