"""The learning-rate analysis against independent oracles: numpy.linalg in float64, and brute force
(training the literal tutorial loop just below and just above the computed threshold)."""
import numpy as np
import pytest
from oracle import mse64, reference_train

from linviz import RunConfig, make_dataset, train, tutorial_train
from linviz.analysis import TOL, analyze, least_squares, loss_slice
from linviz.cli import main


@pytest.mark.parametrize("cfg", [RunConfig(seed=3), RunConfig(n_samples=30, noise_std=10.0, standardize=True, seed=1)])
def test_spectrum_and_least_squares_match_numpy_linalg(cfg):
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    X, y = data.X.astype(np.float64), data.y.astype(np.float64)
    s = np.linalg.svd(X, compute_uv=False)  # oracle: H's eigenvalues are 2 s^2 / N
    np.testing.assert_allclose(a.eigenvalues, np.sort(2 * s**2 / len(y)), rtol=1e-10)
    assert a.condition == pytest.approx((s[0] / s[-1]) ** 2, rel=1e-10)
    w_normal = np.linalg.solve(X.T @ X, X.T @ y)  # oracle: the normal equations
    np.testing.assert_allclose(least_squares(data), data.to_original(w_normal), rtol=1e-7)


def test_full_batch_threshold_and_best_lr_are_the_textbook_formulas():
    cfg = RunConfig(batch_size=10, seed=2)
    a = analyze(cfg)
    lam = a.eigenvalues
    assert a.threshold == pytest.approx(2 / lam[-1], rel=1e-8) == a.full_batch_threshold
    assert a.best_lr == pytest.approx(2 / (lam[0] + lam[-1]), rel=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_literal_loop_converges_just_below_the_threshold_and_diverges_just_above(seed):
    cfg = RunConfig(seed=seed)
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    assert a.exact and 3e-5 < a.threshold < 1.5e-4  # PERF.md: 5.4e-5 .. 8.4e-5 on the tutorial's data
    w0 = np.random.default_rng(seed).normal(size=4)
    losses = {}
    for factor in (0.98, 1.02):
        _, w, _ = list(tutorial_train(data.X, data.y, w0, factor * a.threshold, 800))[-1]
        losses[factor] = mse64(data.X, data.y, w) if np.all(np.isfinite(w)) else np.inf
    start = mse64(data.X, data.y, w0)
    assert losses[0.98] < start * 1e-2, "0.98 x threshold should converge"
    assert losses[1.02] > start * 1e2, "1.02 x threshold should diverge"


@pytest.mark.parametrize("seed", range(3))
def test_momentum_threshold_by_brute_force_with_torch_optim(seed):
    cfg = RunConfig(optimizer="momentum", seed=seed)
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    w0 = np.zeros(4)
    below = reference_train(data.X, data.y, w0, 0.95 * a.threshold, 1500, optimizer="momentum")[-1]
    above = reference_train(data.X, data.y, w0, 1.05 * a.threshold, 1500, optimizer="momentum")[-1]
    assert np.abs(below - cfg.true_weights).max() < 0.01
    assert not np.all(np.isfinite(above)) or np.abs(above).max() > 1e3


def test_regimes_and_predicted_epochs_agree_with_training():
    cfg = RunConfig(epochs=400, seed=0)
    a = analyze(cfg)
    assert a.classify(1e-7).kind == "too slow" and a.classify(2 * a.threshold).kind == "diverges"
    assert a.classify(0.3 * a.threshold).kind == "converges smoothly"
    for lr in (1e-5, 0.5 * a.threshold):
        predicted = a.classify(lr).epochs
        states = list(train(cfg.replace(lr=lr)))
        reached = next(s.epoch for s in states if np.abs(s.weights - cfg.true_weights).max() < TOL)
        assert 0.5 * reached <= predicted <= 1.5 * reached, (lr, predicted, reached)


def test_oscillating_regime_shows_sign_flips_in_the_error():
    for seed in range(10):
        cfg = RunConfig(seed=seed, epochs=1000)
        a = analyze(cfg)
        lr = 0.97 * a.threshold
        if a.classify(lr).kind != "oscillates but converges" or a._map.dominant([lr])[0].real > 0:
            continue
        err = np.array([s.weights - cfg.true_weights for s in train(cfg.replace(lr=lr))])[10:40]  # still large
        main_axis = np.linalg.svd(err, full_matrices=False)[2][0]
        signs = np.sign(err @ main_axis)
        assert np.mean(signs[1:] != signs[:-1]) > 0.8  # the error flips side almost every epoch
        return
    pytest.fail("no seed oscillated near the threshold")


def test_loss_slice_matches_the_loss_computed_directly():
    cfg = RunConfig(seed=4)
    data = make_dataset(cfg)
    a_vals, b_vals, Z = loss_slice(cfg, data, 1, 3, n=7)
    for p, q in [(0, 0), (3, 3), (6, 2)]:
        w = np.array(cfg.true_weights, float)
        w[1], w[3] = a_vals[p], b_vals[q]
        assert Z[q, p] == pytest.approx(mse64(data.X, data.y, w), rel=1e-9, abs=1e-9)
    assert Z[3, 3] == pytest.approx(0, abs=1e-9)  # the true weights sit at the centre


def test_adam_and_shuffling_say_they_are_estimates():
    assert not analyze(RunConfig(optimizer="adam")).exact
    shuffled = analyze(RunConfig(shuffle=True))
    assert not shuffled.exact and "estimate" in shuffled.note


def test_cli_analyze_prints_thresholds_regimes_and_least_squares(capsys):
    assert main(["analyze", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    a = analyze(RunConfig(seed=0))
    assert f"diverges above lr = {a.threshold:.4g}" in out
    assert "[2.0000, 3.0000, 4.0000, 7.0000]" in out and "condition number" in out
    assert "converges smoothly" in out and "diverges" in out and "<- yours" in out
