"""Every lecture preset shows its named behaviour, for seeds 0 to 9, when actually trained."""
import numpy as np
import pytest

from linviz import train
from linviz.analysis import TOL
from linviz.presets import PRESETS, preset

CONVERGING = ["The tutorial (4 weights)", "The tutorial with 7 weights", "Just right", "Standardised features",
              "Full batch (vs per-sample)"]


def run(name, seed):
    cfg = preset(name, seed)
    states = list(train(cfg))
    err = np.array([np.abs(s.weights - cfg.true_weights) for s in states])
    return cfg, states, err


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("name", CONVERGING)
def test_converging_presets_reach_the_weights(name, seed):
    _cfg, states, err = run(name, seed)
    assert not states[-1].diverged and err[-1].max() < TOL, f"{name}, seed {seed}: {err[-1].max():.3g}"


@pytest.mark.parametrize("seed", range(10))
def test_too_small_crawls(seed):
    _cfg, states, err = run("Too small", seed)
    assert not states[-1].diverged and err[-1].max() > 10 * TOL and states[-1].loss < states[0].loss


@pytest.mark.parametrize("seed", range(10))
def test_diverging_diverges(seed):
    _cfg, states, _ = run("Diverging", seed)
    assert states[-1].diverged and states[-1].diverged_epoch <= 20


@pytest.mark.parametrize("seed", range(10))
def test_oscillating_overshoots_back_and_forth_and_still_converges(seed):
    cfg, states, _ = run("Oscillating", seed)
    assert not states[-1].diverged
    w = np.array([s.weights for s in states])
    assert np.abs(w[-1] - cfg.true_weights).max() < TOL
    steps = np.diff(w[:31], axis=0)  # early, while the steps are far above rounding
    reversals = np.mean(np.sum(steps[1:] * steps[:-1], axis=1) < 0)
    assert reversals > 0.6, f"seed {seed}: only {reversals:.0%} of the steps reverse the previous one"


def test_every_preset_is_tested_and_documented():
    tested = set(CONVERGING) | {"Too small", "Diverging", "Oscillating"}
    assert tested == set(PRESETS)
    assert all(description for description, _ in PRESETS.values())
