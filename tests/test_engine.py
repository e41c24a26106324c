"""The training generator: states, losses against NumPy float64, divergence, sweeps, determinism."""
import dataclasses
from itertools import pairwise

import numpy as np
import pytest
import torch
from oracle import mse64, reference_train

from linviz import RunConfig, Trainer, make_dataset, train


def test_states_run_from_epoch_0_to_the_last_counting_steps_and_time():
    states = list(train(RunConfig(epochs=12)))
    assert [s.epoch for s in states] == list(range(13))
    assert states[0].last_loss is None
    assert states[0].steps == 0
    assert states[-1].steps == 120
    assert states[-1].elapsed > 0
    assert all(a.elapsed <= b.elapsed for a, b in pairwise(states))


def test_states_are_frozen_copies():
    cfg = RunConfig(epochs=3)
    states = list(train(cfg))
    with pytest.raises(dataclasses.FrozenInstanceError):
        states[0].epoch = 3
    states[1].weights[:] = 0  # a copy: scribbling on it changes nothing inside the engine
    assert not np.array_equal(list(train(cfg))[1].weights, states[1].weights)


def test_a_single_run_has_the_shape_of_a_sweep_of_one():
    s = list(train(RunConfig(epochs=2, n_samples=20, test_fraction=0.25)))[-1]
    assert s.weights.shape == (1, 4)
    for name in ("loss", "last_loss", "test_loss", "lr", "grad_norm", "diverged_epoch", "diverged"):
        assert getattr(s, name).shape == (1,), name
    assert s.diverged_epoch[0] == -1


def test_run_gives_one_run_as_plain_numbers():
    s = list(train(RunConfig(lr=(1e-5, 1e-3), epochs=3)))[-1]
    converging, diverged = s.run(0), s.run(1)
    np.testing.assert_array_equal(converging.weights, s.weights[0])
    assert isinstance(converging.loss, float)
    assert converging.lr == 1e-5
    assert converging.diverged_epoch is None
    assert converging.diverged is False
    assert diverged.diverged_epoch == 1
    assert diverged.diverged is True
    assert (diverged.epoch, diverged.steps, diverged.elapsed) == (s.epoch, s.steps, s.elapsed)


def test_loss_gradient_and_test_loss_match_numpy_float64():
    cfg = RunConfig(n_samples=40, test_fraction=0.25, noise_std=5.0, lr=1e-5, epochs=20, seed=4)
    data = make_dataset(cfg)
    for s in [s.run(0) for s in list(train(cfg))[::5]]:
        assert s.loss == pytest.approx(mse64(data.X, data.y, s.weights), rel=1e-9)
        assert s.test_loss == pytest.approx(mse64(data.X_test, data.y_test, s.weights), rel=1e-9)
        X, y = data.X.astype(np.float64), data.y.astype(np.float64)
        grad = 2 / len(y) * X.T @ (X @ s.weights - y)
        assert s.grad_norm == pytest.approx(np.linalg.norm(grad), rel=1e-9)


def test_same_config_same_states():
    cfg = RunConfig(shuffle=True, noise_std=1.0, epochs=15, seed=11, batch_size=3)
    a, b = list(train(cfg)), list(train(cfg))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.weights, y.weights)
        np.testing.assert_array_equal(x.loss, y.loss)
    assert not np.array_equal(a[-1].weights, list(train(cfg.replace(seed=12)))[-1].weights)


