"""Which learning rates converge, oscillate or diverge on *this* data, from its epoch map (epoch_map.py).

The error w - w_fixed shrinks by the epoch map's spectral radius rho per epoch: training diverges exactly
where rho crosses 1, oscillates when the map's dominant eigenvalue turns by more than 60 degrees (negative,
or complex with a large angle) for at least VISIBLE epochs, and needs about log(tol / error) / log(rho) epochs (`regime`). Shuffling
changes the order every epoch and Adam rescales every step: for those the answer is an estimate.

The stable set {lr : rho(lr) < 1} need not be one interval (momentum makes rho non-monotone in lr, and so can
plain SGD: a window a few percent wide where it diverges can sit just below the threshold), so `search`
does not read it off a grid. It starts from a log grid and splits every gap where log rho, moving no faster
than SLOPE_MARGIN times the steepest slope seen beside the gap, could reach 0 and come back (a window the
grid stepped over), down to gaps WINDOW_MIN wide; and every gap where it could dip below the best rho seen.
Then each crossing is located to EDGE_RTOL by regula falsi (Illinois) in log lr, and the fastest lr by
golden-section search around every local minimum of the refined grid (with INSIDE points added in each stable
range, however narrow), whichever stable range it lies in.
The search is bounded (MAX_EVALS): when the budget runs out first, `Search.bounded` says so.
Both work on any map with a `log_rho(lrs)` method (an EpochMap or a FullBatchMap).
"""
from dataclasses import dataclass

import numpy as np

from .say import Msg

GRID = 128                 # points of the starting log grid (about 11 % apart over the usual 6 decades)
SLOPE_MARGIN = 8.0         # how much steeper than its steepest neighbour log rho may be inside a gap
CROSS_SPLIT = 1e-3         # gaps holding a crossing are split down to this width (then their halves are judged)
WINDOW_MIN = 1e-6          # gaps are split down to this width (relative lr): narrower windows can be missed
BEST_STEP = 1e-3           # gaps that could hide a faster lr are split down to this width, then golden search
BEST_GAIN = 1e-3           # ... and could beat it by this fraction of log rho
CLIP = 50.0                # |log rho| counted at most this (overflowed or far-diverged lrs are just "far")
MAX_EVALS = 900            # lrs the refinement may add at most: beyond it the search says it was bounded
EDGE_RTOL = 1e-9           # each crossing is located to this relative lr
EDGE_STEPS = 60            # regula falsi steps at most per crossing (each bracket shrinks, bisecting if slow)
GOLDEN = 30                # golden-section steps for the fastest lr (0.618^30 ~ 5e-7 of a 3-gap bracket)
TIE_RTOL = 1e-7            # log rho this close (relative) to the smallest ties with it (momentum's plateau)
MINIMA = 16                # local minima of the grid it searches around at most (the lowest)
INSIDE = 6                 # points looked at inside each stable range that does not start at 0
EVAL_COUNT = 2 * GRID + 2 * EDGE_STEPS // 3 + GOLDEN  # lrs a typical analysis evaluates (the cost model's)


VISIBLE = 3                # epochs an oscillation must last to be seen (and called "oscillates")


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
    # the error turns > 60 degrees an epoch (matrix_chain.dominant: the most turning of the modes that tie for the
    # largest size), for long enough to be seen: a run within the tolerance in 2 epochs shows no back and forth
    oscillates = abs(angle) > np.pi / 3 and epochs >= VISIBLE
    return Regime(OSCILLATES if oscillates else SMOOTH, rho, epochs)


@dataclass(frozen=True)
class Search:
    """What `search` found: the stable ranges, the fastest lr, and how."""

    intervals: list        # [(lo, hi), ...] maximal lr ranges where rho < 1; the first lo is 0 when small lrs converge
    best_lr: float         # the lr of smallest rho over every stable range (nan: none converges)
    lrs: np.ndarray        # the refined grid, ascending
    log_rho: np.ndarray    # log rho on it
    bounded: bool          # True: the refinement ran out of MAX_EVALS before every gap was cleared
    evals: int             # lrs evaluated in all


def _log(emap, x: np.ndarray) -> np.ndarray:
    return emap.log_rho(np.exp(x)) if len(x) else np.zeros(0)


