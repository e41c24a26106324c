"""What the training samples determine: the Hessian's spectrum, the rank, and the least-squares fit.

The Hessian of the training MSE is H = (2/N) X^T X. When the samples do not determine the weights (fewer
samples than weights, duplicate or constant columns, standardised features with N <= D), many weights fit
them; training never leaves w0 + span(samples), so it ends at the fit nearest its start,
    w_reach = w0 + P (w_ls - w0),   P the projection onto the span of the samples.
Everything is float64 NumPy, from the smaller of X X^T and X^T X, over at most `spectrum_rows` samples.
"""
from dataclasses import dataclass

import numpy as np

from .analysis_cost import chunk_rows, lstsq_small, spectrum_rows
from .config import RunConfig
from .data import Dataset, make_dataset
from .model import initial_weights

RANK_TOL = 1e-14      # large data: eigenvalues of the Gram below this x the largest count as zero (they are good
                      # to ~1e-16 of the largest; centred features are centred again, so their rounding is no
                      # direction). Features near 1e6 in tens of thousands of samples lose the Gram's exactness.
SVD_TOL = 1e-12       # small data: singular values of X itself below this x the largest count as zero (raw integer
                      # features are exact in float32)
CENTRED_TOL = 1e-6    # ... for standardised features, rounded to float32 (~6e-8 each): their rounding is no direction


@dataclass(frozen=True)
class Fit:
    """What the training samples determine, in model units."""

    eigenvalues: np.ndarray      # of H = (2/N) X^T X, ascending (of a prefix's H when rows < N)
    rank: int                    # dimension of the samples' span
    rows: int                    # samples this was computed from: N, or a prefix when N is too large
    basis: np.ndarray | None     # (D, rank) orthonormal basis of the span; None: the span is all of R^D
    w_ls: np.ndarray             # least-squares weights of minimum norm
    w_reach: np.ndarray          # the least-squares weights nearest w0: where training ends


def nonzero(ev: np.ndarray, centred: bool = False) -> np.ndarray:
    """Which eigenvalues of a Gram count as nonzero: above RANK_TOL (CENTRED_TOL^2 for standardised features) x the
    largest."""
    top = float(ev.max()) if ev.size else 0.0
    return ev > (CENTRED_TOL**2 if centred else RANK_TOL) * top if top > 0 else np.zeros(ev.shape, bool)


def start_weights(cfg: RunConfig, d: int) -> np.ndarray:
    """The run's initial weights w0 in float64, as the engine draws them from the seed."""
    return initial_weights(d, cfg.seed).double().numpy()


def _gram(X: np.ndarray, y: np.ndarray, rows: int, centred: bool = False):
    """X^T X and X^T y over the first `rows` samples, in float64, chunk_rows at a time (of X and y centred
    again when `centred`: the Gram of X - mean is X^T X - rows mean mean^T)."""
    d = X.shape[1]
    G, b, sx, sy = np.zeros((d, d)), np.zeros(d), np.zeros(d), 0.0
    step = chunk_rows(d)
    for i in range(0, rows, step):
        Xc, yc = X[i:min(i + step, rows)].astype(np.float64), y[i:min(i + step, rows)].astype(np.float64)
        G += Xc.T @ Xc
        b += Xc.T @ yc
        sx, sy = sx + Xc.sum(axis=0), sy + float(yc.sum())
    if centred:
        G, b = G - np.outer(sx, sx) / rows, b - sx * sy / rows
    return G, b


