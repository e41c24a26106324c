"""lr sweeps without a browser: their history, status sentence, downloads and charts."""
import csv
import io
import json

import numpy as np
import pytest
from helpers_figures import arr, valid

from linviz import RunConfig, Trainer, train
from linviz.history import MAX_BYTES, MIN_ROWS, History, alive, rows_for
from linviz.sweeps import sweep_csv, sweep_json, sweep_outcome
from linviz_app.charts import MAX_POINTS, loss_figure
from linviz_app.lr_charts import ladder_final_figure, ladder_loss_figure
from linviz_app.sweep_charts import sweep_distance_figure, sweep_loss_figure

LRS = (1e-5, 3e-5, 9e-5)  # converges slowly, converges, diverges (raw 1..100 features diverge above ~7e-5)


def run(cfg: RunConfig, capacity: int = 2000) -> History:
    h = History(cfg.n_weights, capacity, runs=len(cfg.lrs) if cfg.is_sweep else 0)
    for s in train(cfg):
        h.append(s)
    return h


def test_a_sweeps_history_has_one_column_per_run_and_keeps_the_latest_epoch_when_thinned():
    cfg = RunConfig(lr=LRS, epochs=700, true_weights=(2, 3, 4))
    h = run(cfg, capacity=50)
    v = h.view()
    T = len(v["epoch"])
    assert T <= 50
    assert (v["epoch"][0], v["epoch"][-1]) == (0, 700)
    assert np.all(np.diff(v["epoch"]) > 0)
    for column in ("loss", "last_loss", "test_loss", "lr"):
        assert v[column].shape == (T, 3), column
    assert v["weights"].shape == (T, 3, 3)
    np.testing.assert_array_equal(v["weights"][-1], h.last.weights)
    np.testing.assert_array_equal(v["loss"][-1], h.last.loss)
    assert v["diverged_epoch"][2] > 0
    assert list(v["diverged_epoch"][:2]) == [-1, -1]
    ok = alive(v)
    assert ok[:, :2].all()
    assert ok[0, 2]
    assert not ok[-1, 2]


def test_a_single_runs_history_keeps_its_shapes():
    v = run(RunConfig(epochs=5, n_samples=20, test_fraction=0.25)).view()
    for column in ("epoch", "loss", "last_loss", "test_loss", "lr", "elapsed"):
        assert v[column].shape == (6,), column
    assert v["weights"].shape == (6, 4)
    assert "diverged_epoch" not in v


def test_big_sweeps_keep_fewer_rows_within_the_memory_budget():
    assert rows_for(4, 0) == 2000  # the tutorial: the full capacity
    assert rows_for(4, 6) == 2000  # the ladder: the full capacity
    rows = rows_for(1000, 64)
    assert MIN_ROWS <= rows < 2000
    assert rows * 64 * 1004 * 8 <= MAX_BYTES
    h = History(1000, runs=64)
    assert h._w.nbytes + h._r.nbytes + h._t.nbytes <= MAX_BYTES


def test_the_sweep_sentence_names_what_each_lr_did():
    cfg = RunConfig(lr=LRS, epochs=100)
    states = list(train(cfg))
    kind, text = sweep_outcome(cfg, states[-1])
    de = int(states[-1].diverged_epoch[2])
    assert kind == "mixed"
    assert "Converged: lr 1e-5, lr 3e-5" in text
    assert f"Diverged: lr 9e-5 at epoch {de}" in text
    kind, text = sweep_outcome(cfg, states[3], running=True)
    assert kind == "running"
    assert "(lr 1e-5)" in text
    assert sweep_outcome(cfg, states[0])[0] == "initial"
    all_diverge = cfg.replace(lr=(1e-3, 1e-2))
    assert sweep_outcome(all_diverge, list(train(all_diverge))[-1])[0] == "diverged"


def test_a_sweeps_csv_has_a_row_per_epoch_and_run_and_ends_a_diverged_run():
    cfg = RunConfig(lr=LRS, epochs=40, n_samples=20, test_fraction=0.25)
    h = run(cfg)
    rows = list(csv.DictReader(io.StringIO(sweep_csv(h))))
    assert list(rows[0]) == ["epoch", "run", "lr", "loss", "last_loss", "test_loss", "elapsed", "w1", "w2", "w3", "w4"]
    by_run = {r: [row for row in rows if row["run"] == str(r)] for r in (1, 2, 3)}
    assert [int(x["epoch"]) for x in by_run[1]] == list(range(41))
    assert {float(x["lr"]) for x in by_run[2]} == {3e-5}
    de = int(h.last.diverged_epoch[2])
    assert [int(x["epoch"]) for x in by_run[3]] == list(range(de))  # ends at its last finite epoch
    assert all(np.isfinite(float(x["loss"])) for x in rows)
    assert all(np.isfinite(float(x["w4"])) for x in rows)
    assert float(by_run[1][-1]["w4"]) == h.last.weights[0, 3]


