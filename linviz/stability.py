"""Which learning rates converge, oscillate or diverge on *this* data, from the epoch's linear map.

For a linear model with MSE, one in-order epoch of mini-batch SGD is an affine map of the weights:
    w <- M(lr) w + c,   M(lr) = (I - lr H_K) ... (I - lr H_2)(I - lr H_1),   H_b = (2/|b|) X_b^T X_b.
The error w - w_fixed shrinks by the spectral radius rho(M) per epoch: training diverges exactly where
rho crosses 1, oscillates when M's dominant eigenvalue turns by more than 60 degrees (negative, or complex
with a large angle), and needs about log(tol / error) / log(rho) epochs. SGD with momentum is the same on
the state (w, u = lr v): u <- mu u + lr H_b w, w <- w - u, so it is exact too. Shuffling changes the order
every epoch and Adam rescales every step: for those the answer is an estimate.

Only the span of the samples moves. Every gradient is a combination of the samples, so the map is taken on
the samples' coordinates Z = X V in an orthonormal basis V of their span (s = rank dimensions); the rest of
w never changes and can neither converge nor diverge.

Numbers that stay finite. A product of hundreds of factors overflows, and for a tiny lr it rounds to I.
The running product P is therefore kept in one of two forms:
- small steps (lr * sum_b tr H_b <= 1): the deviation D = P - I, updated as D <- D - lr H_b (I + D). Its
  eigenvalues m give the map's as 1 + m with 1 - rho intact (the first-order part -lr S, S = sum_b H_b,
  is carried exactly instead of being rounded away next to 1);
- otherwise: P / scale, renormalised (before it could overflow) with the log of the scale carried alongside,
  so the dominant eigenvalue is exp(log scale) * that of the normalised product: its modulus lives in log space.
Below lr ||S|| < 1e-12 the expansion rho = 1 - lr s_min(S) + O(lr^2) is used as is; momentum, whose product
has no small form, uses rho = 1 - lr s_min(S) / (1 - mu) below lr ||S|| / (1 - mu) < 1e-9.

Cost. Batches are applied in chunks of m batches (about s samples), all chunks at once (a rank-|b| update
each, or H_b P when a batch spans the whole space), then the chunk maps are multiplied pairwise: m + log2(K/m)
numpy calls and about K |b| s^2 + (K/m) s^3 operations per lr (`map_cost`), lrs grouped so that no group
holds more than MAX_BYTES.

The stable set {lr : rho(lr) < 1} need not be one interval (momentum makes rho non-monotone in lr, and so can
plain SGD), so it is scanned on a log grid and every crossing is narrowed by rounds of points, then regula
falsi; the threshold is where the first interval ends.
Everything here is float64 NumPy, independent of the torch engine.
"""
from dataclasses import dataclass

import numpy as np

MAX_BYTES = 8 * 2**20      # per group of lrs evaluated together (peak ~3x)
CHUNK_ROWS = 4             # samples per chunk at least (whole batches), when a batch is smaller than the span
SGD_FIRST_ORDER = 1e-12    # lr * ||S|| below this: the first-order expansion is exact to rounding
MOMENTUM_FIRST_ORDER = 1e-9
GRID = 96                  # points of the log grid the stable set is scanned on
REFINE = (7, 2)            # narrowing at each crossing: points per round, rounds (8^2 = 64x narrower)
ILLINOIS = 12              # then regula falsi steps: the crossing to ~1e-10 relative
GOLDEN = 36                # golden-section steps for the fastest lr (0.618^36 ~ 3e-8 of the bracket)
TINY = np.finfo(float).tiny  # log rho = -TINY: converging, too slowly to count
EVAL_COUNT = GRID + 2 * (REFINE[0] * REFINE[1] + ILLINOIS) + GOLDEN + 2  # lrs one analysis evaluates (2 crossings)