def fit_data(X: np.ndarray, y: np.ndarray, w0=None, centred: bool = False) -> Fit:
    """Spectrum, rank, span and least squares of (X, y): from the SVD of X itself when small (its singular values
    are good to 1e-16 of the largest, so features 100000..100010 keep their rank), else from the smaller of
    X X^T and X^T X. centred: the features were centred (standardised) before rounding to float32; their means'
    rounding (~1e-8) is taken out again, so it never counts as a direction of its own."""
    n, d = X.shape
    rows = spectrum_rows(n, d)
    w0 = np.zeros(d) if w0 is None else np.asarray(w0, np.float64)
    if rows == n and lstsq_small(n, d):
        return _fit_svd(X, y, w0, centred)
    if rows < d:  # the samples' Gram: X = U S V^T, span basis V = X^T U / S
        Xf, yf = X[:rows].astype(np.float64), y[:rows].astype(np.float64)
        if centred:
            Xf, yf = Xf - Xf.mean(axis=0), yf - yf.mean()
        mu, U = np.linalg.eigh(Xf @ Xf.T)
        keep = nonzero(mu, centred)
        basis = Xf.T @ U[:, keep] / np.sqrt(mu[keep])
        w_ls = basis @ (U[:, keep].T @ yf / np.sqrt(mu[keep]))
        ev = np.concatenate([np.zeros(d - rows), mu])
    else:
        G, b = _gram(X, y, rows, centred)
        # nearly square: a rank below d is likely, so go straight for the eigenvectors
        ev, V = np.linalg.eigh(G) if rows < 2 * d else (np.linalg.eigvalsh(G), None)
        keep, basis = nonzero(ev, centred), None
        if not keep.all():
            ev, V = (ev, V) if V is not None else np.linalg.eigh(G)
            keep = nonzero(ev, centred)
            basis = V[:, keep]
        w_ls = np.linalg.solve(G, b) if basis is None else basis @ (basis.T @ b / ev[keep])
    w_reach = w_ls if basis is None else w_ls + w0 - basis @ (basis.T @ w0)
    return Fit(np.sort(2.0 / rows * np.maximum(ev, 0.0)), int(keep.sum()), rows, basis, w_ls, w_reach)


def _fit_svd(X: np.ndarray, y: np.ndarray, w0: np.ndarray, centred: bool) -> Fit:
    """fit_data for data small enough for the SVD of the whole float64 X (analysis_cost.lstsq_small)."""
    n, d = X.shape
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    if centred and n > 1:
        X64, y64 = X64 - X64.mean(axis=0), y64 - y64.mean()
    U, s, Vt = np.linalg.svd(X64, full_matrices=False)
    tol = CENTRED_TOL if centred else SVD_TOL
    rank = int(np.sum(s > tol * s[0])) if s.size and s[0] > 0 else 0
    basis = None if rank == d else Vt[:rank].T
    w_ls = Vt[:rank].T @ (U[:, :rank].T @ y64 / s[:rank])
    w_reach = w_ls if basis is None else w_ls + w0 - basis @ (basis.T @ w0)
    ev = np.concatenate([np.zeros(d - rank), np.square(s[:rank])[::-1]])
    return Fit(2.0 / n * ev, rank, n, basis, w_ls, w_reach)


def fits_every_sample(noise_std: float, rank: int, n: int, centred: bool = False) -> bool:
    """Whether some weights fit every one of the n training samples: the targets carry no noise (y = X w*, up to
    float32 rounding), or the samples span as many directions as there are samples (rank = n: 3 samples, 4
    weights; with centred features and targets, rank = n - 1, since centring takes one from both), so any targets
    can be fit. Then training at any stable lr settles at a fit. Decided by structure, not by the residual's size,
    which float32 rounding of large targets (features near 1e5) can swamp."""
    return noise_std <= 0 or rank >= n - (1 if centred and n > 1 else 0)


def centred(data: Dataset) -> bool:
    """Whether the model sees centred (standardised) features."""
    return bool(np.any(data.offset != 0) or np.any(data.scale != 1))


def least_squares(data: Dataset) -> np.ndarray | None:
    """The weights that minimise the training MSE (of minimum norm when many do), in the raw features'
    units; None if the data is too big to solve for all of it.

    >>> least_squares(make_dataset(RunConfig())).round(6).tolist()
    [2.0, 3.0, 4.0, 7.0]
    """
    n, d = data.X.shape
    return data.to_original(fit_data(data.X, data.y, centred=centred(data)).w_ls) if spectrum_rows(n, d) == n else None


def reachable_solution(cfg: RunConfig, data: Dataset | None = None) -> np.ndarray | None:
    """Where training ends (raw units) when the samples do not determine the weights; None when they do
    (or for Adam, which does not stay in the samples' span, or data too large to solve)."""
    data = data if data is not None else make_dataset(cfg)
    n, d = data.X.shape
    if cfg.optimizer == "adam" or spectrum_rows(n, d) < n:
        return None
    fit = fit_data(data.X, data.y, start_weights(cfg, d), centred=cfg.standardize)
    return None if fit.rank == d else data.to_original(fit.w_reach)
