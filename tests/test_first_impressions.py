"""Issue 18, first impressions: the Training tab before any run shows where training starts (start_view.py), the lr
band has a legend and nothing on it overlaps, the ladder looks the same on every tab (lr_colours.py), and the Data
tab says why points lie beyond its axes."""
import json

import numpy as np
import pytest
from helpers_figures import arr
from helpers_page import app, charts, open_tab, plain, train

import linviz
import linviz.analysis
import linviz.data
import linviz.engine
import linviz.fit
import linviz_app.data_tab
import linviz_app.session
from linviz import RunConfig
from linviz.data import make_dataset
from linviz.model import initial_weights
from linviz_app import i18n
from linviz_app.data_charts import beyond_text
from linviz_app.lr_charts import THRESHOLD_Y, YOU_Y, lr_band_figure
from linviz_app.widgets import KEY


def expected_start(cfg: RunConfig) -> tuple[float, np.ndarray]:
    """The oracle: the mean squared error of the seed's initial weights on the whole data set, in float64 NumPy."""
    data = make_dataset(cfg)
    w0 = initial_weights(cfg.n_weights, cfg.seed).double().numpy()
    X, y = data.X.astype(np.float64), data.y.astype(np.float64)
    return float(np.mean((X @ w0 - y) ** 2)), w0 / data.scale


def start_charts(at) -> tuple[dict, dict]:
    (loss,), (weights,) = charts(at, "Loss", exact=True), charts(at, "Weights")
    return loss, weights


def named(fig: dict) -> dict[str, dict]:
    return {t["name"]: t for t in fig["data"] if t.get("showlegend", True) is not False and t.get("name")}


def shown_weights(weights: dict) -> np.ndarray:
    """The weights chart's starting points (epoch 0), one per named weight line."""
    return np.array([arr(t["y"])[0] for t in named(weights).values()], np.float64)


def targets(weights: dict) -> list[list[float]]:
    """The dashed target lines' values (unnamed traces of the weights chart)."""
    return [list(arr(t["y"])) for t in weights["data"] if t.get("showlegend") is False]


def line(at) -> str:
    return " ".join(plain(m.value).replace("**", "") for m in at.markdown if "Train" in m.value or "训练" in m.value)


def test_before_any_run_the_training_tab_shows_the_starting_loss_and_weights_against_their_targets():
    at = app()
    assert not at.exception
    assert at.session_state["live"].history is None
    loss, weights = start_charts(at)
    want_loss, want_w = expected_start(RunConfig())
    start = arr(named(loss)["training loss (mean)"]["y"])
    assert start[0] == pytest.approx(want_loss, rel=1e-6)  # float32 on the wire
    assert not np.isfinite(start[1:]).any(), "nothing is trained yet"
    assert list(named(weights)) == ["w1 → 2", "w2 → 3", "w3 → 4", "w4 → 7"]
    np.testing.assert_allclose(shown_weights(weights), want_w, rtol=1e-6)
    assert targets(weights) == [[2, 2], [3, 3], [4, 4], [7, 7]]
    assert ("Train runs 100 epochs of per-sample SGD at lr 1e-5 on 10 samples: watch the loss fall and each weight "
            "move to its dashed target.") in line(at)


@pytest.mark.parametrize("lr, lang, says", [
    ("1e-4", "en", "this lr is 1.6 x the divergence threshold of this data: watch the loss grow until it blows up."),
    ("1e-4", "zh", "这个学习率是这组数据发散阈值的 1.6 倍：看损失不断增大，直到爆炸。"),
    ("5e-5", "en", "watch the loss fall and each weight move to its dashed target.")])
def test_the_start_line_promises_a_falling_loss_only_where_the_lr_does_not_diverge(lr, lang, says):
    """Whether the run blows up, the oracle: the tutorial's literal loop on the same data (tests/oracle.py)."""
    from oracle import first_blown_epoch, tutorial_epochs
    cfg = RunConfig(lr=float(lr), epochs=300, n_samples=100)
    data = make_dataset(cfg)
    ref = tutorial_epochs(data.X, data.y, initial_weights(cfg.n_weights, cfg.seed).numpy(), cfg.lr, cfg.epochs)
    assert (first_blown_epoch(ref) is not None) == (lr == "1e-4")
    at = app({"lr": lr, "epochs": "300", "samples": "100", "lang": lang})
    assert not at.exception
    assert line(at).endswith(says), line(at)
    hint = " ".join(m.value for m in at.sidebar.markdown)
    assert ("diverges" in hint or "发散" in hint) == (lr == "1e-4")
    if lr == "1e-4":  # the ratio the line names is the hint's
        assert "1.6" in hint


