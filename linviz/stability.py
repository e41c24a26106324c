"""Which learning rates converge, oscillate or diverge on *this* data, from its epoch map (epoch_map.py).

The error w - w_fixed shrinks by the epoch map's spectral radius rho per epoch: training diverges exactly
where rho crosses 1, oscillates when the map's dominant eigenvalue turns by more than 60 degrees (negative,
or complex with a large angle), and needs about log(tol / error) / log(rho) epochs (`regime`). Shuffling
changes the order every epoch and Adam rescales every step: for those the answer is an estimate.

The stable set {lr : rho(lr) < 1} need not be one interval (momentum makes rho non-monotone in lr, and so can
plain SGD), so `stable_set` scans it on a log grid and narrows every crossing by rounds of points, then
regula falsi; the threshold is where the first interval ends. `fastest` finds the lr of smallest rho.
Both take any map with a `log_rho(lrs)` method (an EpochMap or a FullBatchMap).
"""
from dataclasses import dataclass

import numpy as np

from .say import Msg

GRID = 96                  # points of the log grid the stable set is scanned on
REFINE = (7, 2)            # narrowing at each crossing: points per round, rounds (8^2 = 64x narrower)
ILLINOIS = 12              # then regula falsi steps: the crossing to ~1e-10 relative
GOLDEN = 36                # golden-section steps for the fastest lr (0.618^36 ~ 3e-8 of the bracket)
EVAL_COUNT = GRID + 2 * (REFINE[0] * REFINE[1] + ILLINOIS) + GOLDEN + 2  # lrs one analysis evaluates (2 crossings)


KINDS = {k: Msg(f"core.regime.{k}") for k in ("too_slow", "smooth", "oscillates", "diverges")}  # id -> its name
TOO_SLOW, SMOOTH, OSCILLATES, DIVERGES = KINDS.values()  # Msgs: equal to (and hashed as) their English text


def regime_name(kind: str) -> Msg:
    """A regime's name as a Msg (the page says it in its language), from its English name ("too slow", a kind
    that went through plain text) or its id ("too_slow")."""
    for key, name in KINDS.items():
        if kind in (key, name):
            return name
    raise KeyError(kind)


@dataclass(frozen=True)
class Regime:
    """What training at one lr does, from the epoch map's dominant eigenvalue."""

    kind: str            # "too slow", "converges smoothly", "oscillates but converges", "diverges": a Msg, so
                         # `kind == "diverges"` holds and the page says it in its language (tr(kind))
    rho: float           # spectral radius of the epoch map (> 1 diverges; 1.0 can be 1 - 1e-20, see log_rho)
    epochs: float        # expected epochs to reach the tolerance (inf when it never does)


def regime(log_rho: float, angle: float, error0: float, tol: float, budget: int) -> Regime:
    """Classify one lr from log |dominant eigenvalue| of its epoch map and the eigenvalue's angle."""
    rho = float(np.exp(min(log_rho, 709.0)))
    if not log_rho < 0:
        return Regime(DIVERGES, rho if log_rho <= 709 else float("inf"), float("inf"))
    with np.errstate(over="ignore"):  # log rho = -1e-300: inf epochs
        epochs = 0.0 if error0 <= tol else max(1.0, float(np.log(tol / error0) / log_rho)) if log_rho > -np.inf else 1.0
    if epochs > budget:
        return Regime(TOO_SLOW, rho, epochs)
    oscillates = abs(angle) > np.pi / 3  # the error turns > 60 degrees an epoch: visibly back and forth
    return Regime(OSCILLATES if oscillates else SMOOTH, rho, epochs)


