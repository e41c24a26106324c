"""Lecture presets: one name -> one RunConfig, each lr placed from the analysis of its own data, and said in words
that are measured.

Like the TensorFlow Playground's data generators, every preset has the same signature (seed -> RunConfig) and sits in
one registry. What a preset shows is said twice: `preset_description(name)`, a sentence true for every seed, and
`preset_numbers(name, seed)`, that seed's numbers: its lr and threshold, the epoch from which training stays within
TOL of the true weights, the epoch the loss blows up, the error left. The numbers are not estimates: they come from
training itself, run here as the epoch's affine map w -> M w + c in float64 (the engine's arithmetic, to rounding).
A preset's lr keeps MARGIN away from every edge between converging and diverging lrs (`_clear`), rounding included.
tests/test_presets_measured.py checks every word and number against training for seeds 0..1000.
"""
import math
from functools import lru_cache

import numpy as np

from .analysis import TOL, Analysis, analyze
from .config import RunConfig
from .data import make_dataset
from .engine import DIVERGE_FACTOR
from .epoch_map import FullBatchMap
from .fit import start_weights
from .say import Msg
from .text import fmt_number

SEVEN = (2.0, 3.0, 4.0, 7.0, 11.0, 5.0, 13.0)  # the tutorial's seven-weight example
MARGIN = 0.02     # a preset's lr, and every lr within 2 % of it, is on its side of the divergence edge
EXPLODES = 10     # the diverging preset's run is stopped as diverged (engine.DIVERGE_FACTOR) within this many epochs
ZIGZAG = 30       # the oscillating preset's steps reverse in most of its first ZIGZAG epochs
HORIZON = 20_000  # epochs a converging preset's course is followed at most
BLOCK = 32        # epochs `course` computes at once
VISIBLE = 1e-8    # the oscillating preset's error after ZIGZAG epochs at least: its steps are far above rounding
PATIENCE = 0.999  # the oscillating preset's error shrinks at least 0.1 % an epoch (|dominant eigenvalue|)


def num(v: float, digits: int = 3) -> str:
    """v to `digits` significant digits, as a student writes it: 9.12e-5, 0.11, 2600."""
    return fmt_number(float(f"{v:.{digits}g}"))


def pct(ratio: float) -> str:
    """ratio in % as the words say it: whole, or to a tenth where whole would round up to 100."""
    whole = round(100 * ratio)
    return str(whole) if whole < 100 or ratio >= 1 else f"{math.floor(1000 * ratio) / 10:.1f}"


# --- training, measured: the epoch map of in-order SGD, iterated -------------------------------------------------------

@lru_cache(maxsize=64)
def _analysis(cfg: RunConfig) -> Analysis:
    return analyze(cfg)


@lru_cache(maxsize=64)
def _data(cfg: RunConfig):
    """(X, y) in float64 as the model sees them, the raw units' scale, the initial weights: what the engine trains."""
    d = make_dataset(cfg)
    return d.X.astype(np.float64), d.y.astype(np.float64), d.scale, start_weights(cfg, cfg.n_weights)


