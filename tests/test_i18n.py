"""The page's languages: every key in every language (a missing one fails here, not on the page), the values the
texts fill in are the same in each, and the page opens and trains in each language."""
import string

import pytest
from helpers_page import app, train

from linviz_app import i18n


@pytest.mark.parametrize("lang", [code for code in i18n.LANGS if code != "en"])
def test_every_language_has_exactly_the_english_keys_and_placeholders(lang):
    en, other = i18n.STRINGS["en"], i18n.STRINGS[lang]
    assert other.keys() == en.keys()
    names = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)
    assert {k: names(v) for k, v in other.items()} == {k: names(v) for k, v in en.items()}


def test_the_chinese_page_shows_chinese_controls_and_trains():
    at = train(app({"lang": "zh", "epochs": "5"}))
    assert not at.exception
    assert at.button(key="btn_train").label == "训练"
    assert at.session_state["live"].state.epoch == 5
    assert at.query_params["lang"] == "zh" or at.query_params["lang"] == ["zh"]


def test_english_is_the_default_and_unchanged():
    at = app()
    assert at.button(key="btn_train").label == "Train"
    assert "lang" not in at.query_params


def test_switching_language_keeps_the_open_tab_and_the_run():
    at = train(app({"epochs": "5"}))
    at.session_state["tab"] = "Data"
    at.run()
    at.segmented_control(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.session_state["tab"] == "数据"
    assert at.session_state["live"].state.epoch == 5  # the run on screen is kept
    assert at.query_params["lang"] in ("zh", ["zh"])
