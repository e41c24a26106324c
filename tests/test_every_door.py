"""Every door answers with words (issue 24): the page under AppTest with the smallest learning rates (in a link,
typed, mid-run), any number of pinned runs, bad environment variables, and a bug in the page itself: never a
traceback, an exception type, a file path or a source line on a student's page."""
import logging
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from helpers_figures import arr
from helpers_page import app, charts, open_tab, page_texts, plain, texts, train

from linviz.fields import BY_KEY
from linviz_app import compare_tab
from linviz_app.safe import _is_control_flow

ROOT = Path(__file__).resolve().parents[1]
TINY = ["5e-324", "1e-320", "2.2250738585072014e-308", "1e-300"]  # the smallest float (subnormal) and its neighbours


def shows_no_internals(at) -> None:
    """Nothing of the server's insides on the page: no exception element, no traceback, type, path or source."""
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(page_texts(at))
    for leak in ("Traceback", "File \"", ".py", "/work/", "site-packages", "Error:"):
        assert leak not in text, (leak, text[:3000])


# --- the smallest learning rates -------------------------------------------------------------------------------

def test_the_lr_field_allows_the_smallest_float():
    assert BY_KEY["lr"].parse("5e-324") == 5e-324  # so the page must handle it


def band(at) -> tuple[float, float, float]:
    """(lowest lr, highest lr, your lr) of the lr band beside the field."""
    (fig,) = [f for f in charts(at) if any(t.get("mode") == "markers+text" for t in f["data"])]
    xs = np.concatenate([arr(t["x"]) for t in fig["data"] if t.get("mode") != "markers+text"])
    you = next(t for t in fig["data"] if t.get("mode") == "markers+text")["x"][0]
    return float(xs.min()), float(xs.max()), float(you)


@pytest.mark.parametrize("lr", TINY)
def test_a_link_with_the_smallest_lrs_opens_the_hint_and_trains(lr):
    """The issue: /?lr=5e-324 was `ValueError: Geometric sequence cannot include zero` (lr_hint.py)."""
    at = app({"lr": lr, "epochs": "3"})
    shows_no_internals(at)
    assert at.text_input(key="cfg_lr").value == lr
    assert "too slow" in " ".join(m.value for m in at.markdown)
    lo, hi, you = band(at)
    assert 0 < lo <= you <= hi and you == float(lr)
    at = train(at)
    shows_no_internals(at)
    assert at.session_state["live"].status == "done"


@pytest.mark.parametrize("query", [{"optimizer": "momentum"}, {"optimizer": "adam"}, {"standardize": "true"},
                                   {"lang": "zh"}, {"lr": "5e-324,1e-5"}], ids=str)
def test_the_smallest_lr_with_every_optimizer_standardised_in_chinese_and_in_a_sweep(query):
    at = app({"lr": "5e-324", "epochs": "3", **query})
    shows_no_internals(at)
    shows_no_internals(train(at))


def test_typing_the_smallest_lr_and_changing_to_it_mid_run():
    at = app({"epochs": "6"})
    at.text_input(key="cfg_lr").set_value("5e-324").run()  # typed
    shows_no_internals(at)
    at.text_input(key="cfg_lr").set_value("1e-5").run()
    at.button(key="btn_step").click().run()  # a run, paused after one epoch
    live = at.session_state["live"]
    at.text_input(key="cfg_lr").set_value("5e-324").run()  # mid-run: applies from the next epoch
    shows_no_internals(at)
    assert live.cfg.lr == 5e-324 and live.status == "paused"
    at.button(key="btn_step").click().run()
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_pause").click().run()  # Resume: to the end
    shows_no_internals(at)
    assert live.status == "done" and live.state.epoch == 6


# --- pins beyond any count -------------------------------------------------------------------------------------

def test_thirty_pins_keep_distinct_numbered_labels_and_clear_starts_again_at_one():
    """The issue: after 12 pins the Compare labels read #9, #9, #9, #9."""
    at = open_tab(train(app({"epochs": "2"})), "Compare runs")
    for _ in range(29):
        at.button(key="btn_pin").click().run()
    at.text_input(key="cfg_lr").set_value("2e-5").run()
    at = train(at)
    at.button(key="btn_pin").click().run()  # the 30th
    shows_no_internals(at)
    labels = [plain(label) for label in at.dataframe[0].value["run"]]
    kept = compare_tab.MAX_PINNED
    assert labels == [f"#{n}: lr {'2e-5' if n == 30 else '1e-5'}, epoch 2" for n in range(31 - kept, 31)] + [
        "current run"]
    at = open_tab(at, "Training")
    (loss,) = charts(at, "Loss", exact=True)
    names = [t["name"] for t in loss["data"] if t["name"].startswith("#")]
    assert len(set(names)) == len(names) == kept
    at = open_tab(at, "Compare runs")
    at.button(key="btn_clear_pins").click().run()
    at.button(key="btn_pin").click().run()
    assert [p["label"] for p in at.session_state["pins"]] == ["#1: lr 2e-5, epoch 2"]