def test_standardised_features_allow_a_large_lr_and_report_raw_weights():
    cfg = RunConfig(standardize=True, lr=0.1, epochs=30)
    final = list(train(cfg))[-1]
    np.testing.assert_allclose(final.run(0).weights, cfg.true_weights, rtol=1e-6)
    assert list(train(cfg.replace(standardize=False, epochs=3)))[-1].run(0).diverged  # raw features cannot take it


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("lr", [1e-3, 1e3, 1e9])
def test_divergence_stops_cleanly_and_no_nan_escapes(optimizer, lr):
    cfg = RunConfig(lr=lr, optimizer=optimizer, epochs=50)
    states = [s.run(0) for s in train(cfg)]
    last = states[-1]
    for s in states:
        assert np.all(np.isfinite(s.weights))
        assert np.isfinite(s.loss)
        assert np.isfinite(s.grad_norm)
        assert s.last_loss is None or np.isfinite(s.last_loss)
    if optimizer == "adam" and lr < 1e9:  # Adam's steps are bounded by lr: it wanders but does not blow up
        assert not last.diverged
        assert last.epoch == 50
        return
    assert last.diverged_epoch == last.epoch
    assert len(states) == last.epoch + 1
    assert not any(s.diverged for s in states[:-1])
    np.testing.assert_array_equal(last.weights, states[-2].weights)  # it shows the last finite epoch
    assert last.loss == states[-2].loss


def test_in_a_sweep_diverged_runs_freeze_while_the_others_go_on():
    cfg = RunConfig(lr=(1e-5, 4e-5, 1e-3, 1e9), epochs=60)
    states = list(train(cfg))
    last = states[-1]
    assert last.epoch == 60
    assert last.weights.shape == (4, 4)
    assert last.loss.shape == (4,)
    assert list(last.diverged) == [False, False, True, True]
    assert last.diverged_epoch[0] == -1
    assert 1 <= last.diverged_epoch[2] <= 60
    assert last.diverged_epoch[3] == 1
    for s in states:
        assert np.all(np.isfinite(s.weights))
        assert np.all(np.isfinite(s.loss))
        assert np.all(np.isfinite(s.grad_norm))
    k = last.diverged_epoch[2]
    np.testing.assert_array_equal(last.weights[2], states[k - 1].weights[2])
    assert last.loss[1] < 1e-6 * states[0].loss[1]  # the good runs kept training


def test_lr_sweep_states_carry_one_row_per_run():
    cfg = RunConfig(lr=(1e-5, 2e-5), epochs=3)
    s = list(train(cfg))[-1]
    assert s.weights.shape == (2, 4)
    assert list(s.lr) == [1e-5, 2e-5]
    assert s.last_loss.shape == (2,)


def test_trainer_steps_on_demand_and_returns_the_last_state_when_done():
    t = Trainer(RunConfig(epochs=2))
    assert t.state.epoch == 0
    assert not t.done
    t.step()
    s = t.step()
    assert t.done
    assert s.epoch == 2
    assert t.step() is s


def test_set_lr_is_validated():
    t = Trainer(RunConfig(epochs=2))
    with pytest.raises(ValueError, match="Learning rate"):
        t.set_lr(-1)
    with pytest.raises(ValueError, match="1 learning rates"):
        t.set_lr((1e-5, 2e-5))


def test_full_batch_gradient_descent_follows_the_numpy_recursion():
    cfg = RunConfig(batch_size=10, lr=5e-5, epochs=50, seed=2)
    data = make_dataset(cfg)
    states = list(train(cfg))
    X, y, w = data.X.astype(np.float64), data.y.astype(np.float64), states[0].run(0).weights.copy()
    for s in states[1:]:
        w = w - cfg.lr * 2 / len(y) * X.T @ (X @ w - y)  # computed with float64 NumPy, step by step
        np.testing.assert_allclose(s.run(0).weights, w, rtol=1e-9)


def test_big_batches_train_without_a_batch_by_batch_matrix():
    # a (batch x batch) helper for a 200,000-sample batch would need 40 GB; one was built here once
    cfg = RunConfig(n_samples=200_000, batch_size=200_000, lr=5e-5, epochs=3)
    states = list(train(cfg))
    assert states[-1].run(0).loss < states[0].run(0).loss


