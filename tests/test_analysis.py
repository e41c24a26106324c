"""The learning-rate analysis against independent oracles: numpy.linalg in float64, and brute force
(training the literal tutorial loop just below and just above the computed threshold)."""
import time

import numpy as np
import pytest
from helpers_analysis import assert_sane
from oracle import mse64, reference_train

from linviz import Dataset, RunConfig, make_dataset, train, tutorial_train
from linviz.analysis import (
    MAP_BUDGET,
    SPECTRUM_WORK,
    TOL,
    analysis_memory,
    analyze,
    least_squares,
    loss_slice,
    map_rows,
    spectrum_rows,
)
from linviz.analyze_cli import report
from linviz.cli import main
from linviz.report import outcome
from linviz.stability import EVAL_COUNT, EpochMap, map_cost


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


@pytest.mark.parametrize("seed", [0, 3])  # the autograd loop is slow; test_analysis_properties covers any data
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
        if a.classify(lr).kind != "oscillates but converges" or a.dominant([lr])[0].real > 0:
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


# --- analysis that holds for any data: one case per reported bug, and each counterexample found --------
def _trained(cfg, lr, epochs, data=None):
    return list(train(cfg.replace(lr=lr, epochs=int(epochs)), data))[-1]


LONG_EPOCHS = {"100 samples": RunConfig(n_samples=100), "1000 samples, batch 10": RunConfig(n_samples=1000, batch_size=10),
               "momentum, 100 samples": RunConfig(n_samples=100, optimizer="momentum"),
               "momentum, 300 samples": RunConfig(n_samples=300, optimizer="momentum"),
               "60 weights, 200 samples": RunConfig(n_samples=200, true_weights=tuple(float(k % 9 + 1) for k in range(60)))}


@pytest.mark.parametrize("cfg", LONG_EPOCHS.values(), ids=LONG_EPOCHS.keys())
def test_long_epochs_no_longer_overflow_the_epoch_map(cfg):
    a = analyze(cfg)  # the product of hundreds of step matrices used to reach inf and make eigvals raise
    assert_sane(a)
    assert 0 < a.threshold < 1e-3 and 0 < a.best_lr < 1e-3


def test_100_samples_threshold_holds_when_trained():
    cfg = RunConfig(n_samples=100)
    a = analyze(cfg)
    assert a.exact and a.determined and 5e-5 < a.threshold < 9e-5
    below = _trained(cfg, 0.9 * a.threshold, a.classify(0.9 * a.threshold).epochs * 1.5 + 10)
    above = _trained(cfg, 1.1 * a.threshold, 200)
    assert not below.diverged and np.abs(below.weights - cfg.true_weights).max() < TOL
    assert above.diverged


def test_momentum_can_be_stable_in_separate_lr_ranges_and_training_agrees():
    cfg = RunConfig(n_samples=100, optimizer="momentum", epochs=300)
    a = analyze(cfg)
    (_, first), (lo, hi), *_ = a.stable_intervals  # stable again above the threshold, in a narrow window
    assert first == a.threshold < lo < hi and any("several separate ranges" in s for s in a.notes)
    window, gap = np.sqrt(lo * hi), np.sqrt(first * lo)
    assert a.classify(window).kind != "diverges" and a.classify(gap).kind == "diverges"
    inside, between = _trained(cfg, window, 300), _trained(cfg, gap, 300)
    assert not inside.diverged and np.abs(inside.weights - cfg.true_weights).max() < TOL
    assert between.diverged


def test_two_samples_four_weights_report_the_rank_and_the_fit_training_reaches():
    cfg = RunConfig(n_samples=2, epochs=400)
    a = analyze(cfg)
    assert a.rank == 2 and not a.determined and any("2 samples cannot determine 4 weights" in s for s in a.notes)
    r = a.classify(0.9 * a.threshold)
    assert r.kind != "diverges" and np.isfinite(r.epochs)  # to the reachable fit, which training does reach
    last = _trained(cfg, 0.9 * a.threshold, 400)
    assert np.abs(last.weights - a.reachable).max() < TOL < np.abs(last.weights - cfg.true_weights).max()
    X = make_dataset(cfg).X.astype(np.float64)
    assert np.abs(X @ a.reachable - X @ np.array(cfg.true_weights)).max() < 1e-3  # fits the samples exactly
    kind, text = outcome(cfg.replace(lr=0.9 * a.threshold), last, reachable=a.reachable)
    assert kind == "converged" and "Fits the samples" in text and "cannot determine 4 weights" in text
    short = _trained(cfg, 0.9 * a.threshold, 5)
    kind, text = outcome(cfg.replace(epochs=5), short, reachable=a.reachable)
    assert kind == "not-converged" and "no number of epochs reaches the true weights" in text