def course(cfg: RunConfig, lrs, epochs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training cfg's data at each lr for `epochs` epochs: (weights (E+1, L, D) in raw units, max |w - w_true| over the
    weights (E+1, L), the epoch each run was stopped as diverged (L,), -1 for none).

    As the engine does, a run whose loss passes DIVERGE_FACTOR x its start (or is not finite) is diverged from that
    epoch on: its error is inf from then (its weights are what the map gives, not the engine's last finite ones).
    One epoch of in-order SGD is the affine map w -> M w + c (epoch_map.py), built once per lr from the steps;
    iterating it is the epochs. Stops early once every run has diverged (E+1 is then shorter)."""
    X, y, scale, w0 = _data(cfg)
    lr = np.asarray(lrs, np.float64)[:, None, None]
    d, b = X.shape[1], cfg.batch_size
    M, c = np.broadcast_to(np.eye(d), (len(lr), d, d)).copy(), np.zeros((len(lr), d, 1))
    for i in range(0, len(y), b):  # a step: w <- (I - lr H_b) w + lr g_b, H_b = (2/|b|) X_b^T X_b, g_b = (2/|b|) X_b^T y_b
        Xb, yb = X[i:i + b], y[i:i + b]
        A = np.eye(d) - lr * (2.0 / len(yb) * Xb.T @ Xb)
        M, c = A @ M, A @ c + lr * (2.0 / len(yb) * Xb.T @ yb)[:, None]
    limit = DIVERGE_FACTOR * max(float(np.mean(np.square(X @ w0 - y))), 1.0)
    k = min(BLOCK, epochs)  # epochs s+1..s+k at once: w_{s+j} = M^j w_s + c_j, c_j = M c_{j-1} + c
    P, C = [M], [c]
    for _ in range(k - 1):
        P.append(M @ P[-1])
        C.append(M @ C[-1] + c)
    P, C = np.stack(P, axis=1), np.stack(C, axis=1)  # (L, k, d, d), (L, k, d, 1)
    W = np.tile(w0[:, None], (len(lr), 1, 1))
    weights, gone = [W[None, ..., 0]], np.full(len(lr), -1)
    with np.errstate(all="ignore"):
        for start in range(0, epochs, k):
            j = min(k, epochs - start)
            block = (P[:, :j] @ W[:, None] + C[:, :j])[..., 0].swapaxes(0, 1)  # (j, L, d)
            weights.append(block)
            W = block[-1][..., None]
            blown = ~(np.mean(np.square(block @ X.T - y), axis=2) <= limit)  # (j, L)
            gone = np.where((gone < 0) & blown.any(axis=0), start + 1 + np.argmax(blown, axis=0), gone)
            if (gone >= 0).all():
                break
    weights = np.concatenate(weights)
    weights = weights / scale
    err = np.abs(weights - np.asarray(cfg.true_weights)).max(axis=2)
    epoch = np.arange(len(weights))[:, None]
    err[(gone[None, :] >= 0) & (epoch >= gone[None, :])] = np.inf
    return weights, err, gone


def reached(err: np.ndarray) -> int | None:
    """The epoch from which err (one run's, by epoch) stays below TOL to its end; None when it ends at or above it."""
    bad = np.flatnonzero(~(err < TOL))
    return 0 if not len(bad) else None if bad[-1] == len(err) - 1 else int(bad[-1]) + 1


@lru_cache(maxsize=256)
def settle(cfg: RunConfig, lr: float, floor: int) -> tuple[int, int]:
    """(epochs to train, the epoch from which training at lr stays within TOL of the true weights): the epochs
    leave half as many again to spare (at least `floor`), rounded up to tens; the course is followed through them
    (-1 for the epoch: not within HORIZON epochs)."""
    horizon = 2 * floor
    while True:
        n = reached(course(cfg, [lr], horizon)[1][:, 0])
        epochs = max(floor, int(math.ceil(1.5 * n / 10) * 10)) if n is not None else horizon
        if n is not None and epochs <= horizon or horizon >= HORIZON:
            return epochs, n if n is not None else -1
        horizon = min(2 * horizon, HORIZON)


# --- where an lr may go: clear of every edge between converging and diverging --------------------------------------

def _interval(a: Analysis, lr: float) -> tuple[float, float] | None:
    return next(((lo, hi) for lo, hi in a.stable_intervals if lo < lr < hi), None)


def _clear(a: Analysis, lr: float, converging: bool = True, margin: float = MARGIN) -> bool:
    """lr and every lr within `margin` of it converge (or, `converging` False, all diverge): by the stable ranges and
    by the map's rho on a fine grid around lr (a narrow window the ranges missed is found there)."""
    near = lr * np.linspace(1 - margin, 1 + margin, 41)
    log_rho = a.spectrum(near)[0]
    if not converging:
        return bool(np.all(log_rho > 0)) and not any(lo < near[-1] and near[0] < hi for lo, hi in a.stable_intervals)
    box = _interval(a, lr)
    return box is not None and box[0] < near[0] and near[-1] < box[1] and bool(np.all(log_rho < 0))


def _typed(a: Analysis, lr: float, ok=None) -> tuple[float, int]:
    """(an lr a lecturer types near `lr`, its significant digits): 2 digits, 3 where no 2-digit neighbour of lr is
    clear (`ok`, by default `_clear` and in lr's own stable range); the nearest clear first. (lr, 17) where none is."""
    box = _interval(a, lr)
    ok = ok or (lambda v: _clear(a, v) and _interval(a, v) == box)
    for digits in (2, 3):
        e = math.floor(math.log10(lr)) - digits + 1
        down, up = math.floor(lr / 10.0**e), math.ceil(lr / 10.0**e)
        cands = sorted({float(f"{k}e{e}") for k in (down, up)}, key=lambda v: abs(math.log(v / lr)))
        for v in cands:
            if ok(v):
                return v, digits
    return lr, 17


# --- the presets: each (cfg, this seed's numbers) ----------------------------------------------------------------------

@lru_cache(maxsize=256)
def _tutorial(seed: int):
    """The article's lr, 1e-5: clear on any seed's data, as every step contracts below 1 / max ||x||^2 >= 2.5e-5."""
    cfg = RunConfig(seed=seed)
    epochs, n = settle(cfg, cfg.lr, 100)
    return cfg.replace(epochs=epochs), Msg("core.preset.tutorial.numbers", reached=n,
                                           threshold=num(_analysis(cfg).threshold))


@lru_cache(maxsize=256)
def _tutorial_seven(seed: int):
    cfg = RunConfig(true_weights=SEVEN, seed=seed)
    a = _analysis(cfg)
    lr, _ = _typed(a, 0.5 * a.threshold)
    epochs, n = settle(cfg, lr, 200)
    four = _tutorial(seed)
    return cfg.replace(lr=lr, epochs=epochs), Msg(
        "core.preset.tutorial_seven.numbers", lr=fmt_number(lr), pct=pct(lr / a.threshold),
        threshold=num(a.threshold), threshold4=four[1].values["threshold"], reached=n, reached4=four[1].values["reached"])


@lru_cache(maxsize=256)
def _too_small(seed: int):
    cfg = RunConfig(seed=seed)
    a = _analysis(cfg)
    lr, _ = _typed(a, 0.01 * a.threshold)
    left = course(cfg, [lr], cfg.epochs)[1][-1, 0]
    return cfg.replace(lr=lr), Msg("core.preset.too_small.numbers", lr=fmt_number(lr), threshold=num(a.threshold),
                                   epochs=cfg.epochs, error=num(left, 2))


def _fastest(cfg: RunConfig, a: Analysis, floor: int = 50):
    """cfg at its fastest lr as typed (`_typed`), its epochs, and the facts the numbers say. Where the fastest lr is
    within MARGIN of lrs that diverge (rho's minimum can sit at the edge of a stable range), the lr nearest it that
    keeps MARGIN clear of them instead, and the words say so."""
    lr, digits = _typed(a, a.best_lr)
    lo, hi = _interval(a, a.best_lr)
    threshold = num(a.threshold)
    where = (Msg("core.preset.first_range", pct=pct(a.best_lr / a.threshold), threshold=threshold) if lo == 0.0 else
             Msg("core.preset.later_range", lo=num(lo), hi=num(hi), threshold=threshold))
    if digits > 3:
        clear = min(max(a.best_lr, lo / (1 - MARGIN)), hi / (1 + MARGIN))
        lr, _ = _typed(a, clear, ok=lambda v: _clear(a, v) and _interval(a, v) == (lo, hi))
        where = Msg("core.preset.kept", where=where, margin=round(100 * MARGIN))
    epochs, n = settle(cfg, lr, floor)
    facts = {"lr": fmt_number(lr), "best": num(a.best_lr), "where": where, "reached": n}
    return cfg.replace(lr=lr, epochs=epochs), facts


@lru_cache(maxsize=256)
def _just_right(seed: int):
    cfg, facts = _fastest(RunConfig(seed=seed), _analysis(RunConfig(seed=seed)))
    return cfg, Msg("core.preset.just_right.numbers", **facts, reached1=_tutorial(seed)[1].values["reached"])


def _reversals(weights: np.ndarray) -> np.ndarray:
    """For each run of weights (E+1, L, D): how many epochs' steps point against the epoch before's."""
    steps = np.diff(weights, axis=0)
    return np.sum(np.sum(steps[1:] * steps[:-1], axis=-1) < 0, axis=0)


@lru_cache(maxsize=256)
def _oscillating(seed: int):
    """An lr below the threshold where the weights visibly zig-zag while converging: their steps reverse in more than
    60 % of the first ZIGZAG epochs, trained (an epoch map's negative or complex eigenvalue, dominant or not yet
    outgrown by the dominant one, does it).

    Per-sample SGD has such lrs for some data sets only (about two seeds in five); full batch always does, between
    2 / (lambda_min + lambda_max) and 2 / lambda_max, where its dominant eigenvalue is negative. Candidates (lrs from
    50 % to 99.99 % of the threshold, as typed with 3 digits, or 4 in the last percent) converging by 0.1 % an epoch
    at least are trained ZIGZAG epochs, fastest-converging first; the first clear one whose steps reverse, still far
    above rounding (VISIBLE), is kept: per-sample if any, else full batch. Full batch's map is exactly I - lr H, whose
    rho is max |1 - lr lambda| with no windows: it needs no margin (|dominant| < 0.999 keeps it 0.05 % below 2 /
    lambda_max)."""
    a = _analysis(RunConfig(seed=seed))
    full = FullBatchMap(a.eigenvalues[len(a.eigenvalues) - a.rank:], 1)  # the same samples' H
    ways = ((RunConfig(seed=seed), a.threshold, a.dominant, lambda v: _clear(a, v)),
            (RunConfig(seed=seed, batch_size=10), a.full_batch_threshold,
             lambda v: np.exp(full.spectrum(v)[0] + 1j * full.spectrum(v)[1]), lambda v: True))
    for cfg, threshold, dominant, clear in ways:
        lrs = np.unique([float(f"{f * threshold:.{3 if f < 0.99 else 4}g}")
                         for f in (*np.linspace(0.5, 0.99, 99), *(1 - np.geomspace(1e-4, 1e-2, 25)))])
        lrs = lrs[lrs < threshold]
        size = np.abs(dominant(lrs))
        cands = lrs[size < PATIENCE][np.argsort(size[size < PATIENCE], kind="stable")]  # fastest-converging first
        if not len(cands):
            continue
        weights, err, _ = course(cfg, cands, ZIGZAG)
        rev = _reversals(weights)
        for lr, r, left in zip(cands, rev, err[-1]):
            if r > 0.6 * (ZIGZAG - 1) and left > VISIBLE and clear(float(lr)):
                lr = float(lr)
                epochs, n = settle(cfg, lr, 50)
                said = {"lr": fmt_number(lr), "pct": f"{math.floor(1000 * lr / threshold) / 10:.1f}",
                        "threshold": num(threshold, 4), "reversals": int(r), "epochs": ZIGZAG, "reached": n}
                if cfg.batch_size == 1:
                    return cfg.replace(lr=lr, epochs=epochs), Msg("core.preset.oscillating.numbers", **said)
                return cfg.replace(lr=lr, epochs=epochs), Msg("core.preset.oscillating.full_batch", **said,
                                                              n=cfg.n_train, margin=round(100 * MARGIN))
    raise RuntimeError(f"no oscillating lr for seed {seed}")


@lru_cache(maxsize=256)
def _diverging(seed: int):
    """1.5x the threshold, or the first larger multiple where training is stopped as diverged within EXPLODES epochs:
    at 1.5x the error of some seeds' data grows only ~1.3x an epoch, and takes 40 epochs to blow up."""
    cfg = RunConfig(seed=seed)
    a = _analysis(cfg)
    for factor in (1.5, 2.0, 3.0, 5.0, 10.0, 100.0):
        lr = float(f"{factor * a.threshold:.2g}")
        epoch = int(course(cfg, [lr], EXPLODES)[2][0])
        if 0 < epoch <= EXPLODES and _clear(a, lr, converging=False):
            break
    return cfg.replace(lr=lr), Msg("core.preset.diverging.numbers", lr=fmt_number(lr), factor=fmt_number(factor),
                                   threshold=num(a.threshold), epoch=epoch)


@lru_cache(maxsize=256)
def _standardised(seed: int):
    raw = _analysis(RunConfig(seed=seed))
    cfg, facts = _fastest(RunConfig(seed=seed, standardize=True), _analysis(RunConfig(seed=seed, standardize=True)))
    return cfg, Msg("core.preset.standardised.numbers", **facts, raw=num(raw.best_lr),
                    ratio=f"{float(facts['best']) / float(num(raw.best_lr)):,.0f}")


@lru_cache(maxsize=256)
def _full_batch(seed: int):
    """Full batch's fastest lr, 2 / (lambda_min + lambda_max), as typed, or MARGIN below its threshold 2 / lambda_max
    where that is lower (ill-conditioned data: there rho = 1 - lr lambda_min barely changes, so it costs little).
    Plain gradient descent's rho is max |1 - lr lambda| over the eigenvalues: no windows, so nothing else to clear."""
    cfg = RunConfig(seed=seed, batch_size=10)
    a = _analysis(RunConfig(seed=seed))  # the same samples: H and its eigenvalues do not depend on the batches
    top = a.full_batch_threshold
    lr, _ = _typed(a, min(a.full_batch_best, (1 - MARGIN) * top), ok=lambda v: v <= (1 - MARGIN) * top)
    epochs, n = settle(cfg, lr, 50)
    return cfg.replace(lr=lr, epochs=epochs), Msg(
        "core.preset.full_batch.numbers", lr=fmt_number(lr), best=num(a.full_batch_best), threshold=num(top),
        reached=n, reached1=_just_right(seed)[1].values["reached"])


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
_BUILT = {"tutorial": _tutorial, "tutorial_seven": _tutorial_seven, "too_small": _too_small,
          "just_right": _just_right, "oscillating": _oscillating, "diverging": _diverging,
          "standardised": _standardised, "full_batch": _full_batch}


def _builder(key: str):
    def build(seed: int) -> RunConfig:
        return _BUILT[key](seed)[0]
    build.__name__ = build.__qualname__ = key
    return build


tutorial, tutorial_seven, too_small, just_right, oscillating, diverging, standardised, full_batch = (
    _builder(key) for key in _BUILT)
# name -> (what it shows for every seed (a Msg), builder)
PRESETS = {name: (Msg(f"core.preset.{key}.description"), _builder(key)) for name, key in _IDS.items()}


def preset_title(name: str) -> Msg | str:
    """A preset's name as a Msg, said in the page's language (its English text is `name`); any other option (the
    sidebar's "your own settings") as it is. For a selectbox's format_func: `lambda n: tr(preset_title(n))`."""
    return Msg(f"core.preset.{_IDS[name]}.title") if name in _IDS else name


def preset_description(name: str) -> Msg:
    """What preset `name` shows, in a sentence true for every seed (a Msg; the same as PRESETS[name][0])."""
    return PRESETS[name][0]


def preset_numbers(name: str, seed: int = 0) -> Msg:
    """What preset `name` does on the data of `seed`, with its numbers, measured (a Msg whose values are the numbers
    as said: tests read them back).

    >>> preset_numbers("Diverging", 190).values["epoch"] <= EXPLODES
    True
    """
    return _BUILT[_IDS[name]](seed)[1]


def preset(name: str, seed: int = 0) -> RunConfig:
    """The RunConfig for preset `name` on the data of `seed`.

    >>> preset("Diverging").lr > preset("Just right").lr
    True
    """
    return PRESETS[name][1](seed)
