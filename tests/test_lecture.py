"""Lecture controls under AppTest: the buttons' keyboard shortcuts and help, and the presenter view that a link
(`?view=presenter`) or the toggle opens, whose `view` parameter is not a setting yet stays in the address bar."""
import pytest
from helpers_page import app, charts, texts, train

from linviz_app import presenter
from linviz_app.controls import SHORTCUTS

PRESENTER_CSS = "font-size: 20px"  # a line of presenter.CSS: the page is in the presenter view


def styles(at) -> str:
    return " ".join(el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("key, letter, label", [("btn_train", "T", "Train"), ("btn_pause", "P", "Pause"),
                                                ("btn_step", "S", "Step"), ("btn_reset", "X", "Reset")])
def test_each_lecture_button_has_its_shortcut_and_says_so_in_its_help(key, letter, label):
    button = app().button(key=key)
    assert button.label == label
    assert button.proto.shortcut == letter.lower()  # Streamlit's normal form of the key
    assert button.help.endswith(f"(shortcut: {letter})")


def test_no_shortcut_is_a_key_streamlit_keeps_for_itself():
    assert not {"C", "R"} & {k.upper() for k in SHORTCUTS.values()}


def test_the_resume_button_keeps_the_pause_shortcut_and_says_it_resumes():
    at = app({"epochs": "50"})
    at = at.button(key="btn_step").click().run()  # one epoch, then paused
    resume = at.button(key="btn_pause")
    assert at.session_state["live"].status == "paused"
    assert resume.label == "Resume"
    assert resume.proto.shortcut == "p"
    assert resume.help == "Go on training (shortcut: P)"


def test_a_presenter_link_opens_the_presenter_view_without_an_unknown_setting_warning():
    at = app({"view": "presenter", "lr": "2e-5"})
    assert not at.exception
    assert not at.warning
    assert at.toggle(key="presenter").value
    assert PRESENTER_CSS in styles(at)
    assert at.text_input(key="cfg_lr").value == "2e-5"  # the link's settings are read as before


def test_the_presenter_view_stays_in_the_url_after_a_setting_changes():
    at = app({"view": "presenter"})
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    assert dict(at.query_params) == {"lr": "3e-5", "view": "presenter"}
    assert PRESENTER_CSS in styles(at)


def test_a_normal_link_gets_no_view_parameter_and_no_presenter_styles():
    at = app({"epochs": "40"})
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    assert dict(at.query_params) == {"lr": "3e-5", "epochs": "40"}
    assert not at.toggle(key="presenter").value
    assert PRESENTER_CSS not in styles(at)


def test_unknown_settings_are_still_named_beside_a_presenter_view():
    at = app({"view": "presenter", "colour": "red"})
    assert "Unknown setting 'colour'" in texts(at.warning)
    assert at.toggle(key="presenter").value
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    assert "colour" not in at.query_params  # named once, then dropped like any unusable parameter


def test_a_view_that_does_not_exist_is_named_and_the_normal_page_shown():
    at = app({"view": "giant"})
    assert "View (view): got 'giant'. The only view a link can open is presenter" in texts(at.warning)
    assert not at.toggle(key="presenter").value
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    assert dict(at.query_params) == {"lr": "3e-5"}


def test_the_toggle_enters_and_leaves_the_presenter_view_and_the_run_goes_on():
    at = app({"epochs": "50"})
    at = at.button(key="btn_step").click().run()
    at = at.toggle(key="presenter").set_value(True).run()
    assert at.query_params["view"] == "presenter"
    assert PRESENTER_CSS in styles(at)
    assert at.session_state["live"].state.epoch == 1  # the same session: the run is still there
    at = at.toggle(key="presenter").set_value(False).run()
    assert "view" not in at.query_params
    assert PRESENTER_CSS not in styles(at)
    assert at.session_state["live"].state.epoch == 1


def test_split_link_keeps_page_parameters_apart_from_settings():
    page, settings, errors = presenter.split_link({"view": "presenter", "lr": "2e-5", "view2": "x"})
    assert page == {"view": "presenter"}
    assert settings == {"lr": "2e-5", "view2": "x"}  # not a page parameter: checked as a setting
    assert errors == {}


def test_chart_height_makes_charts_taller_only_when_asked():
    assert presenter.chart_height(420, scale=1.0) == 420
    assert presenter.chart_height(420, scale=1.25) == 525
    assert presenter.chart_height(None, scale=1.25) == round(450 * 1.25)  # plotly.js's default


def test_the_presenter_views_live_charts_are_a_quarter_taller():
    normal = charts(train(app({"epochs": "3"})), "Loss", exact=True)[0]["layout"]["height"]
    big = charts(train(app({"epochs": "3", "view": "presenter"})), "Loss", exact=True)[0]["layout"]["height"]
    assert big == round(normal * presenter.CHART_SCALE)