def test_the_start_follows_a_changed_setting_and_its_language():
    at = app({"lang": "zh"})
    for attr, value in (("true_weights", "1, 5"), ("n_samples", "30"), ("seed", "3")):
        at.text_input(key=KEY[attr]).set_value(value).run()
    assert not at.exception
    cfg = RunConfig(true_weights=(1.0, 5.0), n_samples=30, seed=3)
    (loss,), (weights,) = charts(at, "损失", exact=True), charts(at, "权重")
    want_loss, want_w = expected_start(cfg)
    assert arr(named(loss)["训练损失（平均）"]["y"])[0] == pytest.approx(want_loss, rel=1e-6)
    assert list(named(weights)) == ["w1 → 1", "w2 → 5"]
    np.testing.assert_allclose(shown_weights(weights), want_w, rtol=1e-6)
    assert "在 30 个样本上训练 100 轮" in line(at)


def test_standardised_settings_start_from_the_weights_in_raw_units():
    at = app({"standardize": "true", "samples": "40", "test_fraction": "0.25"})
    cfg = RunConfig(standardize=True, n_samples=40, test_fraction=0.25)
    loss, weights = start_charts(at)
    want_loss, want_w = expected_start(cfg)
    assert arr(named(loss)["training loss (mean)"]["y"])[0] == pytest.approx(want_loss, rel=1e-6)
    data, w0 = make_dataset(cfg), initial_weights(4, 0).double().numpy()
    test = float(np.mean((data.X_test.astype(np.float64) @ w0 - data.y_test) ** 2))
    assert arr(named(loss)["test loss"]["y"])[0] == pytest.approx(test, rel=1e-6)
    np.testing.assert_allclose(shown_weights(weights), want_w, rtol=1e-6)


def test_the_first_run_replaces_the_start_in_the_same_two_charts():
    at = app({"epochs": "5"})
    before = [json.loads(el.proto.json)["key"] for el in at.get("bidi_component")]
    assert before == ["live_loss", "live_weights"]
    at = train(at)
    after = [json.loads(el.proto.json)["key"] for el in at.get("bidi_component")]
    assert after == before
    loss, _ = start_charts(at)
    assert np.isfinite(arr(named(loss)["training loss (mean)"]["y"])).sum() == 6  # epochs 0..5
    assert not line(at).startswith("Train runs")


def test_invalid_settings_show_no_start():
    at = app()
    at.text_input(key="cfg_true_weights").set_value("2, x").run()
    assert not at.exception
    assert not charts(at, "Loss", exact=True) and not charts(at, "Weights")
    assert "Train runs" not in line(at)


@pytest.mark.parametrize("standardize", [False, True])
def test_big_settings_show_the_start_without_drawing_the_whole_data_set(monkeypatch, standardize):
    drawn = []  # (module that asked, training samples, rows asked for)
    real = linviz.data.make_dataset

    def spy_in(module):
        def spy(cfg, rows=None):
            drawn.append((module.__name__, cfg.n_train, rows))
            return real(cfg, rows)
        return spy
    for module in (linviz, linviz.data, linviz.analysis, linviz.fit, linviz.engine, linviz_app.session,
                   linviz_app.data_tab):
        monkeypatch.setattr(module, "make_dataset", spy_in(module))
    at = app({"samples": "2000000", **({"standardize": "true"} if standardize else {})})
    assert not at.exception
    whole = [d for d in drawn if d[2] is None or d[2] >= d[1]]
    # the lr hint's analysis reads the rows its spectrum needs (all of them at 4 weights); nothing else draws them
    assert {m for m, _, _ in whole} <= {"linviz.analysis"}, drawn
    loss, weights = start_charts(at)
    assert not np.isfinite(arr(named(loss)["training loss (mean)"]["y"])).any()
    assert any(a.get("text") == "the loss appears with the first epoch" for a in loss["layout"]["annotations"])
    assert targets(weights) == [[2, 2], [3, 3], [4, 4], [7, 7]]
    if standardize:  # in raw units they depend on every sample's spread: they come with the first epoch
        assert not np.isfinite(shown_weights(weights)).any()
        assert "The starting weights and the loss appear with the first epoch" in line(at)
    else:  # the seed's own: no data needed
        np.testing.assert_allclose(shown_weights(weights), initial_weights(4, 0).double().numpy(), rtol=1e-6)
        assert "The loss appears with the first epoch" in line(at)