def _suspects(x: np.ndarray, f: np.ndarray, safe_x: float) -> np.ndarray:
    """Gaps of the grid (x = log lr, f = log rho there) to split: those where a crossing pair could hide, or
    an lr faster than the grid's best."""
    fc = np.clip(f, -CLIP, CLIP)
    h = np.diff(x)
    slope = np.abs(np.diff(fc)) / h
    steep = slope.copy()
    steep[1:] = np.maximum(steep[1:], slope[:-1])
    steep[:-1] = np.maximum(steep[:-1], slope[1:])
    reach = SLOPE_MARGIN * steep * h  # how far log rho could stray from the line between the gap's ends
    same = (f[:-1] < 0) == (f[1:] < 0)
    window = same & (np.abs(fc[:-1]) + np.abs(fc[1:]) <= reach) & (h > WINDOW_MIN) & (x[1:] > safe_x)
    window |= ~same & (h > CROSS_SPLIT)  # a crossing's gap can hide two more: narrow it before reading it as one
    stable = (f[:-1] < 0) & (f[1:] < 0)
    best = fc[f < 0].min() if np.any(f < 0) else -np.inf
    bar = best - BEST_GAIN * abs(best)  # a plateau of equal rho (momentum's sqrt(mu)) hides nothing faster
    faster = stable & (np.minimum(fc[:-1], fc[1:]) - reach / 2 < bar) & (h > BEST_STEP)
    return window | faster


def _edges(emap, a, b, fa, fb) -> np.ndarray:
    """The lr where log rho crosses 0 in each bracket [a_i, b_i] of log lr (fa, fb of opposite signs), to
    EDGE_RTOL: regula falsi with the Illinois rule, bisecting whenever a step fails to halve the bracket."""
    a, b, fa, fb = (np.array(v, np.float64) for v in (a, b, fa, fb))
    fa, fb = np.clip(fa, -CLIP, CLIP), np.clip(fb, -CLIP, CLIP)
    side = np.zeros(len(a))
    for _ in range(EDGE_STEPS):
        live = (b - a) > EDGE_RTOL
        if not live.any():
            break
        width = b - a
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(fa != fb, (a * fb - b * fa) / (fb - fa), (a + b) / 2)
        m = np.where((m > a) & (m < b) & np.isfinite(m), m, (a + b) / 2)
        fm = np.full(len(a), np.nan)
        fm[live] = np.clip(_log(emap, m[live]), -CLIP, CLIP)
        left = (fm < 0) == (fa < 0)  # the crossing lies in [m, b]
        fb_ = np.where(left & (side == 1), fb / 2, fb)  # Illinois: halve the stale end's value
        fa_ = np.where(~left & (side == -1), fa / 2, fa)
        na, nfa = np.where(left, m, a), np.where(left, fm, fa_)
        nb, nfb = np.where(left, b, m), np.where(left, fb_, fm)
        a, fa = np.where(live, na, a), np.where(live, nfa, fa)
        b, fb = np.where(live, nb, b), np.where(live, nfb, fb)
        side = np.where(live, np.where(left, 1, -1), side)
        slow = live & ((b - a) > 0.5 * width)  # the step barely moved: bisect next time
        if slow.any():
            mid = (a + b) / 2
            fmid = np.clip(_log(emap, mid[slow]), -CLIP, CLIP)
            go = (fmid < 0) == (fa[slow] < 0)
            idx = np.flatnonzero(slow)
            a[idx[go]], fa[idx[go]] = mid[idx[go]], fmid[go]
            b[idx[~go]], fb[idx[~go]] = mid[idx[~go]], fmid[~go]
            side[idx] = 0
    return np.exp((a + b) / 2)


