"""Every lecture preset shows its named behaviour when the engine trains it, for seeds 0 to 9 and the seeds that once
broke a preset, and its numbers (preset_numbers) are what that training shows; by the analysis for seeds 0 to 200.
tests/test_presets_measured.py checks every word and number for seeds 0 to 1000."""
import numpy as np
import pytest
from helpers_analysis import share
from hypothesis import given
from hypothesis import strategies as st

from linviz import train
from linviz.analysis import TOL, analyze
from linviz.presets import EXPLODES, PRESETS, ZIGZAG, preset, preset_description, preset_numbers
from linviz.say import Msg

CONVERGING = ["The tutorial (4 weights)", "The tutorial with 7 weights", "Just right", "Standardised features",
              "Full batch (vs per-sample)"]


def run(name, seed):
    """The preset's config, each epoch's state of its (single) run, and each epoch's max |w - w*| over the weights."""
    cfg = preset(name, seed)
    states = [s.run(0) for s in train(cfg)]
    err = np.array([np.abs(s.weights - cfg.true_weights).max() for s in states])
    return cfg, states, err


def within_from(err) -> int:
    """The epoch from which err stays below TOL (to the last)."""
    bad = np.flatnonzero(~(err < TOL))
    return 0 if not len(bad) else int(bad[-1]) + 1


def reversals(states, epochs=ZIGZAG) -> int:
    """How many of the first `epochs` epochs step against the epoch before."""
    steps = np.diff(np.array([s.weights for s in states[:epochs + 1]]), axis=0)
    return int(np.sum(np.sum(steps[1:] * steps[:-1], axis=1) < 0))


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("name", CONVERGING)
def test_converging_presets_reach_the_weights_from_the_epoch_they_say(name, seed):
    cfg, states, err = run(name, seed)
    assert not states[-1].diverged
    assert err[-1] < TOL, f"{name}, seed {seed}: {err[-1]:.3g}"
    assert within_from(err) == preset_numbers(name, seed).values["reached"] < cfg.epochs


@pytest.mark.parametrize("seed", range(10))
def test_too_small_crawls(seed):
    _cfg, states, err = run("Too small", seed)
    assert not states[-1].diverged
    assert err[-1] > 10 * TOL
    assert states[-1].loss < states[0].loss
    assert float(preset_numbers("Too small", seed).values["error"]) == float(f"{err[-1]:.2g}")


@pytest.mark.parametrize("seed", range(10))
def test_diverging_diverges_at_the_epoch_it_says(seed):
    _cfg, states, _ = run("Diverging", seed)
    assert states[-1].diverged
    assert states[-1].diverged_epoch == preset_numbers("Diverging", seed).values["epoch"] <= EXPLODES


@pytest.mark.parametrize("seed", range(10))
def test_oscillating_overshoots_back_and_forth_and_still_converges(seed):
    cfg, states, err = run("Oscillating", seed)
    numbers = preset_numbers("Oscillating", seed)
    assert not states[-1].diverged
    assert err[-1] < TOL and within_from(err) == numbers.values["reached"]
    assert reversals(states) == numbers.values["reversals"] > 0.6 * (ZIGZAG - 1), f"seed {seed}"
    assert numbers.key == ("core.preset.oscillating.numbers" if cfg.batch_size == 1 else
                           "core.preset.oscillating.full_batch")  # says how many samples a step


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_says_what_it_shows(name):
    description, _ = PRESETS[name]
    assert isinstance(description, Msg) and description is preset_description(name)
    numbers = preset_numbers(name, 0)
    assert isinstance(numbers, Msg) and numbers.values and "{" not in numbers


# --- each description holds for any seed: the analysis for many seeds, training for the seeds that failed ---
@share(0.2)  # CI: 5 seeds; the deep profile: 80
@given(st.integers(0, 200))
def test_every_preset_keeps_its_promise_for_any_seed_by_the_analysis(seed):
    for name in [*CONVERGING, "Oscillating"]:
        cfg = preset(name, seed)
        r = analyze(cfg).classify(cfg.lr)
        assert r.kind != "diverges", (name, seed, cfg.lr, r)
        assert preset_numbers(name, seed).values["reached"] < cfg.epochs, (name, seed)
    cfg = preset("Too small", seed)
    a = analyze(cfg)
    r = a.classify(cfg.lr)  # still more than 10x the tolerance away after all its epochs
    assert r.kind == "too slow", (seed, r)
    assert np.log(10 * a.tol / a.error0) / np.log(r.rho) > cfg.epochs, (seed, r)
    cfg = preset("Diverging", seed)
    assert analyze(cfg).classify(cfg.lr).kind == "diverges", (seed, cfg.lr)
    assert preset("Standardised features", seed).lr > 100 * preset("Just right", seed).lr


@pytest.mark.parametrize("name, seed", [("Diverging", 67), ("Diverging", 124), ("Diverging", 190),
                                        ("Full batch (vs per-sample)", 92), ("Just right", 184), ("Just right", 416),
                                        ("Oscillating", 241), ("Oscillating", 262), ("Oscillating", 318)])
def test_presets_that_broke_for_some_seeds_hold_when_trained(name, seed):
    """Diverging at 1.5x took 40 and 54 epochs to blow up for seeds 67 and 124, and 11 for seed 190 (its words said "a
    few"); full batch's fastest lr rounded up past the threshold for seed 92 (1.0957e-4 -> 1.1e-4); seed 184 has a
    window of diverging lrs (9.12e-5 to 9.53e-5) just below where the analysis once put its threshold; seed 416's
    fastest lr is 0.4 % below its threshold (the preset keeps 2 % clear); seeds 241, 262 and 318 had no oscillating
    lr on a 3-digit grid, or none whose error shrinks 0.5 % an epoch (ill-conditioned data, full batch)."""
    _cfg, states, err = run(name, seed)
    numbers = preset_numbers(name, seed)
    if name == "Diverging":
        assert states[-1].diverged
        assert states[-1].diverged_epoch == numbers.values["epoch"] <= EXPLODES
    else:
        assert not states[-1].diverged
        assert err[-1] < TOL and within_from(err) == numbers.values["reached"]
    if name == "Oscillating":
        assert reversals(states) == numbers.values["reversals"] > 0.6 * (ZIGZAG - 1)
    if name == "Just right" and seed == 416:
        assert numbers.values["where"].key == "core.preset.kept"
