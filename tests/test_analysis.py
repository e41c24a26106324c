"""The learning-rate analysis against independent oracles: numpy.linalg in float64, and brute force
(training the literal tutorial loop just below and just above the computed threshold).

Data that once broke the analysis (long epochs, rank deficiency, millions of samples) has its own cases in
tests/test_analysis_any_data.py; the epoch map itself is checked in tests/test_epoch_map.py."""
import numpy as np
import pytest
from oracle import mse64, reference_train

from linviz import RunConfig, make_dataset, train, tutorial_train
from linviz.analysis import TOL, analyze, ladder
from linviz.cli import main
from linviz.fit import least_squares, reachable_solution
from linviz.landscape import loss_slice, slice_condition


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


def test_when_the_samples_determine_the_weights_training_reaches_the_least_squares_fit():
    cfg = RunConfig(seed=3)
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    assert a.determined
    np.testing.assert_array_equal(a.reachable, a.least_squares)
    assert reachable_solution(cfg, data) is None  # nothing to add to the least squares


def test_full_batch_threshold_and_best_lr_are_the_textbook_formulas():
    cfg = RunConfig(batch_size=10, seed=2)
    a = analyze(cfg)
    lam = a.eigenvalues
    assert a.threshold == pytest.approx(2 / lam[-1], rel=1e-8)
    assert a.full_batch_threshold == pytest.approx(2 / lam[-1], rel=1e-8)
    assert a.best_lr == pytest.approx(2 / (lam[0] + lam[-1]), rel=1e-6)
    assert a.full_batch_best == pytest.approx(2 / (lam[0] + lam[-1]), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 3])  # the autograd loop is slow; test_analysis_properties covers any data
def test_literal_loop_converges_just_below_the_threshold_and_diverges_just_above(seed):
    cfg = RunConfig(seed=seed)
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    assert a.exact
    assert 3e-5 < a.threshold < 1.5e-4  # PERF.md: 5.4e-5 .. 8.4e-5 on the tutorial's data
    w0 = np.random.default_rng(seed).normal(size=4)
    losses = {}
    for factor in (0.98, 1.02):
        _, w, _ = list(tutorial_train(data.X, data.y, w0, factor * a.threshold, 800))[-1]
        losses[factor] = mse64(data.X, data.y, w) if np.all(np.isfinite(w)) else np.inf
    start = mse64(data.X, data.y, w0)
    assert losses[0.98] < start * 1e-2, "0.98 x threshold should converge"
    assert losses[1.02] > start * 1e2, "1.02 x threshold should diverge"


@pytest.mark.parametrize("seed", [1])  # torch.optim is slow; test_analysis_properties covers momentum on any data
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
    assert a.classify(1e-7).kind == "too slow"
    assert a.classify(2 * a.threshold).kind == "diverges"
    assert a.classify(0.3 * a.threshold).kind == "converges smoothly"
    for lr in (1e-5, 0.5 * a.threshold):
        predicted = a.classify(lr).epochs
        states = list(train(cfg.replace(lr=lr)))
        reached = next(s.epoch for s in states if np.abs(s.run(0).weights - cfg.true_weights).max() < TOL)
        assert 0.5 * reached <= predicted <= 1.5 * reached, (lr, predicted, reached)


def test_oscillating_regime_shows_sign_flips_in_the_error():
    for seed in range(10):
        cfg = RunConfig(seed=seed, epochs=1000)
        a = analyze(cfg)
        lr = 0.97 * a.threshold
        if a.classify(lr).kind != "oscillates but converges" or a.dominant([lr])[0].real > 0:
            continue
        states = list(train(cfg.replace(lr=lr)))[10:40]  # while the error is still large
        err = np.array([s.run(0).weights - cfg.true_weights for s in states])
        main_axis = np.linalg.svd(err, full_matrices=False)[2][0]
        signs = np.sign(err @ main_axis)
        assert np.mean(signs[1:] != signs[:-1]) > 0.8  # the error flips side almost every epoch
        return
    pytest.fail("no seed oscillated near the threshold")


def test_the_ladder_places_its_lrs_at_multiples_of_the_threshold():
    cfg = RunConfig()
    a = analyze(cfg)
    lrs = ladder(cfg, a, factors=(0.5, 1.5)).lrs
    assert lrs == pytest.approx((0.5 * a.threshold, 1.5 * a.threshold), rel=1e-2)  # to 3 significant digits


def test_loss_slice_matches_the_loss_computed_directly():
    cfg = RunConfig(seed=4)
    data = make_dataset(cfg)
    a_vals, b_vals, Z = loss_slice(cfg, data, 1, 3, n=7)
    for p, q in [(0, 0), (3, 3), (6, 2)]:
        w = np.array(cfg.true_weights, float)
        w[1], w[3] = a_vals[p], b_vals[q]
        assert Z[q, p] == pytest.approx(mse64(data.X, data.y, w), rel=1e-9, abs=1e-9)
    assert Z[3, 3] == pytest.approx(0, abs=1e-9)  # the true weights sit at the centre


def test_slice_condition_is_the_condition_number_of_the_two_columns():
    data = make_dataset(RunConfig(seed=4))
    s = np.linalg.svd(data.X.astype(np.float64)[:, [1, 3]], compute_uv=False)  # oracle: numpy's SVD
    assert slice_condition(data, 1, 3) == pytest.approx((s[0] / s[-1]) ** 2, rel=1e-9)


def test_adam_says_it_is_an_estimate():
    assert not analyze(RunConfig(optimizer="adam")).exact


def test_shuffling_says_it_is_an_estimate():
    shuffled = analyze(RunConfig(shuffle=True))
    assert not shuffled.exact
    assert "estimate" in shuffled.note


def test_cli_analyze_prints_thresholds_regimes_and_least_squares(capsys):
    assert main(["analyze", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    a = analyze(RunConfig(seed=0))
    assert f"diverges above lr = {a.threshold:.4g}" in out
    for text in ("[2.0000, 3.0000, 4.0000, 7.0000]", "condition number", "converges smoothly", "diverges", "<- yours"):
        assert text in out, text


def test_cli_analyze_names_the_rank_the_reachable_fit_and_several_stable_ranges(capsys):
    assert main(["analyze", "--samples", "2"]) == 0
    out = capsys.readouterr().out
    assert "Rank 2 of 4" in out
    assert "Training ends at the fit nearest its start" in out
    assert "of the fit training reaches" in out
    assert main(["analyze", "--samples", "100", "--optimizer", "momentum"]) == 0
    assert "Stable in several separate ranges" in capsys.readouterr().out