def _per_chunk(s: int, batch: int) -> int:
    """Batches per chunk: about s samples, so the chunk products (s^3 each) cost what the steps do."""
    return 1 if batch >= s else -(-max(CHUNK_ROWS, s) // batch)


def map_cost(rows: int, s: int, batch: int, momentum: bool) -> float:
    """Model of the ns one lr costs EpochMap.spectrum on `rows` samples of rank s (fitted on 2 cores)."""
    if s == 0 or rows == 0:
        return 0.0
    d = 2 * s if momentum else s
    k = -(-rows // batch)
    if batch >= s:  # H_b P per batch, then K - 1 products
        per_batch, chunks = 0.3 * s * s * d + 6.0 * s * d + 250.0, k
    else:  # two thin products per batch, then one product per chunk
        per_batch, chunks = 1.0 * batch * s * d + 6.0 * s * d + 200.0, -(-k // _per_chunk(s, batch))
    calls = k // chunks + 2 * np.log2(chunks + 1)  # numpy calls per evaluation, ~3 us each, 1/3 unshared
    return k * per_batch + chunks * (0.3 * d**3 + 20.0 * d * d + 100.0) + 5.0 * d**3 + 1000.0 * calls + 20_000.0


@dataclass(frozen=True)
class Regime:
    kind: str            # "too slow", "converges smoothly", "oscillates but converges", "diverges"
    rho: float           # spectral radius of the epoch map (> 1 diverges; 1.0 can be 1 - 1e-20, see log_rho)
    epochs: float        # expected epochs to reach the tolerance (inf when it never does)


def regime(log_rho: float, angle: float, error0: float, tol: float, budget: int) -> Regime:
    """Classify one lr from log |dominant eigenvalue| of its epoch map and the eigenvalue's angle."""
    rho = float(np.exp(min(log_rho, 709.0)))
    if not log_rho < 0:
        return Regime("diverges", rho if log_rho <= 709 else float("inf"), float("inf"))
    with np.errstate(over="ignore"):  # log rho = -1e-300: inf epochs
        epochs = 0.0 if error0 <= tol else max(1.0, float(np.log(tol / error0) / log_rho)) if log_rho > -np.inf else 1.0
    if epochs > budget:
        return Regime("too slow", rho, epochs)
    oscillates = abs(angle) > np.pi / 3  # the error turns > 60 degrees an epoch: visibly back and forth
    return Regime("oscillates but converges" if oscillates else "converges smoothly", rho, epochs)


def batch_sizes(n: int, batch: int) -> np.ndarray:
    """Sizes of the batches of one epoch over n samples, in order (the last one can be short)."""
    k, last = divmod(n, batch)
    return np.concatenate([np.full(k, batch), [last] if last else []]).astype(np.int64)


def _normalise(P: np.ndarray, logs: np.ndarray) -> None:
    """In place: P /= max|P| per matrix, logs += log of it (-inf for a zero matrix)."""
    nrm = np.abs(P).max(axis=(-2, -1))
    zero = ~(nrm > 0)
    nrm[zero] = 1.0
    P /= nrm[..., None, None]
    logs += np.log(nrm)
    logs[zero] = -np.inf


def _pairwise(P: np.ndarray, logs: np.ndarray | None):
    """Chain (L, C, d, d) along axis 1 in order, M_C ... M_1: deviations (logs None) or scaled matrices."""
    while P.shape[1] > 1:
        if P.shape[1] % 2:
            pad = np.zeros_like(P[:, :1]) if logs is None else np.broadcast_to(np.eye(P.shape[-1]), P[:, :1].shape)
            P = np.concatenate([P, pad], axis=1)
            logs = None if logs is None else np.concatenate([logs, np.zeros_like(logs[:, :1])], axis=1)
        a, b = P[:, 0::2], P[:, 1::2]
        if logs is None:
            P = a + b + b @ a
        else:
            P, logs = b @ a, logs[:, 0::2] + logs[:, 1::2]
            _normalise(P, logs)
    return P[:, 0], None if logs is None else logs[:, 0]


def _dominant(P: np.ndarray, logs: np.ndarray | None):
    """(log |lambda|, angle) of the eigenvalue of largest modulus of I + P (logs None) or exp(logs) * P."""
    bad = ~np.isfinite(P).all(axis=(-2, -1))
    P = np.where(bad[:, None, None], 0.0, P)  # never hand eigvals an inf or a nan
    try:
        ev = np.linalg.eigvals(P)
    except np.linalg.LinAlgError:  # no convergence: fall back on the norm, an upper bound of the modulus
        nrm = np.linalg.norm(P, 2, axis=(-2, -1))
        ev = nrm[:, None] + 0j  # as m: |1 + m| <= 1 + ||D||; as lambda: |lambda| <= ||P||
    pick = np.arange(len(ev))
    if logs is None:  # |1 + m|^2 = 1 + 2 Re m + |m|^2, without forming 1 + m
        q = 2 * ev.real + np.abs(ev) ** 2
        k = np.argmax(q, axis=-1)
        with np.errstate(divide="ignore"):
            log_rho = 0.5 * np.log1p(np.maximum(q[pick, k], -1.0))
        angle = np.angle(1.0 + ev[pick, k])
    else:
        top = ev[pick, np.argmax(np.abs(ev), axis=-1)]
        with np.errstate(divide="ignore"):
            log_rho = np.log(np.abs(top)) + logs
        angle = np.angle(top)
    log_rho = np.where(bad | np.isnan(log_rho), np.inf, log_rho)
    return log_rho, angle


class EpochMap:
    """The epoch map's dominant eigenvalue as a function of lr, in log space, for one order of batches."""

    def __init__(self, Z: np.ndarray, batch: int, momentum: float | None = None, scale: float = 1.0,
                 s_range: tuple | None = None, stable_below: float = 0.0):
        """Z (n, s): the samples' coordinates in a basis of their span, in training order (all of them, or a
        prefix of whole batches). scale: log rho is multiplied by it (training's batches / the prefix's).
        s_range: (smallest, largest) eigenvalue of S = sum_b H_b over training's batches, for tiny lrs
        (from Z when None). stable_below: an lr below which rho < 1 is guaranteed (then never reported >= 1)."""
        Z = np.asarray(Z, np.float64)
        n, self.s = Z.shape
        self.batch, self.momentum, self.scale, self.stable_below = batch, momentum, float(scale), stable_below
        S = self._layout(Z, 2.0 / batch_sizes(n, batch))
        if s_range is None:
            ev = np.linalg.eigvalsh(S) if self.s else np.zeros(1)
            s_range = (max(ev[0], ev[-1] * 1e-16), ev[-1])
        self.s_min, self.s_max = map(float, s_range)

    def _layout(self, Z: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Chunks of m batches: H (C, m, s, s) when a batch spans the space, else the padded samples.
        Sets the traces' bounds on growth; returns S = sum_b H_b."""
        n, s, B = len(Z), self.s, self.batch
        K = len(c)
        self.m = _per_chunk(s, B)
        C = self.chunks = -(-K // self.m)
        self.H = self.Zp = self.Zt = None
        self.real = np.arange(C * self.m).reshape(C, self.m) < K  # padding batches: identity steps
        tr = np.zeros(C * self.m)
        if B >= s:
            full = (n // B) * B
            H = np.empty((K, s, s))
            Zr = Z[:full].reshape(-1, B, s)
            H[: len(Zr)] = np.swapaxes(Zr, 1, 2) @ Zr * (2.0 / B)
            if full < n:
                H[-1] = Z[full:].T @ Z[full:] * c[-1]
            tr[:K] = np.trace(H, axis1=1, axis2=2)
            self.H, S = H.reshape(C, 1, s, s), H.sum(axis=0)
        else:
            Zp = np.zeros((C * self.m * B, s))
            Zp[:n] = Z
            cp = np.zeros(C * self.m)
            cp[:K] = c
            self.Zp = Zp.reshape(C, self.m, B, s)
            self.Zt = np.swapaxes(self.Zp, -1, -2) * cp.reshape(C, self.m, 1, 1)
            tr[:] = np.einsum("cmsb,cmbs->cm", self.Zt, self.Zp).ravel()
            S = np.einsum("cmsb,cmbt->st", self.Zt, self.Zp)
        self.trace = float(tr.sum())  # sum_b tr(H_b) >= sum_b ||H_b||
        self.growth = tr.reshape(C, self.m).max(axis=0)  # (m,): bounds ||H_b|| for step j of every chunk
        return S

    def _hess(self, j: int, Q: np.ndarray) -> np.ndarray:
        """H_b Q for batch j of every chunk; Q (L, C, s, d)."""
        if self.H is not None:
            return self.H[:, j] @ Q
        return self.Zt[:, j] @ (self.Zp[:, j] @ Q)

    def _chain(self, lrs: np.ndarray, small: bool):
        """(L, d, d) products for a group of lrs, as deviations (small) or normalised with log scales."""
        s, L = self.s, len(lrs)
        lr = lrs[:, None, None, None]
        d = 2 * s if self.momentum is not None else s
        P = np.zeros((L, self.chunks, d, d)) if small else np.broadcast_to(np.eye(d), (L, self.chunks, d, d)).copy()
        logs = None if small else np.zeros((L, self.chunks))
        grown = 0.0  # log of a bound on how much P has grown since it was last normalised
        for j in range(self.m):
            if small:
                Hj = self.H[:, j] if self.H is not None else self.Zt[:, j] @ self.Zp[:, j]
                P -= lr * (Hj + self._hess(j, P))
                continue
            if self.momentum is None:
                P -= lr * self._hess(j, P)
            else:
                W, U = P[..., :s, :], P[..., s:, :]
                real = self.real[:, j, None, None]  # a padding batch must not decay the momentum either
                U *= np.where(real, self.momentum, 1.0)
                U += lr * self._hess(j, W)
                W -= U * real
            grown += np.log1p(lrs.max() * self.growth[j]) + (np.log(3.0) if self.momentum is not None else 0.0)
            if grown > 300 or j == self.m - 1:  # far from overflow (e^300), normalising each step is waste
                _normalise(P, logs)
                grown = 0.0
        return _pairwise(P, logs)

    def _group(self) -> int:
        d = 2 * self.s if self.momentum is not None else self.s
        per_lr = 8 * self.chunks * (3 * d * d + self.m * self.batch * d + 8) + 8 * 4 * d * d
        return int(max(1, MAX_BYTES // per_lr))

    def spectrum(self, lrs) -> tuple[np.ndarray, np.ndarray]:
        """(log rho, angle of the dominant eigenvalue) for each lr: log rho < 0 converges, >= 0 diverges."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        log_rho, angle = np.full(len(lrs), -np.inf), np.zeros(len(lrs))
        if self.s == 0 or len(lrs) == 0:
            return log_rho, angle
        slow = 1.0 - (self.momentum or 0.0)
        first = lrs * self.s_max / slow < (SGD_FIRST_ORDER if self.momentum is None else MOMENTUM_FIRST_ORDER)
        log_rho[first] = np.log1p(-lrs[first] * self.s_min / slow)
        small = (self.momentum is None) & (lrs * self.trace <= 1.0)
        step = self._group()
        for mask in (~first & small, ~first & ~small):
            idx = np.flatnonzero(mask)
            for g in range(0, len(idx), step):
                part = idx[g:g + step]
                lr_part, angle[part] = _dominant(*self._chain(lrs[part], bool(small[part[0]])))
                log_rho[part] = lr_part * self.scale
        guaranteed = lrs < self.stable_below
        log_rho[guaranteed] = np.minimum(log_rho[guaranteed], -TINY)
        log_rho[first] = np.minimum(log_rho[first], -TINY)  # an lr this small converges, however slowly
        return log_rho, angle

    def log_rho(self, lrs) -> np.ndarray:
        return self.spectrum(lrs)[0]


class FullBatchMap:
    """A stand-in when the epoch map is too costly (or meaningless, for Adam): every step of the epoch
    taken with the full-batch Hessian H, whose nonzero eigenvalues are `lam`. Exact for full batch."""

    def __init__(self, lam: np.ndarray, steps: float, momentum: float | None = None):
        lam = np.asarray(lam, np.float64)
        self.lam, self.steps, self.momentum = lam[lam > 0], float(steps), momentum

    def spectrum(self, lrs) -> tuple[np.ndarray, np.ndarray]:
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        if self.lam.size == 0:
            return np.full(len(lrs), -np.inf), np.zeros(len(lrs))
        x = lrs[:, None] * self.lam[None, :]  # (L, s)
        mu = self.momentum or 0.0
        if self.momentum is None:
            with np.errstate(divide="ignore"):
                logs = np.where(x < 1, np.log1p(-np.minimum(x, 1.0)), np.log(np.abs(x - 1.0)))
            k = np.argmax(logs, axis=1)
            top, ang = logs[np.arange(len(lrs)), k], np.where(x[np.arange(len(lrs)), k] > 1, np.pi, 0.0)
        else:  # roots of z^2 - (1 + mu - x) z + mu = 0, the larger in modulus first
            t = (1 + mu - x).astype(complex)
            r = np.sqrt(t * t - 4 * mu)
            z = np.where(np.abs(t + r) >= np.abs(t - r), (t + r) / 2, (t - r) / 2)
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.where(x * 1e9 < 1 - mu, np.log1p(-x / (1 - mu)), np.log(np.abs(z)))
            k = np.argmax(logs, axis=1)
            top, ang = logs[np.arange(len(lrs)), k], np.angle(z[np.arange(len(lrs)), k])
        top = np.where(top == 0, -TINY, top) if self.momentum is None else top
        return top * self.steps, ang

    def log_rho(self, lrs) -> np.ndarray:
        return self.spectrum(lrs)[0]


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
