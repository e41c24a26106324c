import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import configs

from linviz import RunConfig, make_dataset
from linviz import data as data_mod


def test_tutorial_data_shape_range_and_exact_targets():
    d = make_dataset(RunConfig())
    assert d.X.shape == (10, 4)
    assert d.y.shape == (10,)
    assert d.X.dtype == np.float32
    assert d.X.min() >= 1
    assert d.X.max() <= 100
    assert np.all(d.X == np.round(d.X))
    np.testing.assert_array_equal(d.y, d.X.astype(np.int64) @ np.array([2, 3, 4, 7]))  # integer arithmetic
    assert d.X_test is None
    assert d.y_test is None


def test_reproducible_from_the_seed_alone_whatever_the_global_seeds():
    cfg = RunConfig(n_samples=50, noise_std=1.0, test_fraction=0.2, seed=7)
    a = make_dataset(cfg)
    np.random.seed(99)
    torch.manual_seed(99)
    b = make_dataset(cfg)
    for x, y in [(a.X, b.X), (a.y, b.y), (a.X_test, b.X_test), (a.y_test, b.y_test)]:
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(make_dataset(cfg.replace(seed=8)).X, a.X)


def test_global_rng_state_is_unchanged_by_making_data():
    before_np, before_torch = np.random.get_state()[1].copy(), torch.get_rng_state().clone()
    make_dataset(RunConfig(n_samples=100, noise_std=2.0, test_fraction=0.3))
    assert np.array_equal(np.random.get_state()[1], before_np)
    assert torch.equal(torch.get_rng_state(), before_torch)


def test_test_split_sizes_and_disjointness():
    cfg = RunConfig(n_samples=40, test_fraction=0.25, seed=3)
    d = make_dataset(cfg)
    assert d.X.shape == (30, 4)
    assert d.X_test.shape == (10, 4)
    assert (cfg.n_train, cfg.n_test) == (30, 10)
    full = make_dataset(cfg.replace(test_fraction=0.0))
    rows = {tuple(r) for r in full.X}
    assert {tuple(r) for r in d.X} | {tuple(r) for r in d.X_test} == rows


def test_noise_has_the_requested_spread():
    cfg = RunConfig(n_samples=20_000, noise_std=3.0)
    d = make_dataset(cfg)
    resid = d.y.astype(np.float64) - d.X.astype(np.float64) @ np.array(cfg.true_weights)
    assert abs(resid.std() - 3.0) < 0.1
    assert abs(resid.mean()) < 0.1


def test_standardised_features_and_weights_back_in_raw_units():
    cfg = RunConfig(n_samples=200, standardize=True)
    d = make_dataset(cfg)
    np.testing.assert_allclose(d.X.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(d.X.std(0), 1, atol=1e-5)
    assert abs(d.y.mean()) < 1e-2
    w_model = np.array(cfg.true_weights) * d.scale  # what a perfect model learns on the scaled data
    np.testing.assert_allclose(d.X @ w_model, d.y, rtol=0, atol=1e-2)
    np.testing.assert_allclose(d.to_original(w_model), cfg.true_weights)


@settings(deadline=None)
@given(cfg=configs(max_cells=3000), rows=st.integers(1, 3000), block=st.integers(1, 50))
def test_the_first_rows_are_the_whole_data_sets_first_rows(cfg, rows, block):
    """data.first_rows (what the analysis of a data set too large to hold reads) keeps exactly make_dataset's first
    training samples, in blocks of any size; a standardised set's mean and scale agree to rounding (sums vs NumPy's
    pairwise mean). The oracle: make_dataset itself, drawn whole."""
    rows = min(rows, cfg.n_train)
    old, data_mod.STREAM_VALUES = data_mod.STREAM_VALUES, block
    try:
        first = data_mod.first_rows(cfg, rows)
    finally:
        data_mod.STREAM_VALUES = old
    whole = make_dataset(cfg)
    assert first.n_train == cfg.n_train == len(whole.y) and first.X.shape == (rows, cfg.n_weights)
    assert first.X_test is None
    np.testing.assert_allclose(first.scale, whole.scale, rtol=1e-9)
    if cfg.standardize:
        np.testing.assert_allclose(first.X, whole.X[:rows], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(first.y, whole.y[:rows], rtol=1e-5, atol=1e-4 * (1 + np.abs(whole.y[:rows]).max()))
    else:
        np.testing.assert_array_equal(first.X, whole.X[:rows])
        np.testing.assert_array_equal(first.y, whole.y[:rows])


def test_the_analysis_of_a_huge_data_set_never_draws_it_whole(monkeypatch):
    """/?samples=10000000&weights=<30 ones> drew 2.4 GB of features just to open the page (the lr hint analyses the
    data): the analysis reads only the first rows its spectrum needs, so only those are kept."""
    from linviz.analysis import analyze
    from linviz.analysis_cost import spectrum_rows
    cfg = RunConfig(n_samples=10_000_000, true_weights=(1.0,) * 30)
    kept = []
    real = data_mod.first_rows
    monkeypatch.setattr(data_mod, "first_rows", lambda c, r: kept.append(r) or real(c, r))
    a = analyze(cfg)
    assert kept == [spectrum_rows(cfg.n_train, 30)] and kept[0] < cfg.n_samples / 5
    assert not a.exact and any("first 1,110,991 of 10,000,000" in n for n in a.notes)
    assert 0 < a.threshold < a.safe_lr * 1e6 and a.safe_lr <= 1 / (30 * 100**2)  # the feature range's bound


@pytest.mark.parametrize("lo,hi", [(1634, 1635), (999_999, 1_000_000), (-1_000_000, -999_999), (7, 8)])
def test_first_rows_standardises_large_close_features_like_numpy(lo, hi):
    """Found by Hypothesis: features 1634..1635 have mean 1634.5 and std 0.5, and sums of x and x^2 lost the std to
    cancellation (1e-9 relative, 4e-4 at a million). Sums of x - (lo + hi) / 2 keep it; a constant feature stays
    unscaled as make_dataset leaves it."""
    cfg = RunConfig(n_samples=156, true_weights=(0.0, 1.0, 2.0), feature_min=lo, feature_max=hi, standardize=True)
    np.testing.assert_allclose(data_mod.first_rows(cfg, 10).scale, make_dataset(cfg).scale, rtol=1e-12)
    one = RunConfig(n_samples=1, true_weights=(1.0,), feature_min=lo, feature_max=hi, standardize=True, seed=3)
    assert data_mod.first_rows(one, 1).scale.tolist() == make_dataset(one).scale.tolist() == [1.0]
