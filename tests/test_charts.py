"""Chart builders are pure functions: check them without a browser, with Plotly's full validation."""
import numpy as np
import pytest
from helpers_figures import arr, valid

from linviz import RunConfig, Trainer
from linviz.history import History
from linviz_app.charts import MAX_POINTS, PALETTE, loss_figure, thin, weights_figure


def view_of(cfg: RunConfig, lr_change_at: int | None = None) -> dict:
    t = Trainer(cfg)
    h = History(cfg.n_weights)
    h.append(t.state)
    while not t.done:
        if t.epoch == lr_change_at:
            t.set_lr(cfg.lr * 2)
        h.append(t.step())
    return h.view()


def test_loss_figure_has_mean_last_sample_and_test_traces_on_a_log_axis():
    v = view_of(RunConfig(n_samples=20, test_fraction=0.25, epochs=20))
    fig = valid(loss_figure(v))
    assert [t["name"] for t in fig["data"]] == ["training loss (mean)", "last-sample loss (what the tutorial prints)",
                                                "test loss"]
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["layout"]["yaxis"]["minorloglabels"] == "none"  # only the powers of ten are labelled
    np.testing.assert_allclose(arr(fig["data"][0]["y"]), v["loss"].astype(np.float32))
    assert np.isnan(arr(fig["data"][1]["y"])[0])  # no step yet at epoch 0
    assert valid(loss_figure(v, log_y=False))["layout"]["yaxis"]["type"] == "linear"
    assert len(valid(loss_figure(view_of(RunConfig(epochs=3))))["data"]) == 2  # no test split, no test line


def test_weights_figure_one_line_per_weight_with_its_dashed_target_in_the_same_colour():
    cfg = RunConfig(true_weights=(2, 3, 4, 7, 11, 5, 13), epochs=10)
    fig = valid(weights_figure(view_of(cfg), cfg.true_weights))
    lines = [t for t in fig["data"] if t.get("showlegend", True)]
    targets = [t for t in fig["data"] if t.get("showlegend") is False]
    assert [t["name"] for t in lines] == [f"w{i + 1} → {w:g}" for i, w in enumerate(cfg.true_weights)]
    for i, (line, target) in enumerate(zip(lines, targets)):
        assert line["line"]["color"] == PALETTE[i]
        assert target["line"]["color"] == PALETTE[i]
        assert target["line"]["dash"] == "dash"
        assert list(target["y"]) == [cfg.true_weights[i]] * 2
        assert line["line"]["width"] >= 3  # readable on a projector
        assert list(target["x"]) == [0, 10]  # across the run


def test_a_run_that_diverged_at_once_still_shows_its_targets_across_an_epoch():
    cfg = RunConfig(lr=1e-3, epochs=50)  # 17x the threshold: diverges in the first epoch, only epoch 0 is kept
    v = view_of(cfg)
    assert list(v["epoch"]) == [0]
    targets = [t for t in valid(weights_figure(v, cfg.true_weights))["data"] if t.get("showlegend") is False]
    assert [list(t["x"]) for t in targets] == [[0, 1]] * 4  # not a zero-length line at x = 0


def test_error_view_shows_distance_to_the_truth_on_a_log_axis():
    cfg = RunConfig(epochs=50)
    v = view_of(cfg)
    fig = valid(weights_figure(v, cfg.true_weights, show_error=True))
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert len(fig["data"]) == 4
    np.testing.assert_allclose(arr(fig["data"][3]["y"])[-1], abs(v["weights"][-1, 3] - 7), rtol=1e-5)


def test_more_than_twelve_weights_become_a_heatmap():
    cfg = RunConfig(true_weights=tuple(range(1, 21)), n_samples=40, lr=1e-6, epochs=5)
    fig = valid(weights_figure(view_of(cfg), cfg.true_weights))
    assert len(fig["data"]) == 1
    assert fig["data"][0]["type"] == "heatmap"
    assert arr(fig["data"][0]["z"]).shape == (20, 6)


def test_lr_changes_mid_run_are_marked_on_the_loss_chart():
    v = view_of(RunConfig(epochs=30), lr_change_at=12)  # set after 12 epochs: the 13th uses it
    fig = valid(loss_figure(v))
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [13]
    assert fig["layout"]["annotations"][0]["text"] == "lr → 2e-5"


@pytest.mark.parametrize("n", [5, MAX_POINTS, 5 * MAX_POINTS + 3])
def test_thinning_bounds_the_points_and_keeps_the_first_and_last_epoch(n):
    v = {"epoch": np.arange(n), "loss": np.arange(n) * 1.0, "weights": np.zeros((n, 3))}
    t = thin(v)
    assert len(t["epoch"]) <= MAX_POINTS + 1
    assert t["epoch"][0] == 0
    assert t["epoch"][-1] == n - 1
    assert t["weights"].shape[1] == 3


