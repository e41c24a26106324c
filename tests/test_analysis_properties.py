"""Properties of the lr analysis over generated configs: it never raises and says only what training does.

The oracle is tests/helpers_analysis.train64, an independent float64 loop. Each counterexample Hypothesis
found is kept as an explicit case in tests/test_analysis_any_data.py.
"""
import numpy as np
from helpers_analysis import any_config, assert_sane, share, small_config, span, train64
from hypothesis import assume, given
from hypothesis import strategies as st

from linviz import make_dataset
from linviz.analysis import analyze
from linviz.analysis_cost import analysis_memory
from linviz.analyze_cli import analysis_text
from linviz.model import initial_weights

MAX_EPOCHS = 1200  # the oracle's budget per example; lrs that need more to show their behaviour are skipped


@share(0.5)
@given(any_config())
def test_analysis_never_raises_and_reports_finite_numbers_or_explicit_unknowns(cfg):
    a = analyze(cfg)
    assert_sane(a)
    assert isinstance(analysis_memory(cfg), int)
    assert analysis_memory(cfg) > 0
    if a.rank < cfg.n_weights:
        assert not a.determined
        assert any("Rank" in s for s in a.notes)
    if len(a.stable_intervals) > 1:
        assert any("several separate ranges" in s for s in a.notes)


@share(0.3)
@given(any_config(max_cells=20_000))
def test_the_cli_report_never_raises_and_names_the_new_facts(cfg):
    out = analysis_text(cfg)
    a = analyze(cfg)
    assert "Hessian" in out
    for sentence in a.notes:
        assert sentence in out
    assert ("of the fit training reaches" in out) != a.determined


def _epochs_to_show(rho: float, factor: float) -> float:
    """Epochs for an error that changes by rho per epoch to change by `factor`, with room for transients."""
    if rho <= 0:
        return 5
    step = abs(np.log(rho))
    return 2 * np.log(factor) / step + 30 if step > 0 else np.inf


def _check_against_training(cfg, lrs):
    """Train each lr with the oracle and compare with the analysis's regime: diverge, or converge to the
    reachable fit (within the samples' span to 1e-3 of the start's distance; across the directions the
    analysis counts as flat, curvature below 1e-10 of the largest, within the page's tolerance). lrs that need
    more than MAX_EPOCHS to show their behaviour are left out."""
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    assume(a.exact and a.rank > 0 and np.isfinite(a.threshold))
    target = a.reachable * data.scale  # model units: where training ends when it converges
    w0 = initial_weights(cfg.n_weights, cfg.seed).double().numpy()
    regimes = a.classify_many(lrs)
    need = [_epochs_to_show(r.rho, 1e3 if r.kind != "diverges" else 1e4) for r in regimes]
    keep = [i for i, e in enumerate(need) if e <= MAX_EPOCHS]
    if not keep:
        return
    momentum = cfg.momentum if cfg.optimizer == "momentum" else None
    W = train64(data.X, data.y, w0, [lrs[i] for i in keep], int(max(need[i] for i in keep)), cfg.batch_size, momentum)
    V = span(data.X)
    d0 = np.linalg.norm(w0 - target)
    floor = 1e-6 * (1 + np.abs(target).max()) * max(1.0, np.sqrt(a.condition))  # float32 data's rounding
    for col, i in enumerate(keep):
        gap = W[int(need[i]), col] - target
        if regimes[i].kind == "diverges":
            assert not np.linalg.norm(gap) < 1e3 * d0, (cfg, lrs[i], regimes[i], d0, gap)
        else:
            inside = V @ (V.T @ gap)
            assert np.linalg.norm(inside) < 1e-3 * d0 + floor, (cfg, lrs[i], regimes[i], d0, gap)
            assert np.linalg.norm(gap - inside) < a.tol + floor, (cfg, lrs[i], regimes[i], d0, gap)


@share(0.8)
@given(small_config(), st.lists(st.floats(-3.0, 1.2), min_size=2, max_size=2))
def test_plain_sgd_converges_below_and_diverges_above_the_threshold_as_training_shows(cfg, logs):
    a = analyze(cfg)
    assume(np.isfinite(a.threshold) and a.rank > 0)
    edges = [e for iv in a.stable_intervals for e in iv if 0 < e < np.inf]
    away = [a.threshold * np.exp(u) for u in logs if all(abs(np.log(a.threshold * np.exp(u) / e)) > 0.1 for e in edges)]
    _check_against_training(cfg, [0.7 * a.threshold, 1.4 * a.threshold, *away])


@share(0.4)
@given(small_config(optimizers=("momentum",)), st.floats(-2.0, 1.0))
def test_momentum_regimes_match_training(cfg, log_factor):
    a = analyze(cfg)
    assume(np.isfinite(a.threshold) and a.rank > 0)
    lr = a.threshold * np.exp(log_factor)
    edges = [e for iv in a.stable_intervals for e in iv if 0 < e < np.inf]
    assume(all(abs(np.log(lr / e)) > 0.1 for e in edges))
    _check_against_training(cfg, [0.5 * a.threshold, lr])


@share(0.6)
@given(small_config(deficient=True))
def test_on_rank_deficient_data_training_ends_at_the_reachable_fit(cfg):
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    assume(a.rank < cfg.n_weights and a.rank > 0 and np.isfinite(a.threshold))
    assert not a.determined
    assert a.reachable is not None
    X = data.X.astype(np.float64)
    target = a.reachable * data.scale
    assert np.abs(X @ target - data.y).max() < 1e-3 * (1 + np.abs(data.y).max())  # it fits the samples
    w0 = initial_weights(cfg.n_weights, cfg.seed).double().numpy()
    gap = target - w0  # the fit nearest w0: reached by moving along the samples' span only
    coef = np.linalg.lstsq(X.T, gap, rcond=1e-5)[0]  # oracle: gap as a combination of the samples
    assert np.linalg.norm(X.T @ coef - gap) <= 1e-6 * (1 + np.linalg.norm(gap))
    assert np.linalg.matrix_rank(X, tol=1e-5 * np.linalg.norm(X, 2)) == a.rank  # oracle: numpy's SVD rank
    _check_against_training(cfg, [0.5 * a.threshold])
