"""The page's languages: every key in every language (a missing one fails here, not on the page), the values the
texts fill in are the same in each, and the page opens and trains in each language."""
import re
import string

import pytest
from helpers_page import app, english_left, english_words, open_tab, plain, texts, train
from hypothesis import example, given, settings
from strategies import configs, query_texts

from linviz import to_query
from linviz_app import i18n
from linviz_app.widgets import KEY

TABS = [key.removeprefix("tab.") for key in i18n.STRINGS["en"] if key.startswith("tab.")]
PAGE = settings(max_examples=max(6, settings.default.max_examples // 4))  # each example runs the page ~2 times


@pytest.mark.parametrize("lang", [code for code in i18n.LANGS if code != "en"])
def test_every_language_has_exactly_the_english_keys_and_placeholders(lang):
    en, other = i18n.STRINGS["en"], i18n.STRINGS[lang]
    assert other.keys() == en.keys()
    names = lambda text: sorted((f, spec) for _, f, spec, _ in string.Formatter().parse(text) if f)  # and formats
    assert {k: names(v) for k, v in other.items()} == {k: names(v) for k, v in en.items()}


JOINS = {"field.name", "core.sweep.group", "core.sweep.then", "core.list.comma", "page.not_offered_one",
         "page.not_offered_sep", "page.hint.notes_sep", "page.status.sep", "page.live.list", "tabs.land.list_sep"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(i18n.STRINGS["zh"]))
def test_every_chinese_text_is_chinese(key):
    """Each text on its own, filled in (a number fits every format spec): Chinese words, no English word left but
    the kept ones (helpers_page.english_words); only the joins and separators (JOINS) have no Chinese character."""
    zh = i18n.STRINGS["zh"][key]
    filled = zh.format(**{f: 1234.5 for _, f, _, _ in string.Formatter().parse(zh) if f})
    assert english_words(filled) == [], filled
    assert bool(CJK.search(zh)) != (key in JOINS), zh


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


# --- The whole Chinese page: no English word left, in every tab, in every state a lecture reaches ---------------
# english_left (helpers_page.py) reads every label, help text, option, message, table header and chart word the
# page shows; code blocks, numbers, link keys and the tutorial's printed line are kept as they are.
SCENES = {  # a state of the page -> the link that reaches it (trained at max speed)
    "the tutorial, trained": {"epochs": "30"},
    "diverged": {"lr": "1e-3", "epochs": "20"},
    "a sweep of three lrs": {"lr": "1e-5,3e-5,9e-5", "epochs": "20"},
    "noisy labels, a test split, momentum, a step schedule": {
        "noise_std": "5", "test_fraction": "0.3", "optimizer": "momentum", "schedule": "step", "epochs": "20"},
    "fewer samples than weights": {"samples": "2", "epochs": "20"},
    "standardised, adam, presenter view": {"standardize": "true", "optimizer": "adam", "lr": "0.1",
                                           "view": "presenter", "epochs": "20"},
    "bad settings in the link": {"samples": "abc", "weights": "2,x", "momentum": "7", "view": "nope"},
}


@pytest.mark.parametrize("scene", list(SCENES))
def test_every_tab_of_the_chinese_page_is_chinese(scene):
    at = train(app({"lang": "zh", **SCENES[scene]}))
    assert not at.exception
    for tab in TABS:
        at = open_tab(at, i18n.STRINGS["zh"][f"tab.{tab}"])
        assert not at.exception, tab
        assert english_left(at) == [], f"{scene}, {tab} tab"


def test_a_bad_value_typed_into_the_sidebar_is_named_in_chinese():
    at = app({"lang": "zh"})
    at.text_input(key=KEY["true_weights"]).set_value("2, 3, x").run()
    shown = " ".join(plain(e.value) for kind in ("error", "warning", "caption", "markdown") for e in at.get(kind))
    assert "真实权重（weights）：填写的是 '2, 3, x'。'x' 不是一个数。" in shown
    assert english_left(at) == []
    assert at.button(key="btn_train").disabled


@PAGE
@given(query_texts())
@example({"samples": "4600000"})
@example({"weights": "1" * 5000})
@example({"0": ""})  # the list of known link keys once read as English
@example({"samples": "don't"})  # a user's text echoed in double quotes once read as English
def test_any_link_on_the_chinese_page_is_answered_in_chinese(query):
    at = app({**query, "lang": "zh"})
    assert not at.exception
    assert english_left(at) == [], query


@PAGE
@given(configs(max_cells=1500, max_epochs=3))
def test_any_valid_run_ends_in_chinese(cfg):
    at = train(app({**to_query(cfg), "lang": "zh"}))
    assert not at.exception
    assert at.session_state["live"].status == "done"
    assert english_left(at) == [], to_query(cfg)


@pytest.mark.parametrize("written", ["zh-CN", "ZH", "cn", "zh_TW"])
def test_a_link_names_chinese_as_people_write_it(written):
    at = app({"lang": written})
    assert at.button(key="btn_train").label == "训练"
    assert not at.warning


def test_an_unknown_language_in_a_link_is_named_and_the_page_stays_usable():
    at = app({"lang": "fr"})
    assert at.button(key="btn_train").label == "Train"
    assert "Language (lang): got 'fr'. Allowed: en (English), zh (中文)." in texts(at.warning)


def test_a_chosen_language_stays_in_the_link_and_the_switch_cannot_be_emptied():
    at = app({"lang": "zh"})
    at.segmented_control(key="lang").set_value("en").run()
    assert at.query_params["lang"] in ("en", ["en"])  # a reload, or a Chinese browser opening the link, keeps English
    assert at.button(key="btn_train").label == "Train"
    at.segmented_control(key="lang").set_value(None).run()  # a click on the chosen option
    assert not at.exception
    assert at.button(key="btn_train").label == "Train"
