"""Where constant-lr training settles: the fixed point of its in-order epoch map.

One in-order epoch of SGD on a linear model with MSE is an affine map w <- M(lr) w + c(lr) (epoch_map.py has
its linear part). Training converges (rho(M) < 1) to the w with (I - M) w = c. When some weights fit every
sample that is that fit; when none does (label noise), every step pulls towards its own sample, and the epoch
ends at w*(lr) = w_ls + O(lr): per-sample SGD at a constant lr never reaches the least-squares fit, and the
larger the lr, the further off it settles. With momentum the state is (w, v) and the same holds.

Only the samples' span moves (fit.py), so the map is taken on the coordinates Z = X V of a basis V of the span,
in homogeneous form: the state (theta, 1) and, for plain SGD, the product kept as its deviation from I (as
matrix_chain.py does), so that (I - M) stays exact for tiny lrs. Float64 NumPy, independent of the torch engine.
"""
import numpy as np

from .analysis_cost import spectrum_rows
from .config import RunConfig
from .data import Dataset
from .fit import fit_data, fits_every_sample, start_weights

WORK = 3e8       # multiply-adds at most for the fixed points of one call (all its lrs): beyond it, unknown (None)
PER_BATCH = 3e4  # a batch's step costs ~10 us of Python besides its arithmetic: counted as this many multiply-adds
MAX_CELLS = 2e6  # float64 values of the span coordinates Z it may keep (16 MB): beyond it, unknown


class SettlePoint(np.ndarray):
    """Weights where training settles, marked as such (report.outcome names them "where SGD at this lr settles")."""


