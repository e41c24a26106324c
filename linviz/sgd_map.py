"""The epoch map the analysis uses for plain SGD or momentum on this data: exact, or a labelled estimate.

When the map of all N samples costs more than MAP_BUDGET (analysis_cost.map_rows), the map of a prefix of
whole batches (same order, same batch) stands in, its log rho scaled by (training's batches / the prefix's).
For plain SGD lrs below `safe_lr`, min over batches of 2 / lambda_max(H_b) (1 / max ||x_i||^2 at batch 1),
are stable whatever the rest of the data: every step is then a contraction, so the estimate never calls
them divergent. When not even one batch fits the budget, every step is taken as a full-batch step.
"""
import numpy as np

from .analysis_cost import chunk_rows, map_rows
from .epoch_map import EpochMap, FullBatchMap
from .fit import Fit, nonzero
from .say import Msg


def _sq_norms(X: np.ndarray) -> np.ndarray:
    """||x_i||^2 summed in X's own float32 (6x faster than a float64 copy), rounded up by the error bound."""
    sq = np.einsum("ij,ij->i", X, X).astype(np.float64)
    return sq * (1.0 + 1.2e-7 * X.shape[1]) if X.dtype == np.float32 else sq


def safe_lr(X: np.ndarray, batch: int) -> float:
    """min over batches of |b| / ||X_b||_F^2 <= 2 / lambda_max(H_b): below it every SGD step is a contraction,
    so plain SGD converges whatever the order (for batch 1 it is exactly 1 / max ||x_i||^2)."""
    n, worst, chunk = len(X), 0.0, chunk_rows(X.shape[1])
    step = batch * max(1, chunk // batch)  # whole batches per pass
    for i in range(0, n, step):
        j = min(i + step, n)
        if batch == 1:
            sums = _sq_norms(X[i:j])
        elif batch <= chunk:
            sums = np.add.reduceat(_sq_norms(X[i:j]), np.arange(0, j - i, batch))
        else:
            sums = np.array([sum(_sq_norms(X[k:min(k + chunk, j)]).sum() for k in range(i, j, chunk))])
        sizes = np.minimum(batch, (j - i) - np.arange(0, j - i, batch))
        worst = max(worst, float(np.max(sums / sizes)))
    return 1.0 / worst if worst > 0 else float("inf")


def _coordinates(X: np.ndarray, fit: Fit, rows: int) -> np.ndarray:
    """(rows, s): the first `rows` samples in an orthonormal basis of their own span, in training order.
    rows <= fit.rows, so their span lies in the fit's; costs rows D r + min(rows, r)^3."""
    Z = X[:rows].astype(np.float64)
    Z = Z if fit.basis is None else Z @ fit.basis
    if rows == fit.rows == len(X):
        return Z
    if rows < Z.shape[1]:
        mu, U = np.linalg.eigh(Z @ Z.T)
        keep = nonzero(mu)
        return U[:, keep] * np.sqrt(mu[keep])
    ev, V = np.linalg.eigh(Z.T @ Z)
    return Z @ V[:, nonzero(ev)]


def training_map(X: np.ndarray, fit: Fit, batch: int, momentum: float | None, safe: float, n: int | None = None):
    """(map, note): the exact in-order epoch map (note ""), or the estimate that fits MAP_BUDGET and what it is (a Msg).
    n: the training samples in all, when X holds only the first of them (data.first_rows)."""
    n = len(X) if n is None else n
    pos = fit.eigenvalues[len(fit.eigenvalues) - fit.rank:]
    rows = map_rows(n, fit.rank, batch, momentum is not None)
    rows = rows if rows <= fit.rows else fit.rows - fit.rows % batch  # within the samples the span came from
    k = -(-n // batch)
    if rows == 0:
        return FullBatchMap(pos, k, momentum), Msg("core.map.full_batch", k=k)
    if rows == n and fit.rows == n:
        return EpochMap(_coordinates(X, fit, n), batch, momentum, stable_below=safe), ""
    scale = k / -(-rows // batch)
    s_range = (n / batch * pos[0], n / batch * pos[-1])  # S = sum_b H_b = (N/B) H for equal batches
    emap = EpochMap(_coordinates(X, fit, rows), batch, momentum, scale, s_range, stable_below=safe)
    note = Msg("core.map.prefix", rows=rows, n=n, scale=scale)
    if np.isfinite(safe):
        note = Msg("core.map.safe", note=note, safe=safe)
    if momentum is not None:
        note = Msg("core.map.momentum", note=note)
    return emap, note