def _refine(emap, a: np.ndarray, b: np.ndarray, fa: np.ndarray, fb: np.ndarray) -> np.ndarray:
    """The lr where log rho crosses 0 in each bracket [a_i, b_i] (its ends' values fa, fb of opposite sign):
    rounds of log-spaced points, then regula falsi (Illinois) in log lr, all brackets at once."""
    a, b = np.log(a), np.log(b)
    pts, rounds = REFINE
    t = np.linspace(0, 1, pts + 2)
    for _ in range(rounds):  # robust narrowing first: log rho can bend sharply where eigenvalues collide
        grid = a[:, None] + (b - a)[:, None] * t[None, :]
        vals = np.column_stack([fa, emap.log_rho(np.exp(grid[:, 1:-1]).ravel()).reshape(len(a), pts), fb])
        k = np.argmax((vals[:, 1:] < 0) != (vals[:, :1] < 0), axis=1)  # first point past the crossing
        rows = np.arange(len(a))
        a, b, fa, fb = grid[rows, k], grid[rows, k + 1], vals[rows, k], vals[rows, k + 1]
    side = np.zeros(len(a))
    for _ in range(ILLINOIS):
        ok = np.isfinite(fa) & np.isfinite(fb) & (fa != fb)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(ok, (a * fb - b * fa) / (fb - fa), (a + b) / 2)
        m = np.where((m > a) & (m < b), m, (a + b) / 2)
        fm = emap.log_rho(np.exp(m))
        left = (fm < 0) == (fa < 0)  # the crossing lies in [m, b]
        fb = np.where(left & (side == 1), fb / 2, fb)  # Illinois: halve the stale end's value
        fa = np.where(~left & (side == -1), fa / 2, fa)
        a, fa = np.where(left, m, a), np.where(left, fm, fa)
        b, fb = np.where(left, b, m), np.where(left, fb, fm)
        side = np.where(left, 1, -1)
    return np.exp((a + b) / 2)


def stable_set(emap, lo: float, hi: float, n: int = GRID) -> tuple[list, np.ndarray, np.ndarray]:
    """Maximal lr ranges in (0, hi] where rho < 1, from a log grid lo..hi refined at each crossing.

    lrs below the grid count as stable when lo is (small lrs converge). Returns (intervals, grid, log rho on
    the grid); an interval still stable at hi ends at inf."""
    grid = np.geomspace(lo, hi, n)
    lr_grid = emap.log_rho(grid)
    ok = lr_grid < 0
    if not ok[0]:  # look lower for the first stable lrs
        lower = lo * 10.0 ** -np.arange(1, 13)
        low_ok = emap.log_rho(lower) < 0
        if low_ok.any():
            j = int(np.argmax(low_ok))
            grid = np.concatenate([lower[: j + 1][::-1], grid])
            lr_grid = np.concatenate([emap.log_rho(lower[: j + 1][::-1]), lr_grid])
            ok = lr_grid < 0
    cross = np.flatnonzero(ok[1:] != ok[:-1])
    edges = _refine(emap, grid[cross], grid[cross + 1], lr_grid[cross], lr_grid[cross + 1]) if len(cross) else []
    bounds = ([0.0] if ok[0] else []) + list(edges) + ([float("inf")] if ok[-1] else [])
    intervals = [(float(bounds[i]), float(bounds[i + 1])) for i in range(0, len(bounds) - 1, 2)]
    return intervals, grid, lr_grid


def fastest(emap, grid: np.ndarray, lr_grid: np.ndarray, steps: int = GOLDEN) -> float:
    """The lr with the smallest rho: the grid's best, refined by golden-section search in log lr between
    its neighbours (rho is unimodal there, often with a kink where two eigenvalues trade places)."""
    if not np.any(lr_grid < 0):
        return float("nan")
    k = int(np.argmin(lr_grid))
    a, b = np.log(grid[max(k - 1, 0)]), np.log(grid[min(k + 1, len(grid) - 1)])
    g = (np.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = emap.log_rho([np.exp(c), np.exp(d)])
    for _ in range(steps):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = emap.log_rho([np.exp(c)])[0]
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = emap.log_rho([np.exp(d)])[0]
    best = np.exp((a + b) / 2)
    return float(best if min(fc, fd) <= lr_grid[k] else grid[k])
