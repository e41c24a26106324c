"""The epoch map: one epoch of in-order SGD as a linear map of the weights, and its size for any lr.

For a linear model with MSE, one in-order epoch of mini-batch SGD is an affine map of the weights:
    w <- M(lr) w + c,   M(lr) = (I - lr H_K) ... (I - lr H_2)(I - lr H_1),   H_b = (2/|b|) X_b^T X_b.
The error w - w_fixed shrinks by the spectral radius rho(M) per epoch (stability.py turns that into
regimes). SGD with momentum is the same on the state (w, u = lr v): u <- mu u + lr H_b w, w <- w - u.

Only the span of the samples moves: every gradient is a combination of the samples, so the map is taken on
the samples' coordinates Z = X V in an orthonormal basis V of their span (s = rank dimensions).

The product is kept finite as matrix_chain.py describes: for plain SGD as the deviation D = P - I while
lr * sum_b tr H_b <= 1 (updated as D <- D - lr H_b (I + D)), else normalised with a log scale. Below lr ||S|| < 1e-12
(S = sum_b H_b) the expansion rho = 1 - lr s_min(S) + O(lr^2) is used as is; momentum, whose product has no
small form, uses rho = 1 - lr s_min(S) / (1 - mu) below lr ||S|| / (1 - mu) < 1e-9.

Batches are applied in chunks of m batches (about s samples), all chunks at once (a rank-|b| update each,
or H_b P when a batch spans the whole space), then the chunk maps are multiplied pairwise: m + log2(K/m)
numpy calls per group of lrs (analysis_cost.map_cost models the time), no group holding more than MAX_BYTES.
Everything here is float64 NumPy, independent of the torch engine.
"""
import numpy as np

from .matrix_chain import dominant, multiply_pairwise, normalise

MAX_BYTES = 8 * 2**20      # per group of lrs evaluated together (peak ~3x)
CHUNK_ROWS = 4             # samples per chunk at least (whole batches), when a batch is smaller than the span
SGD_FIRST_ORDER = 1e-12    # lr * ||S|| below this: the first-order expansion is exact to rounding
MOMENTUM_FIRST_ORDER = 1e-9
TINY = np.finfo(float).tiny  # log rho = -TINY: converging, too slowly to count


def per_chunk(s: int, batch: int) -> int:
    """Batches per chunk: about s samples, so the chunk products (s^3 each) cost what the steps do."""
    return 1 if batch >= s else -(-max(CHUNK_ROWS, s) // batch)


def batch_sizes(n: int, batch: int) -> np.ndarray:
    """Sizes of the batches of one epoch over n samples, in order (the last one can be short)."""
    k, last = divmod(n, batch)
    return np.concatenate([np.full(k, batch), [last] if last else []]).astype(np.int64)


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
        self.m = per_chunk(s, B)
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
                normalise(P, logs)
                grown = 0.0
        return multiply_pairwise(P, logs)

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
                lr_part, angle[part] = dominant(*self._chain(lrs[part], bool(small[part[0]])))
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
