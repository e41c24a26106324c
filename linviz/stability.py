"""Which learning rates converge, oscillate or diverge on *this* data, from the epoch's linear map.

For a linear model with MSE, one in-order epoch of mini-batch SGD is an affine map of the weights:
    w <- M(lr) w + c,   M(lr) = (I - lr H_B) ... (I - lr H_2)(I - lr H_1),   H_b = (2/|b|) X_b^T X_b.
The error w - w_fixed shrinks by the spectral radius rho(M) per epoch: training diverges exactly where
rho crosses 1, oscillates when M's dominant eigenvalue turns by more than 60 degrees (negative, or complex
with a large angle), and needs about
log(tol / error) / log(rho) epochs. SGD with momentum is the same on the state (w, v), so it is exact too.
Shuffling changes the order every epoch and Adam rescales every step: for those the answer is an estimate.
Everything here is float64 NumPy, independent of the torch engine.
"""
from dataclasses import dataclass

import numpy as np

MAX_WORK = 3e8  # batches * D^3 per lr evaluated: above this, fall back to bounds (and say so)


@dataclass(frozen=True)
class Regime:
    kind: str            # "too slow", "converges smoothly", "oscillates but converges", "diverges"
    rho: float           # spectral radius of the epoch map (> 1 diverges)
    epochs: float        # expected epochs to reach the tolerance (inf when it never does)


def _batch_hessians(X: np.ndarray, batch: int) -> np.ndarray:
    """(K, D, D): H_b = (2/|b|) X_b^T X_b for each batch, in training order."""
    n = len(X)
    return np.stack([2.0 / len(X[i:i + batch]) * X[i:i + batch].T @ X[i:i + batch] for i in range(0, n, batch)])


def _chain(mats: np.ndarray) -> np.ndarray:
    """A_K ... A_2 A_1 for mats (..., K, d, d) applied in order, by pairwise products (log2 K numpy calls)."""
    while mats.shape[-3] > 1:
        if mats.shape[-3] % 2:
            eye = np.broadcast_to(np.eye(mats.shape[-1]), mats.shape[:-3] + (1,) + mats.shape[-2:])
            mats = np.concatenate([mats, eye], axis=-3)
        mats = mats[..., 1::2, :, :] @ mats[..., 0::2, :, :]
    return mats[..., 0, :, :]


class EpochMap:
    """The epoch map's spectrum as a function of lr, restricted to the directions the data can move."""

    def __init__(self, X: np.ndarray, batch: int, momentum: float | None = None):
        X = np.asarray(X, np.float64)
        _, s, vt = np.linalg.svd(X, full_matrices=False)
        rank = int(np.sum(s > s[0] * 1e-10)) if s.size and s[0] > 0 else 0
        self.basis = vt[:rank].T  # (D, r): weights outside the row space never move, so they cannot diverge
        self.H = np.einsum("di,kde,ej->kij", self.basis, _batch_hessians(X, batch), self.basis)  # (K, r, r)
        self.momentum = momentum

    def matrices(self, lrs: np.ndarray) -> np.ndarray:
        """(L, r, r), or (L, 2r, 2r) with momentum: the epoch map for each lr."""
        lrs = np.asarray(lrs, np.float64)[:, None, None, None]  # (L, 1, 1, 1)
        K, r = self.H.shape[0], self.H.shape[-1]
        eye = np.eye(r)
        if self.momentum is None:
            return _chain(eye - lrs * self.H)  # (L, K, r, r) -> (L, r, r)
        mu = self.momentum  # on the state (w, v): v' = mu v + H_b w - c_b ; w' = w - lr v'
        A = np.zeros((len(lrs), K, 2 * r, 2 * r))
        A[..., :r, :r] = eye - lrs * self.H
        A[..., :r, r:] = -lrs * mu * eye
        A[..., r:, :r] = self.H
        A[..., r:, r:] = mu * eye
        return _chain(A)

    def dominant(self, lrs) -> np.ndarray:
        """The eigenvalue of largest modulus, for each lr (complex)."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        if self.H.shape[-1] == 0:
            return np.zeros(len(lrs), complex)
        out = []
        for chunk in np.array_split(lrs, max(1, len(lrs) // 16)):
            ev = np.linalg.eigvals(self.matrices(chunk))
            out.append(ev[np.arange(len(chunk)), np.argmax(np.abs(ev), axis=-1)])
        return np.concatenate(out)

    def rho(self, lrs) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            r = np.abs(self.dominant(lrs))
        return np.where(np.isfinite(r), r, np.inf)

    def threshold(self, lo: float, hi: float) -> float:
        """The smallest lr in [lo, hi] where rho reaches 1 (bisection in log lr after a grid scan); inf if none."""
        grid = np.geomspace(lo, hi, 64)
        above = np.flatnonzero(self.rho(grid) >= 1.0)
        if len(above) == 0:
            return float("inf")
        if above[0] == 0:
            return float(lo)
        a, b = grid[above[0] - 1], grid[above[0]]
        for _ in range(48):
            mid = np.sqrt(a * b)
            a, b = (a, mid) if self.rho([mid])[0] >= 1.0 else (mid, b)
        return float(np.sqrt(a * b))

    def fastest(self, upper: float) -> float:
        """The lr below `upper` with the smallest spectral radius (grid, then golden-section in log lr)."""
        grid = np.geomspace(upper * 1e-4, upper * 0.999, 80)
        k = int(np.argmin(self.rho(grid)))
        a, b = np.log(grid[max(k - 1, 0)]), np.log(grid[min(k + 1, len(grid) - 1)])
        g = (np.sqrt(5) - 1) / 2
        for _ in range(40):
            c, d = b - g * (b - a), a + g * (b - a)
            if self.rho([np.exp(c)])[0] < self.rho([np.exp(d)])[0]:
                b = d
            else:
                a = c
        return float(np.exp((a + b) / 2))


def work(n: int, d: int, batch: int) -> float:
    return -(-n // batch) * d**3


def regime(dominant: complex, error0: float, tol: float, budget: int) -> Regime:
    """Classify one lr from its epoch map's dominant eigenvalue."""
    rho = abs(dominant)
    if not np.isfinite(rho) or rho >= 1.0:
        return Regime("diverges", float(rho), float("inf"))
    epochs = 0.0 if error0 <= tol else (np.log(tol / error0) / np.log(rho) if rho > 0 else 1.0)
    if epochs > budget:
        return Regime("too slow", float(rho), float(epochs))
    oscillates = abs(np.angle(dominant)) > np.pi / 3  # the error turns > 60 degrees an epoch: visibly back and forth
    return Regime("oscillates but converges" if oscillates else "converges smoothly", float(rho), float(epochs))