def _golden(emap, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, f) of the smallest log rho found by golden-section search on each [a_i, b_i] (log lr), all at once."""
    g = (np.sqrt(5) - 1) / 2
    a, b = np.array(a, np.float64), np.array(b, np.float64)
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = _log(emap, c), _log(emap, d)
    for _ in range(GOLDEN):
        left = fc < fd  # the minimum lies in [a, d]
        b, a = np.where(left, d, b), np.where(left, a, c)
        c_new, d_new = np.where(left, b - g * (b - a), d), np.where(left, c, a + g * (b - a))
        f_new = _log(emap, np.where(left, c_new, d_new))
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
        c, d = c_new, d_new
    return np.where(fc < fd, c, d), np.minimum(fc, fd)


def _fastest(emap, x: np.ndarray, f: np.ndarray) -> float:
    """The lr of smallest log rho: golden-section search around every local minimum of the refined grid (a cusp
    where two eigenvalues trade places lies between the neighbours of the grid point nearest it), the best kept;
    of lrs tied with the best (TIE_RTOL), the smallest."""
    ok = f < 0
    if not ok.any():
        return float("nan")
    fp = np.concatenate([[np.inf], np.where(ok, f, np.inf), [np.inf]])
    k = np.flatnonzero(ok & (fp[1:-1] <= fp[:-2]) & (fp[1:-1] <= fp[2:]))
    k = k[np.argsort(f[k])][:MINIMA]
    xb, fb = _golden(emap, x[np.maximum(k - 1, 0)], x[np.minimum(k + 1, len(x) - 1)])
    xs, fs = np.concatenate([x[k], xb]), np.concatenate([f[k], fb])
    low = fs.min()  # momentum's plateau of equal rho: many lrs tie (-inf: an lr that solves in one epoch)
    tied = fs <= low + TIE_RTOL * abs(low) if np.isfinite(low) else fs == low
    return float(np.exp(xs[tied].min()))  # the smallest of them: furthest from the divergence above it


def search(emap, lo: float, hi: float, n: int = GRID) -> Search:
    """The maximal lr ranges in (0, inf) where rho < 1, and the fastest lr, from a log grid lo..hi refined as the
    module says. lrs below the grid count as stable when lo is (small lrs converge); a range still stable at hi
    ends at inf. `emap.stable_below` (if any): below it rho < 1 is guaranteed, so no gap there is split."""
    x = np.linspace(np.log(lo), np.log(hi), n)
    f = _log(emap, x)
    if not f[0] < 0:  # look lower for the first stable lrs
        lower = np.log(lo) - np.log(10.0) * np.arange(1, 13)
        low_f = _log(emap, lower)
        if np.any(low_f < 0):
            j = int(np.argmax(low_f < 0))
            x, f = np.concatenate([lower[: j + 1][::-1], x]), np.concatenate([low_f[: j + 1][::-1], f])
    evals, bounded = len(x), False
    safe = float(getattr(emap, "stable_below", 0.0) or 0.0)
    safe_x = np.log(safe) if safe > 0 else -np.inf
    while True:
        split = np.flatnonzero(_suspects(x, f, safe_x))
        if not len(split):
            break
        if evals + len(split) > MAX_EVALS:
            bounded = True
            break
        mid = (x[split] + x[split + 1]) / 2
        fm = _log(emap, mid)
        evals += len(mid)
        x, f = np.insert(x, split + 1, mid), np.insert(f, split + 1, fm)
    ok = f < 0
    cross = np.flatnonzero(ok[1:] != ok[:-1])
    edges = list(_edges(emap, x[cross], x[cross + 1], f[cross], f[cross + 1])) if len(cross) else []
    bounds = ([0.0] if ok[0] else []) + edges + ([float("inf")] if ok[-1] else [])
    intervals = [(float(bounds[i]), float(bounds[i + 1])) for i in range(0, len(bounds) - 1, 2)]
    inside = [np.linspace(np.log(a), np.log(b), INSIDE + 2)[1:-1] for a, b in intervals if 0 < a and b < np.inf]
    if inside:  # a narrow stable range may hold no grid point: look inside each before choosing the fastest lr
        xi = np.concatenate(inside)
        x, f = np.concatenate([x, xi]), np.concatenate([f, _log(emap, xi)])
        order = np.argsort(x)
        x, f = x[order], f[order]
    best = _fastest(emap, x, f)
    evals += 2 * EDGE_STEPS * len(cross) // 3 + INSIDE * len(inside) + 2 * GOLDEN + 2
    return Search(intervals, best, np.exp(x), f, bounded, evals)