# --- environment variables on the page -------------------------------------------------------------------------

BAD_ENV = [("LINVIZ_MAX_TRAININGS", "abc"), ("LINVIZ_MAX_TRAININGS", "1.5"), ("LINVIZ_MAX_TRAININGS", "-1"),
           ("LINVIZ_MEMORY_MB", "abc"), ("LINVIZ_MEMORY_MB", "0")]


@pytest.mark.parametrize("name, value", BAD_ENV, ids=lambda x: x)
def test_a_bad_environment_variable_is_one_error_line_and_the_page_trains_with_the_default(name, value, monkeypatch):
    """The issue: LINVIZ_MAX_TRAININGS=abc or 1.5 made every page a traceback, -1 made Train wait forever."""
    monkeypatch.setenv(name, value)
    at = app({"epochs": "3"})
    shows_no_internals(at)
    (error,) = [e for e in at.error if name in plain(e.value)]
    said = plain(error.value)
    assert said.startswith(f"The environment variable {name} is '{value}': use ")
    assert "Until it is fixed, this server uses the default: " in said and "\n" not in said
    at = train(at)
    shows_no_internals(at)
    assert at.session_state["live"].status == "done"
    assert len([e for e in at.error if name in plain(e.value)]) == 1  # still said, once


def test_a_bad_environment_variable_is_named_in_chinese(monkeypatch):
    monkeypatch.setenv("LINVIZ_MAX_TRAININGS", "-1")
    at = app({"lang": "zh"})
    (error,) = [plain(e.value) for e in at.error if "LINVIZ_MAX_TRAININGS" in plain(e.value)]
    assert error.startswith("环境变量 LINVIZ_MAX_TRAININGS 的值 '-1' 无效，应为：1 到 1,000,000 之间的整数")
    assert error.endswith("在修正之前，服务器使用默认值：每个服务器进程同时进行 6 个训练。")


@pytest.mark.parametrize("name, value", [("LINVIZ_MAX_TRAININGS", "4"), ("LINVIZ_MAX_TRAININGS", "0"),
                                         ("LINVIZ_MAX_TRAININGS", ""), ("LINVIZ_MEMORY_MB", "512")])
def test_an_allowed_environment_variable_says_nothing(name, value, monkeypatch):
    monkeypatch.setenv(name, value)
    assert not [e for e in app().error if "LINVIZ_" in e.value]


# --- a bug in the page: a friendly line for the student, the traceback in the server's log ----------------------

@pytest.mark.parametrize("lang, friendly", [("en", "Something went wrong on the server"), ("zh", "服务器出了点问题")])
def test_an_unexpected_exception_shows_a_friendly_line_and_logs_the_traceback(lang, friendly, monkeypatch, caplog):
    from linviz_app import training_tab

    def broken(cfg, live):
        raise RuntimeError("the secret is in /srv/linviz/secret.py line 12")
    monkeypatch.setattr(training_tab, "training_ui", broken)
    with caplog.at_level(logging.ERROR, logger="linviz.page"):
        at = app({"lang": lang})
    shows_no_internals(at)
    said = texts(at.error)
    assert friendly in said and "secret" not in said and "RuntimeError" not in said
    assert "log" in said or "日志" in said  # where the details are
    logged = "\n".join(r.getMessage() + "\n" + logging.Formatter().formatException(r.exc_info)
                       for r in caplog.records if r.name == "linviz.page")
    assert "Traceback" in logged and "RuntimeError: the secret is in /srv/linviz/secret.py" in logged
    assert at.sidebar.text_input(key="cfg_lr").value == "1e-5"  # the sidebar before it is still there


def test_streamlit_stop_and_rerun_pass_through_untouched(monkeypatch):
    import streamlit as st

    from linviz_app import training_tab
    monkeypatch.setattr(training_tab, "training_ui", lambda cfg, live: st.stop())
    at = app()
    assert not at.exception and not [e for e in at.error if "went wrong" in e.value]

    class RerunException(Exception):  # should Streamlit's control flow ever derive from Exception
        pass
    assert _is_control_flow(RerunException()) and not _is_control_flow(RuntimeError())


def test_streamlit_itself_shows_no_error_details():
    """An error outside the page's main (a button's callback) is Streamlit's to show: with no type, message,
    traceback or path ("none"; "false" would still show the traceback)."""
    from streamlit.config import ShowErrorDetailsConfigOptions
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE == "none"


def test_a_bug_in_a_callback_shows_streamlits_redacted_message(monkeypatch):
    def broken(live):
        raise RuntimeError("the secret is in /srv/linviz/secret.py")
    monkeypatch.setattr(compare_tab, "pin", broken)
    at = open_tab(train(app({"epochs": "2"})), "Compare runs")
    at.button(key="btn_pin").click().run()
    (e,) = at.exception
    assert e.proto.type == "" and not list(e.proto.stack_trace) and "secret" not in e.proto.message
    assert re.search(r"redacted", e.proto.message)
