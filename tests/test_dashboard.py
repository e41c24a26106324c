"""The dashboard under Streamlit's AppTest: no browser, but the real script, widgets and session."""
import json

import numpy as np
import pytest
from helpers_figures import arr
from helpers_page import app, charts, open_tab, plain, texts, train

from linviz import RunConfig
from linviz.analysis import analyze
from linviz.presets import preset
from linviz.report import history_csv, result_json
from linviz.text import fmt_number


def test_first_load_shows_the_tutorial_defaults_without_exception():
    at = app()
    assert not at.exception
    assert at.text_input(key="cfg_true_weights").value == "2, 3, 4, 7"
    assert at.text_input(key="cfg_lr").value == "1e-5"
    assert at.text_input(key="cfg_n_samples").value == "10"
    assert at.text_input(key="cfg_epochs").value == "100"
    assert at.selectbox(key="cfg_device").value == "auto"
    assert not at.button(key="btn_train").disabled
    assert at.button(key="btn_stop").disabled
    assert "Its weights start random" in at.info[0].value  # the intro; what Train will do is on the Training tab
    assert any("**Train** runs 100 epochs of per-sample SGD at lr 1e-5 on 10 samples" in m.value for m in at.markdown)


def test_a_short_run_draws_both_charts_with_one_trace_per_weight():
    at = app()
    at.text_input(key="cfg_epochs").set_value("30").run()
    at = train(at)
    assert not at.exception
    live = at.session_state["live"]
    assert live.status == "done"
    assert live.state.epoch == 30
    (loss,), (weights,) = charts(at, "Loss", exact=True), charts(at, "Weights")
    assert loss["layout"]["title"]["text"] == "Loss"
    assert loss["layout"]["yaxis"]["type"] == "log"
    named = [t for t in weights["data"] if t.get("showlegend", True)]
    assert [t["name"] for t in named] == ["w1 → 2", "w2 → 3", "w3 → 4", "w4 → 7"]
    assert len(weights["data"]) == 8  # plus one dashed target per weight
    assert any("Epoch 30 of 30" in s.value for s in [*at.success, *at.info])


def test_invalid_weights_show_the_core_message_and_do_not_train():
    at = app()
    at.text_input(key="cfg_true_weights").set_value("2, x, 4").run()
    assert not at.exception
    messages = texts(at.error)
    assert "True weights (weights): got '2, x, 4'. 'x' is not a number." in messages
    assert at.button(key="btn_train").disabled
    assert at.button(key="btn_step").disabled
    assert at.session_state["live"].history is None
    assert not charts(at, "Loss", exact=True)


def test_bad_lr_is_named_next_to_the_field():
    at = app()
    at.text_input(key="cfg_lr").set_value("-3").run()
    assert "Learning rate (lr): got '-3'" in texts(at.error)
    assert at.button(key="btn_train").disabled


def test_query_parameters_fill_the_widgets_and_follow_changes():
    at = app({"weights": "1,2", "lr": "3e-5", "epochs": "40", "optimizer": "adam", "shuffle": "true"})
    assert at.text_input(key="cfg_true_weights").value == "1, 2"
    assert at.text_input(key="cfg_lr").value == "3e-5"
    assert at.text_input(key="cfg_epochs").value == "40"
    assert at.selectbox(key="cfg_optimizer").value == "adam"
    assert at.checkbox(key="cfg_shuffle").value
    at.text_input(key="cfg_lr").set_value("2e-5").run()
    assert at.query_params["lr"] == "2e-5"
    assert at.query_params["weights"] == "1,2"


def test_a_bad_url_parameter_is_named_and_replaced_by_its_default():
    at = app({"lr": "banana", "epochs": "50"})
    assert not at.exception
    assert "Learning rate (lr): got 'banana'" in texts(at.warning)
    assert at.text_input(key="cfg_lr").value == "1e-5"
    assert at.text_input(key="cfg_epochs").value == "50"


def test_changing_the_data_ends_a_paused_run_and_says_so():
    at = app()
    at.button(key="btn_step").click().run()
    live = at.session_state["live"]
    assert live.status == "paused"
    assert live.state.epoch == 1
    at.text_input(key="cfg_lr").set_value("2e-5").run()
    assert live.status == "paused"
    assert live.cfg.lr == 2e-5  # lr applies live
    at.text_input(key="cfg_n_samples").set_value("20").run()
    assert live.status == "stopped"
    assert "ended at epoch 1" in live.notice
    assert "ended at epoch 1" in texts(at.info)


@pytest.mark.parametrize("weights, kind", [("1,2,3", "scatter"), (",".join(["1"] * 20), "heatmap")])
def test_many_weights_get_a_heatmap_instead_of_lines(weights, kind):
    at = app({"weights": weights, "epochs": "5"})
    at = train(at)
    (weights,) = charts(at, "Weights") or charts(at, "|w - w*| for")
    assert weights["data"][0]["type"] == kind


# --- learning-rate intuition (the analysis, presets, ladder, landscape, pins, code) ---------------------
def test_the_lr_field_knows_the_data_and_offers_the_fastest_lr():
    at = app()
    hint = " ".join(m.value for m in at.markdown)
    assert "x** the divergence threshold" in hint
    assert "converges smoothly" in hint
    assert charts(at)
    assert any(t.get("name") == "diverges" for f in charts(at) for t in f["data"])  # the band
    at.button(key="btn_fastest_lr").click().run()
    a = analyze(RunConfig())
    assert float(at.text_input(key="cfg_lr").value) == pytest.approx(a.best_lr, rel=0.05)


