"""The Data tab: the samples with the current predictions (linviz/samples.py), its charts (data_charts.py)
checked against NumPy, and the tab through the page (AppTest) for a single run, a sweep, a test split, noise,
and the extremes (1 sample, 1,000 weights, 100,000 samples). A generated test: the view never raises."""
from types import SimpleNamespace

import numpy as np
import pytest
from helpers_figures import arr, valid
from helpers_page import app, charts, open_tab, train
from hypothesis import given
from strategies import configs

from linviz import RunConfig, make_dataset
from linviz import train as train_states
from linviz.samples import MAX_POINTS, predict, select
from linviz_app.charts import PALETTE
from linviz_app.data_charts import parity_figure, parity_range, sample_table, samples_figure
from linviz_app.data_tab import notes

PARITY = "Prediction vs target"


def points(fig: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    (t,) = [t for t in fig["data"] if t.get("name") == name]
    return arr(t["x"]), arr(t["y"])


def test_predictions_are_the_raw_features_times_the_weights():
    cfg = RunConfig(epochs=5)
    data = make_dataset(cfg)
    s = select(data)
    W = list(train_states(cfg))[-1].weights  # (1, 4)
    np.testing.assert_array_equal(s.X, data.X.astype(np.float64))  # the tutorial's integers, unchanged
    np.testing.assert_allclose(predict(data, s, W)[0], data.X.astype(np.float64) @ W[0], rtol=1e-12)


def test_standardised_data_is_shown_raw_and_predicted_in_the_targets_units():
    cfg = RunConfig(standardize=True, n_samples=20)
    raw = make_dataset(cfg.replace(standardize=False))
    data = make_dataset(cfg)
    s = select(data)
    np.testing.assert_allclose(s.X, raw.X, rtol=1e-6)  # raw x, from the standardised copy the model trains on
    np.testing.assert_allclose(s.y, raw.y, rtol=1e-6)
    w_true = np.array([cfg.true_weights])
    np.testing.assert_allclose(predict(data, s, w_true)[0], raw.X.astype(np.float64) @ w_true[0], rtol=1e-6)


def test_many_samples_are_thinned_evenly_with_test_samples_in_proportion():
    cfg = RunConfig(n_samples=100_000, test_fraction=0.2)
    s = select(make_dataset(cfg))
    assert len(s.y) <= MAX_POINTS + 1
    assert s.test.sum() == pytest.approx(0.2 * len(s.y), abs=2)
    assert s.total == 100_000
    assert (s.number[~s.test][0], s.number[~s.test][-1]) == (1, 80_000)  # first and last kept


def test_the_parity_plot_holds_targets_against_numpys_predictions_and_walks_onto_the_diagonal():
    cfg = RunConfig(n_samples=20, test_fraction=0.25)
    data = make_dataset(cfg)
    s = select(data)
    states = list(train_states(cfg))
    bounds = parity_range(s.y, predict(data, s, states[0].weights))
    gaps = []
    for state in (states[0], states[-1]):
        fig = valid(parity_figure(s, predict(data, s, state.weights), ["prediction"], list(PALETTE), bounds))
        x, y = points(fig, "prediction")
        xt, yt = points(fig, "prediction: held-out test samples")
        X_raw = np.r_[data.X, data.X_test].astype(np.float64)
        np.testing.assert_allclose(np.r_[x, xt], np.r_[data.y, data.y_test], rtol=1e-6)  # float32 on the wire
        np.testing.assert_allclose(np.r_[y, yt], X_raw @ state.weights[0], rtol=1e-5)
        assert fig["data"][0]["name"].startswith("perfect fit")
        gaps.append(np.abs(y - x).mean())
    assert gaps[1] < 0.01 * gaps[0]


def test_points_beyond_the_axes_are_counted_on_the_chart():
    cfg = RunConfig()
    s = select(make_dataset(cfg))
    pred = s.y[None] * 1.0
    pred[0, :3] = [1e9, -1e9, np.inf]
    fig = valid(parity_figure(s, pred, ["run"], list(PALETTE), parity_range(s.y, s.y[None])))
    assert fig["layout"]["annotations"][0]["text"].startswith("3 points beyond the axes:<br>")  # and why
    fig = valid(parity_figure(s, pred, ["run"], list(PALETTE), parity_range(s.y, s.y[None]), diverged=[True]))
    assert fig["layout"]["annotations"][0]["text"] == ("3 points beyond the axes:<br>the run diverged, so its "
                                                       "predictions<br>run off the chart")


def test_the_samples_chart_draws_each_residual_from_target_to_prediction():
    cfg = RunConfig()
    data = make_dataset(cfg)
    s = select(data)
    pred = predict(data, s, np.array([[2.0, 3.0, 4.0, 6.0]]))[0]
    fig = valid(samples_figure(s, pred, PALETTE[0], parity_range(s.y, pred[None])))
    seg_x, seg_y = points(fig, "residual")
    np.testing.assert_allclose(seg_y.reshape(-1, 3)[:, :2], np.c_[s.y, pred], rtol=1e-6)
    np.testing.assert_array_equal(seg_x.reshape(-1, 3)[:, 0], np.arange(1, 11))


def test_the_table_shows_the_first_samples_and_the_first_features_of_many():
    cfg = RunConfig(true_weights=tuple(float(i % 7) for i in range(1000)), n_samples=30)
    data = make_dataset(cfg)
    s = select(data)
    pred = predict(data, s, np.ones((1, 1000)))[0]
    table = sample_table(s, pred)
    assert list(table) == ["sample", "x1", "x2", "x3", "x4", "x5", "x6", "x7..x1000", "target y", "prediction",
                           "residual"]
    assert all(len(col) == 10 for col in table.values())
    assert float(table["residual"][0]) == pytest.approx(pred[0] - s.y[0], rel=1e-2)


def test_the_notes_say_what_noise_a_split_standardising_and_thinning_mean():
    cfg = RunConfig(n_samples=5000, noise_std=10.0, test_fraction=0.2, standardize=True, true_weights=(1.0,) * 8)
    text = " ".join(notes(cfg, make_dataset(cfg), SimpleNamespace(history=None, best=None)))
    assert "noise" in text and "not on it" in text
    assert "1,000 held-out test samples" in text
    assert "show them raw" in text
    assert "about 2,000 of them" in text
    assert "the first 6" in text


# --- the tab through the page (AppTest) --------------------------------------------------------------------


def test_the_data_tab_shows_the_initial_predictions_then_trains_onto_the_diagonal():
    at = open_tab(app(), "Data")
    assert not at.exception
    (before,) = charts(at, PARITY)
    assert before["layout"]["title"]["text"] == "Prediction vs target, epoch 0"
    at = train(at)
    assert not at.exception
    (after,) = charts(at, PARITY)
    assert after["layout"]["title"]["text"] == "Prediction vs target, epoch 100"
    x, y = points(after, "prediction")
    live = at.session_state["live"]
    np.testing.assert_allclose(y, live.trainer.data.X.astype(np.float64) @ live.state.weights[0], rtol=1e-5)
    assert np.abs(y - x).max() < 0.1  # the tutorial converges: every point on the diagonal
    assert charts(at, "Each sample")
    assert len(at.dataframe) == 1


def test_a_sweep_has_one_colour_per_lr_and_a_choice_of_run_for_the_samples():
    at = train(open_tab(app({"lr": "1e-5,3e-5", "epochs": "20"}), "Data"))
    assert not at.exception
    (parity,) = charts(at, PARITY)
    named = [t for t in parity["data"] if t["name"].startswith("lr ")]
    assert [t["name"] for t in named] == ["lr 1e-5", "lr 3e-5"]
    assert len({t["marker"]["color"] for t in named}) == 2
    at.selectbox(key="data_run").set_value("lr 3e-5").run()
    assert charts(at, "Each sample: target and prediction (lr 3e-5)")


def test_a_test_split_marks_the_held_out_samples():
    at = train(open_tab(app({"samples": "40", "test_fraction": "0.25", "epochs": "5"}), "Data"))
    (parity,) = charts(at, PARITY)
    x, _ = points(parity, "prediction: held-out test samples")
    assert len(x) == 10
    assert any("held-out test samples, never trained on" in c.value for c in at.caption)


@pytest.mark.parametrize("query", [
    {"samples": "1", "epochs": "3"},
    {"weights": ",".join(["2"] * 1000), "samples": "20", "epochs": "2"},
    {"samples": "100000", "epochs": "1", "lr": "1e-7"},
])
def test_extremes_open_and_train_without_an_exception(query):
    at = open_tab(app(query), "Data")
    assert not at.exception
    at = train(at)
    assert not at.exception
    (parity,) = charts(at, PARITY)
    assert sum(len(arr(t["x"])) for t in parity["data"][1:]) <= MAX_POINTS + 1


@given(configs(max_cells=3000, max_epochs=2))
def test_the_data_view_never_raises(cfg):
    data = make_dataset(cfg)
    runs = len(cfg.lrs)
    s = select(data, max(1, MAX_POINTS // runs))
    states = list(train_states(cfg, data))
    bounds = parity_range(s.y, predict(data, s, states[0].weights))
    names = [f"run {r}" for r in range(runs)]
    for state in states:
        pred = predict(data, s, state.weights)
        parity_figure(s, pred, names, list(PALETTE) * 4, bounds)
        samples_figure(s, pred[-1], PALETTE[0], bounds)
        sample_table(s, pred[-1])
    assert notes(cfg, data, SimpleNamespace(history=None, best=None))


def test_a_diverged_run_is_named_with_the_epoch_its_weights_come_from():
    at = open_tab(app({"epochs": "5", "lr": "1e-3", "batch_size": "2"}), "Data")
    at = train(at)
    assert not at.exception
    (parity,) = charts(at, "Prediction vs target")
    assert "diverged at epoch 1, its last finite weights (epoch 0)" in parity["layout"]["title"]["text"]


def test_a_sweep_names_its_diverged_runs_and_before_training_its_shared_start():
    at = open_tab(app({"epochs": "5", "lr": "1e-5,1e-3"}), "Data")
    (before,) = charts(at, "Prediction vs target")
    assert [t.get("name") for t in before["data"] if t.get("mode") == "markers"][:1] == ["initial weights (every lr)"]
    at = train(at)
    (after,) = charts(at, "Prediction vs target")
    names = [str(t.get("name")) for t in after["data"]]
    assert any(n.startswith("lr 1e-3 (diverged at epoch") for n in names)
    assert "lr 1e-5" in names