def test_standardised_four_samples_four_weights_is_rank_3_and_lr_001_converges():
    cfg = RunConfig(n_samples=4, standardize=True)
    a = analyze(cfg)  # centring leaves 4 samples 3 directions: the 4th used to count, with rho = 1 "diverges"
    assert a.rank == 3 and a.classify(0.01).kind != "diverges" and a.classify(0.1).kind == "converges smoothly"
    last = _trained(cfg, 0.01, 400)
    assert not last.diverged and np.abs(last.weights - a.reachable).max() < TOL


@pytest.mark.parametrize("cfg", [RunConfig(), RunConfig(optimizer="momentum"), RunConfig(n_samples=2)])
def test_a_tiny_lr_is_too_slow_with_a_finite_epoch_count(cfg):
    r = analyze(cfg).classify(1e-25)  # rho = 1 - 1e-21 rounds to 1.0: the first-order term decides
    assert r.kind == "too slow" and 1e20 < r.epochs < np.inf


def test_all_zero_features_never_move_and_nothing_diverges():
    cfg = RunConfig(n_samples=1, standardize=True)  # one sample, centred: X = 0
    a = analyze(cfg)
    assert a.rank == 0 and a.threshold == np.inf and np.isnan(a.best_lr)
    assert [r.kind for r in a.classify_many([1e-9, 1.0, 1e9])] == ["converges smoothly"] * 3
    assert "all zero" in a.note and "Rank 0" in report(cfg)


def test_duplicate_columns_are_rank_deficient_and_training_ends_at_the_reachable_fit():
    cfg = RunConfig(n_samples=10, epochs=600, seed=1)
    base = make_dataset(cfg)
    X = base.X.copy()
    X[:, 2] = X[:, 1]  # weights 2 and 3 see the same feature: only their sum is determined
    data = Dataset(X, X.astype(np.float64) @ np.array(cfg.true_weights), None, None, base.scale, base.offset)
    a = analyze(cfg, data)
    assert a.rank == 3 and not a.determined
    last = _trained(cfg, 0.5 * a.threshold, 600, data)
    assert np.abs(last.weights - a.reachable).max() < TOL


def test_features_around_zero_with_all_zero_rows_stay_sane():
    for seed in range(5):
        cfg = RunConfig(n_samples=6, feature_min=-1, feature_max=1, seed=seed)
        a = analyze(cfg)
        assert_sane(a)
        if a.rank and np.isfinite(a.threshold):
            last = _trained(cfg, 0.5 * a.threshold, 2 * a.classify(0.5 * a.threshold).epochs + 10)
            assert np.abs(last.weights - a.reachable).max() < TOL, seed


def test_millions_of_samples_get_a_fast_labelled_estimate():
    cfg = RunConfig(n_samples=4_600_000)
    data = make_dataset(cfg)
    t0 = time.perf_counter()
    a = analyze(cfg, data)
    assert time.perf_counter() - t0 < 15.0  # was ~50 s and 8.8 GiB; ~0.2 s with one BLAS thread
    assert not a.exact and "first" in a.note and "cannot diverge" in a.note
    assert a.safe_lr <= a.threshold and 5e-5 < a.threshold < 1e-4
    assert analysis_memory(cfg) < 200 * 2**20


@pytest.mark.parametrize("shape", [(100_000, 4, 1), (1000, 1000, 1), (20, 1000, 1), (200, 60, 1), (5000, 4, 10)])
def test_large_settings_answer_quickly_with_bounded_work(shape):
    n, d, b = shape
    cfg = RunConfig(n_samples=n, true_weights=tuple(float(k % 7 + 1) for k in range(d)), batch_size=b)
    data = make_dataset(cfg)
    t0 = time.perf_counter()
    a = analyze(cfg, data)
    assert time.perf_counter() - t0 < 15.0  # ~0.3 s with one BLAS thread; a loaded 2-core CI machine is slower
    assert_sane(a)
    rows = spectrum_rows(n, d)  # the work the analysis allows itself, whatever the machine
    assert rows * d * min(rows, d) + 4 * min(rows, d) ** 3 <= SPECTRUM_WORK
    p = map_rows(n, min(rows, d), b, False)
    assert EVAL_COUNT * map_cost(p, min(p, d), b, False) <= MAP_BUDGET
    assert analysis_memory(cfg) < 128 * 2**20


def test_cli_analyze_names_the_rank_the_reachable_fit_and_several_stable_ranges(capsys):
    assert main(["analyze", "--samples", "2"]) == 0
    out = capsys.readouterr().out
    assert "Rank 2 of 4" in out and "Training ends at the fit nearest its start" in out
    assert "of the fit training reaches" in out
    assert main(["analyze", "--samples", "100", "--optimizer", "momentum"]) == 0
    assert "Stable in several separate ranges" in capsys.readouterr().out


