"""Lecture presets: one name -> one RunConfig, each lr placed from the analysis of its own data.

Like the TensorFlow Playground's data generators, every preset has the same signature (seed -> RunConfig)
and sits in one registry; tests/test_presets.py checks each shows its named behaviour when trained (seeds
0..9, and seeds that once failed) and, with the analysis alone, for seeds 0..200.
"""
import math

import numpy as np

from .analysis import analyze
from .config import RunConfig
from .engine import train
from .say import Msg

SEVEN = (2.0, 3.0, 4.0, 7.0, 11.0, 5.0, 13.0)  # the tutorial's seven-weight example


def _round(lr: float, below: float = math.inf) -> float:
    """lr to two significant digits, as a lecturer would type it; rounded down instead where rounding to
    nearest would reach `below` (a converging preset must stay clear of its threshold)."""
    near = float(f"{lr:.2g}")
    if near < below:
        return near
    e = math.floor(math.log10(lr)) - 1
    return float(f"{math.floor(lr / 10.0**e)}e{e}")


def _enough_epochs(cfg: RunConfig, lr: float, floor: int = 50) -> int:
    """Epochs to reach the tolerance with room to spare, rounded up to a tidy number."""
    need = analyze(cfg.replace(epochs=10**6)).classify(lr).epochs
    return max(floor, int(math.ceil(1.5 * need / 10) * 10)) if np.isfinite(need) else floor


def tutorial(seed: int) -> RunConfig:
    cfg = RunConfig(seed=seed)
    return cfg.replace(epochs=_enough_epochs(cfg, cfg.lr, 100))


def tutorial_seven(seed: int) -> RunConfig:
    cfg = RunConfig(true_weights=SEVEN, seed=seed)
    lr = _round(0.5 * analyze(cfg).threshold)  # half the threshold: rounding cannot reach it
    return cfg.replace(lr=lr, epochs=_enough_epochs(cfg, lr, 200))


def too_small(seed: int) -> RunConfig:
    cfg = RunConfig(seed=seed)
    return cfg.replace(lr=_round(0.01 * analyze(cfg).threshold))


def _fastest(cfg: RunConfig, full_batch: bool = False) -> RunConfig:
    """cfg at the fastest lr for its data (rounded, and kept below the threshold), with enough epochs."""
    a = analyze(cfg)
    lr = _round(a.full_batch_best if full_batch else a.best_lr, below=0.98 * a.threshold)
    return cfg.replace(lr=lr, epochs=_enough_epochs(cfg, lr))


def just_right(seed: int) -> RunConfig:
    return _fastest(RunConfig(seed=seed))


def zigzag(weights: np.ndarray) -> float:
    """Fraction of epochs whose step reverses the previous one (consecutive steps pointing apart)."""
    steps = np.diff(weights, axis=0)
    return float(np.mean(np.sum(steps[1:] * steps[:-1], axis=1) < 0))


def oscillating(seed: int) -> RunConfig:
    """An lr where the epoch map's dominant eigenvalue is negative, so the weights zig-zag while converging.

    Per-sample SGD has such lrs for some data sets only; full batch always does, just below 2/lambda_max.
    Candidates are checked by training 30 epochs and keeping the first whose steps visibly reverse."""
    for cfg in (RunConfig(seed=seed), RunConfig(seed=seed, batch_size=10)):
        a = analyze(cfg)
        lrs = np.unique([float(f"{f * a.threshold:.3g}") for f in np.linspace(0.999, 0.5, 120)])
        dom = a.dominant(lrs)
        flips = (dom.real < 0) & (np.abs(dom) < 0.995)  # negative, and converging within a lecture's patience
        for lr in lrs[flips][np.argsort(np.abs(dom[flips]))]:  # fastest-converging first
            w = np.array([s.run(0).weights for s in train(cfg.replace(lr=float(lr), epochs=30))])
            if zigzag(w) > 0.6:
                return cfg.replace(lr=float(lr), epochs=_enough_epochs(cfg, float(lr)))
    raise RuntimeError(f"no oscillating lr for seed {seed}")


EXPLODES = 10  # epochs within which the diverging preset's loss must grow 1e10-fold (the engine's "diverged")


def diverging(seed: int) -> RunConfig:
    """1.5x the threshold, or the first larger multiple where the loss explodes within EXPLODES epochs: at
    1.5x the error of some seeds' data grows only ~1.3x an epoch, and takes 40 epochs to blow up."""
    cfg = RunConfig(seed=seed)
    a = analyze(cfg)
    for factor in (1.5, 2.0, 3.0, 5.0, 10.0):
        lr = _round(factor * a.threshold)
        r = a.classify(lr)
        if r.kind == "diverges" and np.log(1e6) <= EXPLODES * np.log(r.rho):  # loss 1e10 ~ error 1e5, and margin
            break
    return cfg.replace(lr=lr)


def standardised(seed: int) -> RunConfig:
    return _fastest(RunConfig(seed=seed, standardize=True))


def full_batch(seed: int) -> RunConfig:
    return _fastest(RunConfig(seed=seed, batch_size=10), full_batch=True)


_IDS = {  # name (English, also the preset's id in the session and in tests) -> its key in the locales
    "The tutorial (4 weights)": "tutorial",
    "The tutorial with 7 weights": "tutorial_seven",
    "Too small": "too_small",
    "Just right": "just_right",
    "Oscillating": "oscillating",
    "Diverging": "diverging",
    "Standardised features": "standardised",
    "Full batch (vs per-sample)": "full_batch",
}
_BUILDERS = {"tutorial": tutorial, "tutorial_seven": tutorial_seven, "too_small": too_small, "just_right": just_right,
             "oscillating": oscillating, "diverging": diverging, "standardised": standardised, "full_batch": full_batch}
# name -> (what it shows (a Msg), builder)
PRESETS = {name: (Msg(f"core.preset.{key}.description"), _BUILDERS[key]) for name, key in _IDS.items()}


def preset_title(name: str) -> Msg | str:
    """A preset's name as a Msg, said in the page's language (its English text is `name`); any other option (the
    sidebar's "your own settings") as it is. For a selectbox's format_func: `lambda n: tr(preset_title(n))`."""
    return Msg(f"core.preset.{_IDS[name]}.title") if name in _IDS else name


def preset_description(name: str) -> Msg:
    """What preset `name` shows, in a sentence (a Msg; the same as PRESETS[name][0])."""
    return PRESETS[name][0]


def preset(name: str, seed: int = 0) -> RunConfig:
    """The RunConfig for preset `name` on the data of `seed`.

    >>> preset("Diverging").lr > preset("Just right").lr
    True
    """
    return PRESETS[name][1](seed)
