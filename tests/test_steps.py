"""Replaying epochs step by step (linviz/steps.py) for the landscape's zig-zag: every epoch's last step lands on
the engine's weights (float64, 1e-9 relative), each step is the tutorial's update written out, and the window
the landscape draws is the latest epochs that fit, or a sentence saying why none can be shown."""
import numpy as np
import pytest
from helpers_figures import arr
from helpers_page import app, charts, open_tab, train

from linviz import RunConfig, Trainer, make_dataset
from linviz.history import History
from linviz.steps import MAX_STEPS, StepPath, replay, step_path, steps_per_epoch

CASES = {
    "tutorial": RunConfig(epochs=8),
    "7 weights": RunConfig(true_weights=(2.0, 3.0, 4.0, 7.0, -1.0, 5.0, 0.5), n_samples=12, epochs=8, lr=5e-6),
    "batches of 3, a short last one": RunConfig(n_samples=11, batch_size=3, epochs=8, lr=3e-5),
    "shuffled": RunConfig(n_samples=30, shuffle=True, epochs=8, seed=5),
    "momentum": RunConfig(optimizer="momentum", lr=1e-6, epochs=8),
    "adam": RunConfig(optimizer="adam", lr=0.05, epochs=8, shuffle=True),
    "standardised": RunConfig(standardize=True, lr=0.1, epochs=8),
    "step schedule": RunConfig(schedule="step", step_size=3, epochs=8),
    "noise and a test split": RunConfig(n_samples=20, noise_std=3.0, test_fraction=0.3, epochs=8),
    "sweep": RunConfig(lr=(1e-5, 3e-5, 5e-5), epochs=8),
}


def run_states(cfg: RunConfig, lr_change: tuple | None = None):
    """Every state of a run (and its Trainer), optionally changing lr after some epoch as the page can."""
    trainer = Trainer(cfg)
    states = [trainer.state]
    while not trainer.done:
        if lr_change and trainer.epoch == lr_change[0]:
            trainer.set_lr(lr_change[1])
        states.append(trainer.step())
    return trainer, states


def rel_err(a, b) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


@pytest.mark.parametrize("name", CASES)
def test_every_replayed_epoch_ends_on_the_engines_weights(name):
    cfg = CASES[name]
    trainer, states = run_states(cfg)
    lrs = np.stack([s.lr for s in states[1:]])  # (E, R): what each epoch used
    path = replay(cfg, trainer.data, states[0].weights, lrs)
    spe = steps_per_epoch(cfg)
    assert path.shape == (1 + cfg.epochs * spe, len(cfg.lrs), cfg.n_weights)
    for e, s in enumerate(states[1:], start=1):
        assert rel_err(path[e * spe], s.weights) < 1e-9, f"epoch {e}"


@pytest.mark.parametrize("name", ["tutorial", "batches of 3, a short last one", "shuffled", "standardised"])
def test_plain_sgd_replays_from_any_epochs_start(name):
    cfg = CASES[name]
    trainer, states = run_states(cfg)
    path = replay(cfg, trainer.data, states[5].weights, np.stack([s.lr for s in states[6:]]), first_epoch=6)
    assert rel_err(path[0], states[5].weights) < 1e-12
    assert rel_err(path[-1], states[-1].weights) < 1e-9


def test_each_step_is_the_tutorials_update_written_out():
    cfg = RunConfig(epochs=3, lr=2e-5)
    data = make_dataset(cfg)
    _, states = run_states(cfg)
    path = replay(cfg, data, states[0].weights, np.full((3, 1), cfg.lr))
    w = states[0].weights[0].copy()
    k = 0
    for _ in range(3):
        for x, y in zip(data.X.astype(np.float64), data.y.astype(np.float64)):
            w = w - cfg.lr * 2 * (w @ x - y) * x  # d/dw (w.x - y)^2 = 2 (w.x - y) x; one sample per step
            k += 1
            np.testing.assert_allclose(path[k, 0], w, rtol=1e-12, atol=0, err_msg=f"step {k}")


def test_momentum_and_adam_replay_only_from_the_start():
    cfg = CASES["momentum"]
    with pytest.raises(ValueError, match="from epoch 1"):
        replay(cfg, make_dataset(cfg), np.zeros((1, 4)), np.full((2, 1), cfg.lr), first_epoch=3)


def history_of(cfg: RunConfig, capacity: int = 2000, lr_change=None) -> tuple:
    trainer, states = run_states(cfg, lr_change)
    h = History(cfg.n_weights, capacity=capacity, runs=len(cfg.lrs) if cfg.is_sweep else 0)
    for s in states:
        h.append(s)
    return trainer, states, h.view()


