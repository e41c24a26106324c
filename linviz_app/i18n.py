"""The page's words in English and Simplified Chinese (中文): one module per language in linviz_app/locales/, each a
dict with the same keys, so a third language is one more file. `t(key, **values)` gives the text in the page's
language. The language: the sidebar's switch, kept in the link (`?lang=zh`, a page parameter like `view`, not a
setting); English by default. Numbers, code and the tutorial's own printed line stay as they are.
"""
from importlib import import_module

import streamlit as st

LANGS = {"en": "English", "zh": "中文"}
STRINGS = {code: import_module(f"linviz_app.locales.{code}").STRINGS for code in LANGS}
KEY = "lang"  # the switch's session key; the link's `lang` follows it
SHOWN = "lang_shown"  # the language the page was last drawn in


def current() -> str:
    """The page's language: the switch once drawn, else the link that opened the session (English if neither)."""
    if KEY not in st.session_state:
        st.session_state[KEY] = st.query_params.get(KEY) if st.query_params.get(KEY) in LANGS else "en"
        st.session_state[SHOWN] = st.session_state[KEY]
    return st.session_state[KEY]


def t(key: str, **values) -> str:
    """`key`'s text in the page's language, with `values` filled in."""
    text = STRINGS[current()][key]
    return text.format(**values) if values else text


def _follow_switch() -> None:
    """After a switch: the link follows, and the open tab stays open under its name in the new language."""
    new, old = st.session_state[KEY], st.session_state.get(SHOWN, "en")
    names = {text: key for key, text in STRINGS[old].items() if key.startswith("tab.")}
    if st.session_state.get("tab") in names:
        st.session_state["tab"] = STRINGS[new][names[st.session_state["tab"]]]
    st.session_state[SHOWN] = new
    if new == "en":
        st.query_params.pop(KEY, None)
    else:
        st.query_params[KEY] = st.session_state[KEY]


def switch_ui(where=st) -> None:
    """The language switch (English / 中文), which keeps `?lang=` in the address bar."""
    current()  # seeds the switch from the link on a session's first run
    where.segmented_control(t("lang.label"), list(LANGS), format_func=LANGS.get, key=KEY, on_change=_follow_switch,
                            help=t("lang.help"))
