"""The dashboard under Streamlit's AppTest: no browser, but the real script, widgets and session."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def train(at: AppTest) -> AppTest:
    at.select_slider(key="speed").set_value("max").run()
    return at.button(key="btn_train").click().run()


def test_first_load_shows_the_tutorial_defaults_without_exception():
    at = app()
    assert not at.exception
    assert at.text_input(key="cfg_true_weights").value == "2, 3, 4, 7"
    assert at.text_input(key="cfg_lr").value == "1e-5"
    assert at.number_input(key="cfg_n_samples").value == 10 and at.number_input(key="cfg_epochs").value == 100
    assert at.selectbox(key="cfg_device").value == "auto"
    assert not at.button(key="btn_train").disabled and at.button(key="btn_stop").disabled
    assert "Press **Train**" in at.info[0].value


def test_a_short_run_draws_both_charts_with_one_trace_per_weight():
    at = app()
    at.number_input(key="cfg_epochs").set_value(30).run()
    at = train(at)
    assert not at.exception
    live = at.session_state["live"]
    assert live.status == "done" and live.state.epoch == 30
    loss, weights = charts(at)[-2:]
    assert loss["layout"]["title"]["text"] == "Loss" and loss["layout"]["yaxis"]["type"] == "log"
    named = [t for t in weights["data"] if t.get("showlegend", True)]
    assert [t["name"] for t in named] == ["w1 → 2", "w2 → 3", "w3 → 4", "w4 → 7"]
    assert len(weights["data"]) == 8  # plus one dashed target per weight
    assert any("Epoch 30 of 30" in s.value for s in [*at.success, *at.info])


def test_invalid_weights_show_the_core_message_and_do_not_train():
    at = app()
    at.text_input(key="cfg_true_weights").set_value("2, x, 4").run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "True weights (weights): got '2, x, 4'. 'x' is not a number." in messages
    assert at.button(key="btn_train").disabled and at.button(key="btn_step").disabled
    assert at.session_state["live"].history is None and not charts(at)


def test_bad_lr_is_named_next_to_the_field():
    at = app()
    at.text_input(key="cfg_lr").set_value("-3").run()
    assert any("Learning rate (lr): got '-3'" in e.value for e in at.error)
    assert at.button(key="btn_train").disabled


def test_query_parameters_fill_the_widgets_and_follow_changes():
    at = app({"weights": "1,2", "lr": "3e-5", "epochs": "40", "optimizer": "adam", "shuffle": "true"})
    assert at.text_input(key="cfg_true_weights").value == "1, 2"
    assert at.text_input(key="cfg_lr").value == "3e-5"
    assert at.number_input(key="cfg_epochs").value == 40
    assert at.selectbox(key="cfg_optimizer").value == "adam" and at.checkbox(key="cfg_shuffle").value
    at.text_input(key="cfg_lr").set_value("2e-5").run()
    assert at.query_params["lr"] == "2e-5" and at.query_params["weights"] == "1,2"


def test_a_bad_url_parameter_is_named_and_replaced_by_its_default():
    at = app({"lr": "banana", "epochs": "50"})
    assert not at.exception
    assert any("Learning rate (lr): got 'banana'" in w.value for w in at.warning)
    assert at.text_input(key="cfg_lr").value == "1e-5" and at.number_input(key="cfg_epochs").value == 50


def test_changing_the_data_ends_a_paused_run_and_says_so():
    at = app()
    at.button(key="btn_step").click().run()
    live = at.session_state["live"]
    assert live.status == "paused" and live.state.epoch == 1
    at.text_input(key="cfg_lr").set_value("2e-5").run()
    assert live.status == "paused" and live.cfg.lr == 2e-5  # lr applies live
    at.number_input(key="cfg_n_samples").set_value(20).run()
    assert live.status == "stopped" and "ended at epoch 1" in live.notice
    assert any("ended at epoch 1" in i.value for i in at.info)


@pytest.mark.parametrize("weights, kind", [("1,2,3", "scatter"), (",".join(["1"] * 20), "heatmap")])
def test_many_weights_get_a_heatmap_instead_of_lines(weights, kind):
    at = app({"weights": weights, "epochs": "5"})
    at = train(at)
    assert charts(at)[-1]["data"][0]["type"] == kind
