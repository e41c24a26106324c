"""The fast engine against the tutorial's own loop (autograd + nn.MSELoss + torch.optim.SGD, one sample at a
time, in order) and against torch.optim for the other optimisers, batch sizes, shuffling and schedules."""
import numpy as np
import pytest
import torch
from oracle import reference_train

from linviz import RunConfig, Trainer, make_dataset, train, tutorial_train

SEVEN = (2, 3, 4, 7, 11, 5, 13)  # the tutorial's seven-weight example


def single_run_weights(cfg) -> list:
    """Each epoch's (D,) weights of a single run."""
    return [s.run(0).weights for s in train(cfg)]


def assert_close_rel(actual, expected, rel):
    """Each epoch's weight vector within `rel` of the reference, relative to that vector's size."""
    for epoch, (a, e) in enumerate(zip(actual, expected)):
        err = np.abs(a - e).max() / np.abs(e).max()
        assert err <= rel, f"epoch {epoch}: relative difference {err:.2e} > {rel:.0e}"


@pytest.mark.parametrize("weights, lr, epochs", [((2, 3, 4, 7), 1e-5, 100), (SEVEN, 1e-5, 200)])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_every_epoch_matches_the_tutorial_loop(weights, lr, epochs, seed):
    cfg = RunConfig(true_weights=weights, lr=lr, epochs=epochs, seed=seed)
    data = make_dataset(cfg)
    ours = [s.run(0) for s in train(cfg)]
    literal = list(tutorial_train(data.X, data.y, ours[0].weights, lr, epochs))
    assert_close_rel([s.weights for s in ours], [w for _, w, _ in literal], 1e-5)
    # the printed number: the last sample's loss. Compare residuals (sqrt), since at convergence the loss
    # itself is float32 cancellation noise in the literal loop.
    scale = np.abs(data.y).max()
    for s, (_, _, last) in zip(ours[1:], literal[1:]):
        assert abs(np.sqrt(s.last_loss) - np.sqrt(last)) <= 1e-5 * scale
    assert ours[-1].loss < 1e-4 * ours[0].loss  # and it did learn


def test_a_run_inside_a_sweep_matches_the_tutorial_loop_and_its_solo_run():
    lrs = (5e-6, 1e-5, 2e-5, 4e-5)
    sweep = RunConfig(lr=lrs, seed=5)
    data = make_dataset(sweep)
    states = list(train(sweep))
    assert states[-1].weights.shape == (4, 4)
    for r, lr in enumerate(lrs):
        solo = [s.run(0).weights for s in train(sweep.replace(lr=lr))]
        np.testing.assert_allclose([s.weights[r] for s in states], solo, rtol=1e-12, atol=1e-12)
    literal = [w for _, w, _ in tutorial_train(data.X, data.y, states[0].weights[2], lrs[2], 100)]
    assert_close_rel([s.weights[2] for s in states], literal, 1e-5)


@pytest.mark.parametrize("optimizer, lr, rel", [("momentum", 2e-6, 1e-5), ("adam", 0.05, 1e-4)])
@pytest.mark.parametrize("batch", [1, 3])
def test_momentum_and_adam_follow_torch_optim(optimizer, lr, rel, batch):
    cfg = RunConfig(optimizer=optimizer, lr=lr, epochs=60, batch_size=batch, seed=1)
    data = make_dataset(cfg)
    ours = single_run_weights(cfg)
    ref = reference_train(data.X, data.y, ours[0], lr, 60, batch=batch, optimizer=optimizer)
    assert_close_rel(ours, ref, rel)


@pytest.mark.parametrize("batch", [2, 3, 10])
def test_mini_batches_match_torch_optim_including_a_short_last_batch(batch):
    cfg = RunConfig(batch_size=batch, lr=2e-5, epochs=80, seed=2)
    data = make_dataset(cfg)
    ours = single_run_weights(cfg)
    assert_close_rel(ours, reference_train(data.X, data.y, ours[0], cfg.lr, 80, batch=batch), 1e-5)


def test_long_data_spanning_many_solve_chunks_matches_the_step_by_step_loop():
    cfg = RunConfig(true_weights=tuple(range(1, 21)), n_samples=700, lr=1e-6, epochs=3, batch_size=1, seed=4)
    data = make_dataset(cfg)
    ours = single_run_weights(cfg)
    literal = [w for _, w, _ in tutorial_train(data.X, data.y, ours[0], cfg.lr, 3)]
    assert_close_rel(ours, literal, 1e-5)


def test_shuffling_visits_a_fresh_order_each_epoch_like_a_shuffled_loop():
    cfg = RunConfig(shuffle=True, lr=2e-5, epochs=30, seed=3, batch_size=2)
    data = make_dataset(cfg)
    rng = np.random.default_rng([cfg.seed, 1])  # the engine's documented shuffling stream
    orders = [rng.permutation(cfg.n_samples) for _ in range(30)]
    ours = single_run_weights(cfg)
    assert_close_rel(ours, reference_train(data.X, data.y, ours[0], cfg.lr, 30, batch=2, orders=orders), 1e-5)
    unshuffled = single_run_weights(cfg.replace(shuffle=False))
    assert np.abs(np.array(ours[5]) - unshuffled[5]).max() > 1e-3  # shuffling does change the path


@pytest.mark.parametrize("schedule", ["step", "exp"])
def test_schedules_match_torch_lr_schedulers(schedule):
    cfg = RunConfig(schedule=schedule, step_size=7, gamma=0.5, lr=3e-5, epochs=30)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=cfg.lr)
    sched = (torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5) if schedule == "step"
             else torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5 ** (1 / 7)))
    expected = []
    for _ in range(30):
        expected.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    states = [s.run(0) for s in train(cfg)]
    np.testing.assert_allclose([s.lr for s in states[1:]], expected, rtol=1e-12)
    data = make_dataset(cfg)
    ours = [s.weights for s in states]
    assert_close_rel(ours, reference_train(data.X, data.y, ours[0], cfg.lr, 30, lrs=expected), 1e-5)


def test_set_lr_mid_run_applies_from_the_next_epoch_and_keeps_progress():
    cfg = RunConfig(lr=1e-5, epochs=40)
    data = make_dataset(cfg)
    t = Trainer(cfg, data)
    for _ in range(20):
        t.step()
    t.set_lr(3e-5)
    while not t.done:
        last = t.step().run(0)
    w0 = Trainer(cfg, data).state.run(0).weights
    lrs = [1e-5] * 20 + [3e-5] * 20
    ref = reference_train(data.X, data.y, w0, 1e-5, 40, lrs=lrs)
    assert last.epoch == 40
    assert last.lr == 3e-5
    assert np.abs(last.weights - ref[-1]).max() / 7 < 1e-5