def test_a_preset_fills_the_settings_and_shows_its_behaviour():
    at = app()
    at.selectbox(key="preset").set_value("Diverging").run()
    assert float(at.text_input(key="cfg_lr").value) == preset("Diverging", 0).lr
    at = train(at)
    assert at.session_state["live"].state.run(0).diverged
    assert "Diverged at epoch" in texts(at.error)


def test_the_ladder_trains_six_lrs_around_the_threshold():
    at = open_tab(app(), "Learning-rate ladder")
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_ladder").click().run()
    assert not at.exception
    (curves,), (final,) = charts(at, "Ladder: loss"), charts(at, "Ladder: where training ends up")
    res = at.session_state["ladder"]
    assert final["layout"]["shapes"][0]["x0"] == pytest.approx(res["threshold"])
    names = [t["name"] for t in curves["data"] if t["name"] != "diverged here"]
    assert len(names) == 6
    assert names == [f"lr {fmt_number(lr)}" for lr in res["cfg"].lrs]  # as on every tab (lr_colours.py)
    ends = sorted(curves["layout"]["annotations"], key=lambda a: a["x"])  # each line's multiple of the threshold
    assert {a["text"] for a in ends} == {"0.1x", "0.3x", "0.6x", "0.9x", "1.05x", "1.5x"}
    live = at.session_state["live"]  # the ladder is the page's live run, a sweep of six lrs
    assert live.ladder is res
    assert live.history is res["history"]
    assert live.status == "done"
    assert list(live.state.diverged) == [False, False, False, False, True, True]
    for trace in curves["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace["name"]


def test_the_landscape_draws_the_training_path_on_the_contour():
    at = open_tab(app({"epochs": "20"}), "Loss landscape")
    at = train(at)  # trains while the landscape tab is open, drawing the path
    (land,) = charts(at, "Loss over w1 and w2")
    kinds = [t["type"] for t in land["data"]]
    assert kinds[0] == "contour"
    assert any(t.get("name") == "training path" for t in land["data"])


def test_pinned_runs_overlay_the_loss_chart_and_the_table_shows_what_differs():
    at = open_tab(app({"epochs": "20"}), "Compare runs")
    at = train(at)
    at.button(key="btn_pin").click().run()
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    at = train(at)
    table = at.dataframe[0].value
    assert list(table.columns) == ["run", "lr"]
    assert list(table["lr"]) == ["1e-5", "3e-5"]
    at = open_tab(at, "Training")
    (loss,) = charts(at, "Loss", exact=True)
    assert loss["data"][0]["name"].startswith("#1: lr 1e-5")
    at = open_tab(at, "Compare runs")
    at.button(key="btn_clear_pins").click().run()
    assert at.session_state["pins"] == []


def test_the_code_tab_shows_a_script_for_the_current_settings():
    at = open_tab(app({"lr": "2e-5"}), "Show me the code")
    code = at.code[0].value
    assert "n_samples, lr, epochs, batch_size = 10, 2e-5, 100, 1" in code
    assert "optimizer.step()" in code


def test_a_run_estimated_over_a_minute_is_announced_before_training():
    # Long because of its epochs, not its data: a million samples would make the page's analysis the slow part.
    at = app({"samples": "2000", "weights": ",".join(["1"] * 100), "epochs": "1000000"})
    assert "estimated to take about" in texts(at.warning)
    assert not at.button(key="btn_train").disabled
    assert "estimated" not in texts(app().warning)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_divergence_at_lr_1e9_stops_cleanly_and_no_nan_reaches_charts_or_downloads(optimizer):
    at = app({"lr": "1e9", "optimizer": optimizer, "epochs": "50"})
    at = train(at)
    assert not at.exception
    live = at.session_state["live"]
    assert live.state.run(0).diverged
    assert "Diverged at epoch" in texts(at.error)
    (loss,), (weights,) = charts(at, "Loss", exact=True), charts(at, "Weights")
    for trace in loss["data"][:1] + weights["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace.get("name", trace)
    csv_text = history_csv(live.history)
    assert "nan" not in csv_text.lower()
    assert "inf" not in csv_text.lower()
    assert json.loads(result_json(live.cfg, live.state))["result"]["diverged"] is True


def test_step_after_stop_goes_on_from_where_the_run_stopped():
    at = app({"epochs": "50"})
    at.button(key="btn_step").click().run()
    at.button(key="btn_step").click().run()
    live = at.session_state["live"]
    at.button(key="btn_stop").click().run()
    assert live.status == "stopped"
    assert live.state.epoch == 2
    at.button(key="btn_step").click().run()
    assert live.status == "paused"
    assert live.state.epoch == 3  # the same run, one epoch on


def test_many_bad_link_parameters_share_one_warning():
    at = app({"lr": "x", "epochs": "0", "samples": "-1", "seed": "y", "gamma": "5", "momentum": "7", "zzz": "1"})
    assert len(at.warning) == 1
    assert "and 2 more" in at.warning[0].value
    assert "Learning rate (lr)" in plain(at.warning[0].value)