def test_the_window_is_the_latest_epochs_that_fit_and_starts_on_the_engines_weights():
    cfg = RunConfig(epochs=400)  # 4,000 steps: more than MAX_STEPS
    trainer, states, view = history_of(cfg)
    path = step_path(cfg, trainer.data, view)
    assert isinstance(path, StepPath)
    assert (path.first_epoch, path.last_epoch) == (400 - MAX_STEPS // 10 + 1, 400)
    assert len(path.weights) == MAX_STEPS + 1
    assert rel_err(path.weights[0], states[path.first_epoch - 1].weights) < 1e-12
    assert rel_err(path.weights[-1], states[-1].weights) < 1e-9
    assert path.epoch[0] == path.first_epoch - 1
    assert path.epoch[-1] == 400


def test_a_mid_run_lr_change_is_replayed_with_each_epochs_own_lr():
    cfg = RunConfig(epochs=12)
    trainer, states, view = history_of(cfg, lr_change=(6, 4e-5))
    path = step_path(cfg, trainer.data, view)
    assert rel_err(path.weights[-1], states[-1].weights) < 1e-9


def test_a_history_that_kept_only_every_other_epoch_replays_with_the_trainers_lr():
    cfg = RunConfig(epochs=30, schedule="exp", step_size=5)
    trainer, states, view = history_of(cfg, capacity=8)  # thinned: old epochs every 2nd, 4th, ...
    assert len(view["epoch"]) < 31
    assert isinstance(step_path(cfg, trainer.data, view), str)  # without the lrs of the epochs it dropped
    path = step_path(cfg, trainer.data, view, trainer.lr_at)
    assert (path.first_epoch, path.last_epoch) == (1, 30)
    assert rel_err(path.weights[-1], states[-1].weights) < 1e-9


def test_an_lr_change_the_thinned_history_cannot_see_is_not_drawn():
    cfg = RunConfig(epochs=30)
    trainer, _, view = history_of(cfg, capacity=8, lr_change=(10, 3e-5))
    path = step_path(cfg, trainer.data, view, trainer.lr_at)  # lr_at knows only the lr now
    assert isinstance(path, str) and "learning rate changed" in path


@pytest.mark.parametrize("cfg, says", [
    (RunConfig(optimizer="momentum", lr=1e-6, epochs=400), "momentum"),
    (RunConfig(n_samples=5000, batch_size=1, epochs=1), "5,000 steps"),
    (RunConfig(epochs=1, shuffle=True, n_samples=3000, batch_size=2), None),
])
def test_what_cannot_be_replayed_exactly_is_said_in_words(cfg, says):
    trainer, _, view = history_of(cfg)
    path = step_path(cfg, trainer.data, view)
    if says is None:
        assert isinstance(path, StepPath)  # 1,500 steps of one shuffled epoch fit
    else:
        assert isinstance(path, str) and says in path


def test_the_landscape_draws_every_step_when_asked():
    at = open_tab(app({"epochs": "20", "lr": "4e-5"}), "Loss landscape")
    at.toggle(key="land_steps").set_value(True).run()
    at = train(at)
    assert not at.exception
    (land,) = charts(at, "Loss over w1 and w2")
    steps = [t for t in land["data"] if t.get("name") == "training path: every step"]
    assert len(steps) == 1
    assert len(arr(steps[0]["x"])) == 20 * 10 + 1  # every step of every epoch, and the start
    live = at.session_state["live"]
    np.testing.assert_allclose([arr(steps[0]["x"])[-1], arr(steps[0]["y"])[-1]], live.state.weights[0, :2], rtol=1e-6)
    assert any("every optimiser step (one per sample) of epochs 1 to 20" in c.value for c in at.caption)


def test_a_sweeps_zigzag_stops_where_a_run_diverged():
    at = open_tab(app({"epochs": "10", "lr": "1e-5,1e-4"}), "Loss landscape")
    at.toggle(key="land_steps").set_value(True).run()
    at = train(at)
    assert not at.exception
    (land,) = charts(at, "Loss over w1 and w2")
    steps = {t["name"]: arr(t["x"]) for t in land["data"] if str(t.get("name", "")).endswith("every step")}
    assert set(steps) == {"lr 1e-5: every step", "lr 1e-4: every step"}
    assert len(steps["lr 1e-5: every step"]) == 101
    assert np.all(np.isfinite(steps["lr 1e-4: every step"]))
    assert len(steps["lr 1e-4: every step"]) < 101  # the diverged run's steps end where it blew up


def test_a_diverged_runs_steps_do_not_stretch_the_landscapes_view():
    """Found by review: the steps before a blow-up reach ~1e5 and the contour zoomed out to show them."""
    at = open_tab(app({"epochs": "30", "lr": "1e-5,3e-5,9e-5,1e-3", "batch_size": "2"}), "Loss landscape")
    at.toggle(key="land_steps").set_value(True).run()
    at = train(at)
    assert not at.exception
    (land,) = charts(at, "Loss over w1 and w2")
    contour = next(t for t in land["data"] if t["type"] == "contour")
    assert np.abs(arr(contour["x"]) - 2.0).max() < 100  # w1 = 2: the view stays around the true weights


def test_a_run_that_diverges_in_its_first_epoch_says_why_it_has_no_steps():
    at = open_tab(app({"epochs": "5", "lr": "1e-3", "batch_size": "2"}), "Loss landscape")
    at.toggle(key="land_steps").set_value(True).run()
    at = train(at)
    assert not at.exception
    assert any("diverges in its first epoch" in c.value for c in at.caption)


def test_full_batch_has_no_zigzag_toggle():
    at = open_tab(app({"batch_size": "10"}), "Loss landscape")
    assert not at.exception
    assert not [t for t in at.toggle if t.key == "land_steps"]