def test_batches_longer_than_a_solve_chunk_follow_torch_optim():
    cfg = RunConfig(n_samples=1000, batch_size=300, lr=5e-5, epochs=40, seed=1)  # 300 > CHUNK, short last batch
    data = make_dataset(cfg)
    w0 = Trainer(cfg, data).state.run(0).weights
    ref = reference_train(data.X, data.y, w0, cfg.lr, 40, batch=300)[-1]
    assert np.abs(list(train(cfg, data))[-1].run(0).weights - ref).max() <= 1e-5 * np.abs(ref).max()


def test_masked_grams_rebuilt_each_epoch_when_too_big_to_keep_give_the_same_run(monkeypatch):
    from linviz import updates

    cfg = RunConfig(n_samples=700, batch_size=2, lr=1e-6, epochs=5, seed=6)
    kept = list(train(cfg))[-1].weights
    monkeypatch.setattr(updates, "MAX_CACHED_GRAM_BYTES", 0)  # as for millions of samples
    np.testing.assert_array_equal(list(train(cfg))[-1].weights, kept)


def test_a_rejected_lr_change_leaves_the_run_as_it_was():
    t = Trainer(RunConfig(epochs=2))
    with pytest.raises(ValueError):
        t.set_lr((1e-5, 2e-5))
    assert t.cfg.lr == 1e-5


@pytest.mark.parametrize("optimizer,batch,shuffle", [("sgd", 1, False), ("sgd", 3, True), ("momentum", 1, False),
                                                      ("adam", 1, True), ("adam", 7, False)])
def test_an_epoch_trained_in_slices_is_the_epoch_trained_at_once(optimizer, batch, shuffle, monkeypatch):
    """advance() in the smallest slices (one chunk, one block of steps) gives bit for bit what step() gives: Stop and
    Pause may cut a long epoch anywhere (issue 24)."""
    from linviz import updates
    monkeypatch.setattr(updates.Batches, "BLOCK", 3)  # many slices per epoch even on small data
    monkeypatch.setattr(updates.Batches, "CACHED_STEPS", 5)  # and the steps made block by block
    monkeypatch.setattr(Trainer, "SGD_SLICE", 1)  # a chunk of 128 samples a slice
    cfg = RunConfig(n_samples=2000, optimizer=optimizer, batch_size=batch, shuffle=shuffle, lr=1e-6, epochs=3)
    whole, sliced = Trainer(cfg), Trainer(cfg)
    slices = 0
    for _ in range(3):
        whole.step()
        while not sliced.advance(0.0):  # one slice at a time
            slices += 1
            assert 0 < sliced.in_epoch < 1 and sliced.state.epoch == whole.state.epoch - 1  # mid-epoch: last state
        assert sliced.in_epoch == 0
        np.testing.assert_array_equal(sliced.state.weights, whole.state.weights)
        np.testing.assert_array_equal(sliced.state.last_loss, whole.state.last_loss)
        assert sliced.steps == whole.steps
    assert slices > 3 * 10


def test_a_long_epoch_of_one_sample_steps_is_made_a_block_at_a_time():
    """Momentum and Adam at batch 1 kept a view per step for the whole epoch (2.3 GB for 1M samples); now a block of
    steps exists at a time, the same steps in the same order."""
    from linviz import updates
    X, y = torch.arange(20.0).reshape(10, 2), torch.arange(10.0)
    plan = updates.Batches(X, y, 3)
    assert len(plan) == 4 and plan._kept is not None
    big = updates.Batches(torch.zeros(updates.Batches.CACHED_STEPS + 1, 2), torch.zeros(updates.Batches.CACHED_STEPS + 1), 1)
    assert big._kept is None
    steps = plan.block(1, 3)
    assert [s.x.tolist() for s in steps] == [X[3:6].tolist(), X[6:9].tolist()]
    assert [s.neg_y.tolist() for s in steps] == [[[-3.0, -4.0, -5.0]], [[-6.0, -7.0, -8.0]]]
    assert [s.coef for s in plan.block(0, 4)] == [2 / 3, 2 / 3, 2 / 3, 2.0]  # the short last batch