def test_the_ladder_has_the_same_colour_and_name_per_lr_on_its_tab_and_the_training_tab():
    at = open_tab(app(), "Learning-rate ladder")
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_ladder").click().run()
    assert not at.exception

    def look(fig):
        return [(t["name"], t["line"]["color"]) for t in fig["data"] if t.get("name") != "diverged here"]
    (ladder,) = charts(at, "Ladder: loss")
    (final,) = charts(at, "Ladder: where training ends up")
    at = open_tab(at, "Training")
    (training,) = charts(at, "Loss per learning rate")
    assert look(ladder) == look(training)
    names, colors = zip(*look(ladder))
    assert len(set(colors)) == 6, "one colour per lr"
    lrs = at.session_state["ladder"]["cfg"].lrs
    assert list(names) == [f"lr {linviz.text.fmt_number(lr)}" for lr in lrs]
    assert list(final["data"][0]["marker"]["color"]) == list(colors)  # each lr's point in its line's colour
    assert [a["text"] for a in ladder["layout"]["annotations"]][:1] and all(
        a["font"]["color"] in colors for a in ladder["layout"]["annotations"])


@pytest.mark.parametrize("lang, regimes, threshold", [
    ("en", ["too slow", "converges smoothly", "diverges"], "divergence threshold 6e-5"),
    ("zh", ["太慢", "平稳收敛", "发散"], "发散阈值 6e-5"),
])
def test_the_lr_band_has_a_legend_in_the_pages_language_and_its_label_clears_the_threshold(monkeypatch, lang,
                                                                                          regimes, threshold):
    monkeypatch.setattr(i18n, "current", lambda: lang)
    lrs = np.geomspace(1e-8, 2e-4, 50)
    kinds = ["too slow" if lr < 1e-6 else "converges smoothly" if lr < 6e-5 else "diverges" for lr in lrs]
    fig = lr_band_figure(lrs, kinds, 6e-5, 6e-5).to_plotly_json()  # the lr right at the threshold
    assert fig["layout"]["showlegend"] is True
    legend = [t["name"] for t in fig["data"] if t.get("showlegend", True)]
    assert legend == [*regimes, threshold]
    colours = {t["name"]: t["line"]["color"] for t in fig["data"] if t.get("showlegend", True)}
    assert colours[regimes[-1]] == "#D55E00" and colours[threshold] == "#000"
    (line,) = [t for t in fig["data"] if t["name"] == threshold]
    (you,) = [t for t in fig["data"] if t.get("mode") == "markers+text"]
    assert max(line["y"]) == THRESHOLD_Y < YOU_Y == you["y"][0]  # the line stops below the marker
    assert you["textposition"].startswith("top")  # and the label sits above the marker
    rows = len(legend)
    assert fig["layout"]["margin"]["b"] >= 28 + 19 * rows  # the legend's rows fit below the ticks
    assert fig["layout"]["legend"]["orientation"] == "v"  # one entry a row: long names never collide


def test_points_beyond_the_data_tabs_axes_say_why(monkeypatch):
    assert beyond_text([0, 3, 20], ["lr 1e-5", "lr 1e-4", "lr 1e-3"], [False, True, True]) == (
        "23 points beyond the axes:<br>lr 1e-4, lr 1e-3 diverged, so their predictions<br>run off the chart")
    assert beyond_text([4], None, [False]) == "4 points beyond the axes:<br>the predictions are still<br>far from the targets"
    monkeypatch.setattr(i18n, "current", lambda: "zh")
    assert beyond_text([0, 20], ["学习率 1e-5", "学习率 1e-3"], [False, True]) == (
        "20 个点超出坐标轴范围：<br>学习率 1e-3 已发散，<br>它的预测值远远超出了图表")


def test_the_data_tab_of_a_ladder_names_the_diverged_lrs_beyond_its_axes():
    at = open_tab(app(), "Learning-rate ladder")
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_ladder").click().run()
    at = open_tab(at, "Data")
    (parity,) = charts(at, "Prediction vs target")
    (note,) = parity["layout"]["annotations"]
    lrs = at.session_state["ladder"]["cfg"].lrs
    diverged = at.session_state["live"].state.diverged
    gone = ", ".join(f"lr {linviz.text.fmt_number(lr)}" for lr, d in zip(lrs, diverged) if d)
    assert f"{gone} diverged, so their predictions<br>run off the chart" in note["text"]