# --- a run that diverged: every finite epoch drawn, the epoch it blew up in marked ------------------------------

def _oracle_means(cfg):
    from oracle import tutorial_epochs

    from linviz import make_dataset
    from linviz.model import initial_weights
    data = make_dataset(cfg)
    return tutorial_epochs(data.X, data.y, initial_weights(cfg.n_weights, cfg.seed).numpy(), cfg.lr, cfg.epochs)


@pytest.mark.parametrize("lr, blown", [(1, 1), (1e-2, 1), (1e-4, 4)])
def test_a_diverged_run_draws_its_finite_epochs_and_marks_the_blow_up(lr, blown):
    from oracle import first_blown_epoch
    cfg = RunConfig(lr=lr, epochs=50)
    ref = _oracle_means(cfg)
    assert first_blown_epoch(ref) == blown  # the oracle's own count
    v = view_of(cfg)
    assert v["diverged_at"] == blown
    loss = valid(loss_figure(v))
    mean = loss["data"][0]
    np.testing.assert_array_equal(arr(mean["x"]), np.arange(blown))  # every finite epoch, the start included
    np.testing.assert_allclose(arr(mean["y"]), [m for _, _, m in ref[:blown]], rtol=1e-6)  # float32 on the wire
    cross = next(t for t in loss["data"] if t["name"] == "last finite epoch")
    assert list(cross["x"]) == [blown - 1] and cross["marker"]["symbol"] == "x"
    rise = next(t for t in loss["data"] if t["name"].startswith("the blow-up"))  # the loss rising into the blow-up
    assert list(rise["x"]) == [blown - 1, blown]
    np.testing.assert_allclose([float(y) for y in rise["y"]], [ref[blown - 1][2], ref[blown][2]], rtol=1e-6)
    assert float(rise["y"][1]) > float(rise["y"][0])  # it rises
    for fig in (loss, valid(weights_figure(v, cfg.true_weights))):
        (line,) = [s for s in fig["layout"]["shapes"] if s["line"]["dash"] == "dash"]
        assert line["x0"] == line["x1"] == blown
        assert fig["layout"]["annotations"][-1]["text"].startswith(f"diverged at epoch {blown}:")
        lo, hi = fig["layout"]["xaxis"]["range"]
        assert lo < 0 and hi > blown  # the axis reaches the epoch it blew up in: not a lone dot on 0..1
    targets = [t for t in valid(weights_figure(v, cfg.true_weights))["data"] if t.get("showlegend") is False]
    assert [list(t["x"]) for t in targets] == [[0, blown]] * 4


def test_a_run_that_did_not_diverge_has_no_blow_up_mark():
    v = view_of(RunConfig(epochs=20))
    assert v["diverged_at"] == -1
    for fig in (valid(loss_figure(v)), valid(weights_figure(v, (2, 3, 4, 7)))):
        assert not fig["layout"].get("shapes") and "range" not in fig["layout"]["xaxis"]
        assert all(t["name"] != "last finite epoch" for t in fig["data"] if "name" in t)


def test_the_heatmap_marks_the_blow_up_too():
    cfg = RunConfig(true_weights=tuple(range(1, 21)), n_samples=40, lr=1e-2, epochs=5)
    fig = valid(weights_figure(view_of(cfg), cfg.true_weights))
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [1]


def test_the_history_keeps_the_last_finite_epoch_between_strides():
    """A long run thins its history (every 2nd, 4th ... epoch); the epoch before the blow-up is kept whatever
    the stride, with that epoch's own numbers."""
    from linviz import Trainer
    off_stride = []
    for lr in (7.1e-5, 7.2e-5, 7.3e-5):  # just above the tutorial's threshold: blows up after some epochs
        cfg = RunConfig(lr=lr, epochs=5000)
        t, h, states = Trainer(cfg), History(cfg.n_weights, capacity=8), []
        h.append(t.state)
        while not t.done:
            states.append(t.step())
            h.append(states[-1])
        de = int(t.diverged_epoch[0])
        assert de > 8 and h.stride > 1, lr  # thinned by then
        off_stride.append((de - 1) % h.stride != 0)
        v = h.view()
        assert v["epoch"][-1] == de - 1 and v["diverged_at"] == de
        np.testing.assert_array_equal(v["weights"][-1], states[de - 2].weights[0])  # states[k - 1] is epoch k
        assert v["loss"][-1] == states[de - 2].loss[0]
    assert any(off_stride)  # the case that lost it: the epoch before the blow-up was not on the stride