def test_a_sweeps_json_has_each_runs_result():
    cfg = RunConfig(lr=LRS, epochs=30)
    s = list(train(cfg))[-1]
    doc = json.loads(sweep_json(cfg, s))
    assert doc["settings"]["lr"] == "1e-5,3e-5,9e-5"
    assert doc["result"]["epoch"] == 30
    runs = doc["result"]["runs"]
    assert [r["lr"] for r in runs] == list(LRS)
    assert [r["diverged"] for r in runs] == [False, False, True]
    assert [r["diverged_epoch"] for r in runs] == [None, None, int(s.diverged_epoch[2])]
    assert json.loads(sweep_json(cfg, None))["result"] is None


def test_the_sweep_loss_chart_draws_one_finite_line_per_lr():
    cfg = RunConfig(lr=LRS, epochs=60, n_samples=20, test_fraction=0.25)
    v = run(cfg).view()
    fig = valid(sweep_loss_figure(v, cfg.lrs))
    lines = [t for t in fig["data"] if t.get("showlegend", True)]
    assert [t["name"] for t in lines] == ["lr 1e-5", "lr 3e-5", "lr 9e-5", "diverged here"]
    assert len(fig["data"]) == 3 + 1 + 3  # plus a dashed test line per lr, out of the legend
    for trace in fig["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace["name"]
        assert np.all(np.isfinite(arr(trace["x"]))), trace["name"]
    de = v["diverged_epoch"][2]
    assert arr(fig["data"][2]["x"])[-1] == de - 1  # the diverged run ends at its last finite epoch
    assert valid(sweep_loss_figure(v, cfg.lrs, log_y=False))["layout"]["yaxis"]["type"] == "linear"


def test_the_sweep_weights_chart_shows_each_lrs_distance_to_the_true_weights():
    cfg = RunConfig(lr=LRS, epochs=60)
    v = run(cfg).view()
    fig = valid(sweep_distance_figure(v, cfg.lrs, cfg.true_weights))
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["data"][0]["name"] == "lr 1e-5"
    for trace in fig["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace["name"]
    expected = np.abs(v["weights"][-1, 1] - np.array(cfg.true_weights)).max()
    np.testing.assert_allclose(arr(fig["data"][1]["y"])[-1], expected, rtol=1e-5)


def test_a_long_sweep_is_thinned_and_many_lrs_become_heatmaps():
    cfg = RunConfig(lr=LRS, epochs=3000)
    fig = valid(sweep_loss_figure(run(cfg).view(), cfg.lrs))
    assert all(len(arr(t["x"])) <= MAX_POINTS + 1 for t in fig["data"])
    many = RunConfig(lr=tuple(np.geomspace(1e-6, 2e-4, 14)), epochs=30)
    v = run(many).view()
    for fig in (sweep_loss_figure(v, many.lrs), sweep_distance_figure(v, many.lrs, many.true_weights)):
        (heat,) = valid(fig)["data"]
        assert heat["type"] == "heatmap"
        assert arr(heat["z"]).shape == (14, 31)


def test_an_lr_change_mid_sweep_is_marked():
    cfg = RunConfig(lr=(1e-5, 2e-5), epochs=20)
    t, h = Trainer(cfg), History(4, runs=2)
    h.append(t.state)
    while not t.done:
        if t.epoch == 8:
            t.set_lr((2e-5, 3e-5))
        h.append(t.step())
    fig = valid(sweep_loss_figure(h.view(), (2e-5, 3e-5)))
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [9]
    assert valid(loss_figure(run(RunConfig(epochs=3)).view()))  # single runs unchanged


@pytest.mark.parametrize("running", [False, True])
def test_ladder_figures_from_a_sweeps_history(running):
    lrs, factors = (6e-6, 1.8e-5, 3.6e-5, 5.4e-5, 6.3e-5, 9.1e-5), (0.1, 0.3, 0.6, 0.9, 1.05, 1.5)
    h = run(RunConfig(lr=lrs, epochs=100))
    fig = valid(ladder_loss_figure(h.view(), lrs, factors))
    assert len([t for t in fig["data"] if t["name"] != "diverged here"]) == 6
    for trace in fig["data"]:
        assert np.all(np.isfinite(arr(trace["y"]))), trace["name"]
    s = h.last
    final = valid(ladder_final_figure(lrs, s.loss, s.diverged, 6.1e-5, running))
    assert final["data"][0]["name"] == ("loss now" if running else "final loss")


def test_the_run_time_estimate_counts_every_run_of_a_sweep():
    from linviz.analysis import analyze, ladder
    from linviz.estimate import estimate_seconds, long_run_warning

    one = RunConfig(n_samples=100_000, true_weights=tuple(range(1, 51)), epochs=400)
    many = one.replace(lr=tuple(1e-6 * k for k in range(1, 65)))
    assert estimate_seconds(many) > 3 * estimate_seconds(one)
    assert "x 64 learning rates" in long_run_warning(many)
    assert "This sweep" in long_run_warning(many)
    tutorial = RunConfig(epochs=200_000)
    assert estimate_seconds(ladder(tutorial, analyze(tutorial))) > estimate_seconds(tutorial)
