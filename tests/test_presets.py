"""Every lecture preset shows its named behaviour, for seeds 0 to 9 when actually trained, and for seeds
0 to 200 by the analysis."""
import numpy as np
import pytest
from helpers_analysis import share
from hypothesis import given
from hypothesis import strategies as st

from linviz import train
from linviz.analysis import TOL, analyze
from linviz.presets import PRESETS, preset

CONVERGING = ["The tutorial (4 weights)", "The tutorial with 7 weights", "Just right", "Standardised features",
              "Full batch (vs per-sample)"]


def run(name, seed):
    """The preset's config, each epoch's state of its (single) run, and each epoch's |w - w*| per weight."""
    cfg = preset(name, seed)
    states = [s.run(0) for s in train(cfg)]
    err = np.array([np.abs(s.weights - cfg.true_weights) for s in states])
    return cfg, states, err


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("name", CONVERGING)
def test_converging_presets_reach_the_weights(name, seed):
    _cfg, states, err = run(name, seed)
    assert not states[-1].diverged
    assert err[-1].max() < TOL, f"{name}, seed {seed}: {err[-1].max():.3g}"


@pytest.mark.parametrize("seed", range(10))
def test_too_small_crawls(seed):
    _cfg, states, err = run("Too small", seed)
    assert not states[-1].diverged
    assert err[-1].max() > 10 * TOL
    assert states[-1].loss < states[0].loss


@pytest.mark.parametrize("seed", range(10))
def test_diverging_diverges(seed):
    _cfg, states, _ = run("Diverging", seed)
    assert states[-1].diverged
    assert states[-1].diverged_epoch <= 20


@pytest.mark.parametrize("seed", range(10))
def test_oscillating_overshoots_back_and_forth_and_still_converges(seed):
    cfg, states, _ = run("Oscillating", seed)
    assert not states[-1].diverged
    w = np.array([s.weights for s in states])
    assert np.abs(w[-1] - cfg.true_weights).max() < TOL
    steps = np.diff(w[:31], axis=0)  # early, while the steps are far above rounding
    reversals = np.mean(np.sum(steps[1:] * steps[:-1], axis=1) < 0)
    assert reversals > 0.6, f"seed {seed}: only {reversals:.0%} of the steps reverse the previous one"


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_says_what_it_shows(name):
    description, _ = PRESETS[name]
    assert description


# --- each description holds for any seed: the analysis for many seeds, training for the seeds that failed ---
@share(0.2)  # CI: 5 seeds; the deep profile: 80
@given(st.integers(0, 200))
def test_every_preset_keeps_its_promise_for_any_seed_by_the_analysis(seed):
    for name in [*CONVERGING, "Oscillating"]:
        cfg = preset(name, seed)
        r = analyze(cfg).classify(cfg.lr)
        assert r.kind != "diverges", (name, seed, cfg.lr, r)
        assert r.epochs <= cfg.epochs, (name, seed, cfg.lr, r)
    cfg = preset("Too small", seed)
    a = analyze(cfg)
    r = a.classify(cfg.lr)  # still more than 10x the tolerance away after all its epochs
    assert r.kind == "too slow", (seed, r)
    assert np.log(10 * a.tol / a.error0) / np.log(r.rho) > cfg.epochs, (seed, r)
    cfg = preset("Diverging", seed)
    r = analyze(cfg).classify(cfg.lr)  # the loss (~error^2) grows 1e10-fold within 20 epochs, with room
    assert r.kind == "diverges", (seed, cfg.lr, r)
    assert np.log(1e6) / np.log(r.rho) <= 10, (seed, cfg.lr, r)
    assert preset("Standardised features", seed).lr > 1000 * preset("Just right", seed).lr


@pytest.mark.parametrize("name, seed", [("Diverging", 67), ("Diverging", 124), ("Full batch (vs per-sample)", 92)])
def test_presets_that_broke_for_some_seeds_hold_when_trained(name, seed):
    """Diverging at 1.5x took 40 and 54 epochs to blow up for seeds 67 and 124; full batch's fastest lr
    rounded up past the threshold for seed 92 (1.0957e-4 -> 1.1e-4)."""
    _cfg, states, err = run(name, seed)
    if name == "Diverging":
        assert states[-1].diverged
        assert states[-1].diverged_epoch <= 20
    else:
        assert not states[-1].diverged
        assert err[-1].max() < TOL