def _product(Z, batch, lr, momentum=None):
    """Oracle: log |dominant eigenvalue| and angle of the epoch map, multiplying the step matrices one by one
    (renormalised as it goes, so nothing overflows), in the (w, lr v) state for momentum."""
    n, s = Z.shape
    eye = np.eye(s)
    P, logs = np.eye(2 * s if momentum is not None else s), 0.0
    for i in range(0, n, batch):
        H = 2.0 / len(Z[i:i + batch]) * Z[i:i + batch].T @ Z[i:i + batch]
        A = eye - lr * H if momentum is None else np.block([[eye - lr * H, -momentum * eye], [lr * H, momentum * eye]])
        P = A @ P
        logs += np.log(np.abs(P).max())
        P /= np.abs(P).max()
    ev = np.linalg.eigvals(P)
    top = ev[np.argmax(np.abs(ev))]
    others = (np.abs(ev - top) > 1e-6 * abs(top)) & (np.abs(ev - np.conj(top)) > 1e-6 * abs(top))
    rivals = np.abs(ev[others])
    alone = not np.any(rivals > (1 - 1e-6) * abs(top))  # the angle is only defined for a lone dominant pair
    return np.log(np.abs(top)) + logs, np.angle(top) if alone else None


@pytest.mark.parametrize("n, s, batch, momentum", [(10, 4, 1, None), (13, 4, 3, None), (7, 4, 4, None), (100, 4, 1, None),
                                                   (40, 6, 5, 0.9), (10, 4, 1, 0.9), (37, 3, 2, 0.5), (20, 20, 1, None)])
def test_epoch_map_matches_the_product_of_its_step_matrices(n, s, batch, momentum):
    """Chunks padded with empty batches once let momentum decay in them (37 samples, batch 2, momentum)."""
    Z = np.random.default_rng(n * s + batch).integers(-3, 10, size=(n, s)).astype(float)
    emap = EpochMap(Z, batch, momentum)
    top = 2.0 / np.linalg.eigvalsh(Z.T @ Z * 2 / n)[-1]
    lrs = top * np.geomspace(1e-6, 30, 13)
    log_rho, angle = emap.spectrum(lrs)
    for lr, got, ang in zip(lrs, log_rho, angle):
        want, want_angle = _product(Z, batch, lr, momentum)
        assert got == pytest.approx(want, rel=1e-7, abs=1e-9), lr
        assert want_angle is None or abs(abs(ang) - abs(want_angle)) < 1e-6


def test_epoch_map_keeps_1_minus_rho_for_tiny_lrs():
    """Near lr = 0 the map is I - lr S + O(lr^2): log rho = -lr s_min to full precision, not 0."""
    Z = np.random.default_rng(0).integers(1, 100, size=(10, 4)).astype(float)
    S = Z.T @ Z * 2.0
    s_min, s_max = np.linalg.eigvalsh(S)[[0, -1]]
    for lr in np.geomspace(1e-16, 1e-8, 5) / s_max:
        assert EpochMap(Z, 1).spectrum([lr])[0][0] == pytest.approx(-lr * s_min, rel=1e-4)


def test_nearly_rank_one_wide_data_stays_fast():
    """Features -1e6..-999901 for 1000 weights: the span is numerically one direction, and the epoch map's
    coordinates once came from a 1000 x 1000 eigendecomposition per call (seconds)."""
    cfg = RunConfig(n_samples=3000, true_weights=(1.0,) * 1000, feature_min=-1_000_000, feature_max=-999_901)
    data = make_dataset(cfg)
    t0 = time.perf_counter()
    a = analyze(cfg, data)
    assert time.perf_counter() - t0 < 15.0 and a.rank < 10
    assert_sane(a)


def test_nearly_dependent_features_count_as_dependent_and_training_stays_within_tolerance_of_the_fit():
    """Hypothesis found: features -1e6 or -999999 leave a second direction with curvature ~1e-13 of the
    first. It counts as flat (rank 1); momentum 0.99 still drifts along it, by ~1.5e-3 over the run: the
    reachable fit holds to the page's tolerance, not to 1e-3 of the starting distance."""
    cfg = RunConfig(true_weights=(0.0, 0.0), n_samples=19, optimizer="momentum", momentum=0.99,
                    feature_min=-1_000_000, feature_max=-999_999)
    a = analyze(cfg)
    assert a.rank == 1 and any("so nearly that training cannot tell" in s for s in a.notes)
    lr = 0.7 * a.threshold
    last = _trained(cfg, lr, 2 * a.classify(lr).epochs + 30)
    assert not last.diverged and np.abs(last.weights - a.reachable).max() < TOL
