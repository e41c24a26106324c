"""lr sweeps and the ladder through the page (AppTest): they train in the live loop like any run.

AppTest cannot click while a script runs: a timer thread calls what the Stop button calls (`live.stop`),
as a click's callback would: it takes the run's lock, so it lands between two epochs."""
import csv
import io
import json
import threading

import numpy as np
import pytest
from helpers_figures import arr
from helpers_page import app, charts, open_tab, texts, train

from linviz.errors import ConfigError
from linviz.sweeps import sweep_csv, sweep_json
from linviz_app import live as live_module
from linviz_app.training_cap import TRAINING_CAP

LRS = "1e-5, 3e-5, 9e-5"


def lines(fig: dict) -> list[str]:
    return [t["name"] for t in fig["data"] if t.get("showlegend", True) and t["name"] != "diverged here"]


def test_an_lr_list_trains_as_a_sweep_with_one_line_per_lr():
    at = app({"lr": LRS.replace(" ", "")})
    at = train(at)
    assert not at.exception
    live = at.session_state["live"]
    assert live.status == "done"
    assert live.cfg.lrs == (1e-5, 3e-5, 9e-5)
    assert live.state.epoch == 100
    (loss,), (dist,) = charts(at, "Loss per learning rate"), charts(at, "Distance to the true weights")
    assert lines(loss) == ["lr 1e-5", "lr 3e-5", "lr 9e-5"]
    assert lines(dist) == lines(loss)
    for trace in loss["data"] + dist["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace["name"]
    status = texts([*at.info, *at.success, *at.error])
    assert "3 learning rates · Epoch 100 of 100" in status
    assert "Diverged: lr 9e-5 at epoch" in status
    assert "Converged: lr 1e-5, lr 3e-5" in status


def test_a_sweeps_downloads_are_well_formed():
    at = train(app({"lr": "1e-5,9e-5", "epochs": "30"}))
    live = at.session_state["live"]
    assert not at.download_button(key="dl_csv").disabled
    assert not at.download_button(key="dl_json").disabled
    rows = list(csv.DictReader(io.StringIO(sweep_csv(live.history))))
    assert {r["run"] for r in rows} == {"1", "2"}
    assert len([r for r in rows if r["run"] == "1"]) == 31
    assert all(np.isfinite(float(r["loss"])) for r in rows)
    doc = json.loads(sweep_json(live.cfg, live.state))
    assert [r["lr"] for r in doc["result"]["runs"]] == [1e-5, 9e-5]
    assert doc["result"]["runs"][1]["diverged"]


def test_typing_an_lr_list_mid_run_ends_the_run_then_train_trains_the_sweep():
    at = app()
    at.button(key="btn_step").click().run()
    live = at.session_state["live"]
    assert live.status == "paused"
    assert live.state.epoch == 1
    at.text_input(key="cfg_lr").set_value("1e-5, 2e-5").run()
    assert not at.exception
    assert live.status == "stopped"
    assert "number of learning rates (1 to 2)" in live.notice
    assert "Press Train to start again" in texts(at.info)
    at = train(at)
    assert not at.exception
    assert live.status == "done"
    assert live.cfg.lrs == (1e-5, 2e-5)
    assert lines(charts(at, "Loss per learning rate")[0]) == ["lr 1e-5", "lr 2e-5"]
    at.button(key="btn_step").click().run()  # 2 -> 3 lrs mid-run ends it the same way
    at.text_input(key="cfg_lr").set_value("1e-5, 2e-5, 3e-5").run()
    assert not at.exception
    assert live.status == "stopped"
    assert "(2 to 3)" in live.notice


def test_new_values_for_the_same_number_of_lrs_apply_live():
    at = app({"lr": "1e-5,2e-5"})
    at.button(key="btn_step").click().run()
    live = at.session_state["live"]
    at.text_input(key="cfg_lr").set_value("3e-5, 4e-5").run()
    assert not at.exception
    assert live.status == "paused"
    assert live.cfg.lrs == (3e-5, 4e-5)
    assert "Learning rates changed to 3e-5, 4e-5 from epoch 2 on" in texts(at.info)
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_pause").click().run()  # resume
    assert live.status == "done"
    v = live.history.view()
    np.testing.assert_array_equal(v["lr"][1], [1e-5, 2e-5])
    np.testing.assert_array_equal(v["lr"][-1], [3e-5, 4e-5])
    (loss,) = charts(at, "Loss per learning rate")
    assert [s["x0"] for s in loss["layout"]["shapes"]] == [2]


def test_the_ladder_waits_for_a_training_slot_and_says_so(monkeypatch):
    monkeypatch.setattr(TRAINING_CAP, "limit", 0)
    at = open_tab(app(), "Learning-rate ladder")
    live = at.session_state["live"]
    timer = threading.Timer(1.5, live.stop)  # the student gives up waiting: Stop
    timer.start()
    at.button(key="btn_ladder").click().run()
    timer.join()
    assert not at.exception
    assert "Waiting for a free slot" in texts(at.warning)
    assert live.ladder is not None
    assert live.status == "stopped"
    assert live.state.epoch == 0
    assert TRAINING_CAP.busy == 0


def test_stop_during_a_ladder_run_stops_it():
    at = open_tab(app({"epochs": "1000"}), "Learning-rate ladder")
    at.select_slider(key="speed").set_value(50).run()  # 20 s for the whole ladder
    live = at.session_state["live"]
    timer = threading.Timer(1.0, live.stop)  # what the Stop button calls, while the ladder trains
    timer.start()
    at.button(key="btn_ladder").click().run()
    timer.join()
    assert not at.exception
    assert live.status == "stopped"
    assert 0 < live.state.epoch < 1000
    assert TRAINING_CAP.busy == 0
    assert "stopped" in texts(at.info) or "stopped" in texts(at.caption)
    (curves,) = charts(at, "Ladder: loss")
    assert len(lines(curves)) == 6
    assert arr(curves["data"][0]["x"])[-1] == live.state.epoch


@pytest.mark.parametrize("tab", ["Compare runs", "Show me the code"])
def test_pins_and_the_code_say_they_take_one_lr(tab):
    at = train(app({"lr": "1e-5,3e-5", "epochs": "10"}))
    at = open_tab(at, tab)
    assert not at.exception
    if tab == "Compare runs":
        assert at.button(key="btn_pin").disabled
        assert "Pinning keeps a run with one learning rate" in texts(at.caption)
    else:
        assert "choose which run it reproduces" in texts(at.caption)
        at.selectbox(key="code_lr").set_value(3e-5).run()
        assert "n_samples, lr, epochs, batch_size = 10, 3e-5, 10, 1" in at.code[0].value


def test_reset_after_a_ladder_forgets_it():
    at = open_tab(app(), "Learning-rate ladder")
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_ladder").click().run()
    assert at.session_state["live"].status == "done"
    assert "ladder" in at.session_state
    at.button(key="btn_reset").click().run()
    assert not at.exception
    assert "ladder" not in at.session_state
    assert at.session_state["live"].status == "idle"
    assert not charts(at, "Ladder")


def test_a_ladder_the_machine_refuses_as_it_starts_keeps_the_run_on_screen_and_says_why(monkeypatch):
    at = train(app({"epochs": "5"}))
    at = open_tab(at, "Learning-rate ladder")

    def refuse_sweeps(cfg):  # memory taken by others between the tab's check and the click
        if cfg.is_sweep:
            raise ConfigError("n_samples", cfg.n_samples, "not enough memory now.")

    monkeypatch.setattr(live_module, "check_machine", refuse_sweeps)
    at.button(key="btn_ladder").click().run()
    assert not at.exception
    assert "ladder" not in at.session_state
    assert at.session_state["live"].state.epoch == 5
    assert "not enough memory now" in texts(at.info)