def cost(n: int, s: int, batch: int, momentum: bool, n_lrs: int = 1) -> float:
    """Multiply-adds (PER_BATCH for each batch's Python) FixedPoint.at spends on n_lrs lrs: n samples of rank s."""
    e = (2 * s if momentum else s) + 1
    return n * s * s + -(-n // batch) * (n_lrs * e**3 + PER_BATCH)


def affordable(n: int, s: int, batch: int, momentum: bool) -> bool:
    """Whether one lr's fixed point fits WORK and its coordinates MAX_CELLS (check before building a FixedPoint)."""
    return cost(n, s, batch, momentum) <= WORK and n * s <= MAX_CELLS


class FixedPoint:
    """The fixed point of the in-order epoch map of (X, y) for any lr, in model units (results kept per lr)."""

    def __init__(self, X: np.ndarray, y: np.ndarray, batch: int, momentum: float | None, w0: np.ndarray,
                 basis: np.ndarray | None):
        """X (N, D), y (N,): the training data as the model sees it, in order. basis (D, s): of the samples'
        span (None: all of R^D). w0: the initial weights, whose part outside the span never moves."""
        X64 = np.asarray(X, np.float64)
        self.Z = X64 if basis is None else X64 @ basis
        self.y = np.asarray(y, np.float64)
        self.batch, self.momentum, self.basis = batch, momentum, basis
        self.outside = np.zeros(X64.shape[1]) if basis is None else w0 - basis @ (basis.T @ w0)
        self.known: dict[float, np.ndarray] = {}

    def at(self, lrs) -> np.ndarray | None:
        """(L, D) fixed points for the lrs (a row of nan where I - M is singular), or None when too costly."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        new = np.array(sorted({float(v) for v in lrs} - set(self.known)))
        if len(new):
            n, s = self.Z.shape
            if cost(n, s, self.batch, self.momentum is not None, len(new)) > WORK:
                return None
            theta = self._plain(new) if self.momentum is None else self._momentum(new)
            w = self.outside + (theta if self.basis is None else theta @ self.basis.T)
            if len(self.known) < 4096:
                self.known.update(zip(new.tolist(), w))
            else:
                return np.array([dict(zip(new.tolist(), w)).get(float(v), self.known.get(float(v))) for v in lrs])
        return np.array([self.known[float(v)] for v in lrs])

    def _steps(self):
        """(G, g) for each batch in order: the gradient of its loss is G theta - g."""
        n = len(self.y)
        for i in range(0, n, self.batch):
            Zb, yb = self.Z[i:i + self.batch], self.y[i:i + self.batch]
            k = 2.0 / len(yb)
            yield k * Zb.T @ Zb, k * Zb.T @ yb

    def _plain(self, lrs: np.ndarray) -> np.ndarray:
        s = self.Z.shape[1]
        lr = lrs[:, None, None]
        D = np.zeros((len(lrs), s + 1, s + 1))  # the epoch's product P = [[M, c], [0, 1]] as P - I
        A = np.zeros((s + 1, s + 1))
        with np.errstate(all="ignore"):
            for G, g in self._steps():
                A[:s, :s], A[:s, s] = G, -g  # step: P <- (I - lr A) P
                D -= lr * (A + A @ D)
            return _solve(-D[:, :s, :s], D[:, :s, s])

    def _momentum(self, lrs: np.ndarray) -> np.ndarray:
        s, mu = self.Z.shape[1], self.momentum
        L, e = len(lrs), 2 * s + 1
        P = np.broadcast_to(np.eye(e), (L, e, e)).copy()  # state (theta, v, 1)
        lr = lrs[:, None, None]
        eye = np.eye(s)
        with np.errstate(all="ignore"):
            for G, g in self._steps():
                S = np.zeros((L, e, e))  # v' = mu v + G theta - g; theta' = theta - lr v'
                S[:, s:2 * s, :s], S[:, s:2 * s, s:2 * s], S[:, s:2 * s, -1] = G, mu * eye, -g
                S[:, :s, :s] = eye - lr * G
                S[:, :s, s:2 * s] = -lr * mu * eye
                S[:, :s, -1:] = lr * g[:, None]
                S[:, -1, -1] = 1.0
                P = S @ P
            state = _solve(np.eye(2 * s) - P[:, :2 * s, :2 * s], P[:, :2 * s, -1])
        return state[:, :s]


def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve A_i x_i = b_i for each i; nan rows where A_i is singular or not finite."""
    out = np.full(b.shape, np.nan)
    ok = np.isfinite(A).all(axis=(1, 2)) & np.isfinite(b).all(axis=1)
    for i in np.flatnonzero(ok):
        try:
            out[i] = np.linalg.solve(A[i], b[i])
        except np.linalg.LinAlgError:
            pass
    return out


MEASURE_CELLS = 2e5     # samples x weights at most for counting epochs by iterating the epoch map
MEASURE_EPOCHS = 20000  # epochs it iterates at most
DEEP = 1e-3             # ... stopping once within this fraction of the tolerance


def measurable(n: int, d: int, batch: int, momentum: bool) -> bool:
    """Whether epochs_within is cheap (~0.1 s at most): the epoch map built from n samples of d weights, then
    iterated MEASURE_EPOCHS times."""
    e = 2 * d if momentum else d
    return n * d <= MEASURE_CELLS and -(-n // batch) * (e**3 + PER_BATCH) + MEASURE_EPOCHS * e * e <= WORK


def epoch_affine(X: np.ndarray, y: np.ndarray, batch: int, lr: float, momentum: float | None):
    """(M, c): one in-order epoch as state <- M state + c, in model units, float64: the state is w, or (w, v) with
    momentum (v the momentum buffer, as torch.optim.SGD keeps it)."""
    X64, y64 = np.asarray(X, np.float64), np.asarray(y, np.float64)
    d = X64.shape[1]
    e = d if momentum is None else 2 * d
    M, c, eye = np.eye(e), np.zeros(e), np.eye(d)
    for i in range(0, len(y64), batch):
        Xb, yb = X64[i:i + batch], y64[i:i + batch]
        G, g = 2.0 / len(yb) * Xb.T @ Xb, 2.0 / len(yb) * Xb.T @ yb
        if momentum is None:
            S, t = eye - lr * G, lr * g
        else:  # v' = mu v + G w - g; w' = w - lr v'
            S = np.block([[eye - lr * G, -lr * momentum * eye], [G, momentum * eye]])
            t = np.concatenate([lr * g, -g])
        M, c = S @ M, S @ c + t
    return M, c


def epochs_within(X, y, batch: int, lr: float, momentum: float | None, w0: np.ndarray, target: np.ndarray,
                  scale: np.ndarray, tol: float, cap: int = MEASURE_EPOCHS) -> int | None:
    """The epoch from which training at lr stays within tol of target on every weight (raw units: w / scale), by
    iterating the exact epoch map; None when it is not within tol after `cap` epochs (or blows up)."""
    M, c = epoch_affine(X, y, batch, lr, momentum)
    d = len(w0)
    state = np.concatenate([w0, np.zeros(d)]) if momentum is not None else np.asarray(w0, np.float64).copy()
    with np.errstate(all="ignore"):
        gap = np.max(np.abs(state[:d] / scale - target))
        last_out = 0 if not gap < tol else -1
        for k in range(1, cap + 1):
            state = M @ state + c
            gap = np.max(np.abs(state[:d] / scale - target))
            if not gap < tol:
                last_out = k
                if not np.all(np.isfinite(state)):
                    return None
            elif gap < DEEP * tol:  # a thousandth of the way: it stays inside from here
                break
    return None if last_out == cap else last_out + 1


def final_lrs(cfg: RunConfig) -> np.ndarray:
    """Each run's lr in its last epoch, the schedule applied (as engine.Trainer.lr_at does)."""
    e = cfg.epochs - 1
    factor = {"constant": 1.0, "step": cfg.gamma ** (e // cfg.step_size), "exp": cfg.gamma ** (e / cfg.step_size)}
    return np.asarray(cfg.lrs, np.float64) * factor[cfg.schedule]


def settles(cfg: RunConfig) -> bool:
    """Whether noisy training as configured settles at a fixed point of its epoch map off the least-squares fit:
    in-order SGD or momentum with more than one batch (full-batch gradient descent settles at least squares)."""
    return cfg.noise_std > 0 and cfg.optimizer != "adam" and not cfg.shuffle and cfg.batch_size < cfg.n_train


def settle_points(cfg: RunConfig, data: Dataset) -> np.ndarray | None:
    """(R, D): where each run of cfg settles, raw units, when its targets are noisy and no weights fit every sample:
    the fixed point of the epoch map at the run's lr (its last epoch's, under a schedule). None where that is not
    the question (noise-free, or some weights fit every sample: training ends at a fit) or unknown (Adam, shuffled
    order, data too large)."""
    n, d = data.X.shape
    if not settles(cfg) or spectrum_rows(n, d) < n:
        return None
    w0 = start_weights(cfg, d)
    fit = fit_data(data.X, data.y, w0, centred=cfg.standardize)
    mom = cfg.momentum if cfg.optimizer == "momentum" else None
    if fits_every_sample(cfg.noise_std, fit.rank, n, cfg.standardize):
        return None
    if not affordable(n, fit.rank, cfg.batch_size, mom is not None):
        return None
    w = FixedPoint(data.X, data.y, cfg.batch_size, mom, w0, fit.basis).at(final_lrs(cfg))
    return None if w is None else data.to_original(w).view(SettlePoint)
