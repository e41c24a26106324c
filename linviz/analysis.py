"""What the data says about learning rates, before training: closed-form references in float64 NumPy.

- least squares: the best weights for the training data. When the samples do not determine the weights
  (fewer samples than weights, duplicate or constant columns, standardised features with N <= D), many
  weights fit them; training never leaves w0 + span(samples), so it ends at the fit nearest its start,
      w_reach = w0 + P (w_ls - w0),   P the projection onto the span of the samples,
  which the analysis reports (in raw units) as `reachable`, alongside the rank;
- the Hessian H = (2/N) X^T X of the training MSE: eigenvalues, condition number (on the samples' span),
  the full-batch divergence threshold 2/lambda_max and the fastest full-batch lr 2/(lambda_min+ + lambda_max);
- the lrs where the training as configured converges, from its epoch map (stability.py): the threshold
  (where the first stable range ends), every stable range, the fastest lr, and a classifier for any lr;
- the loss over a grid of two weights, the others held at their true values (a contour slice).
All quantities are for the features the model sees (standardised when asked); weights are reported in
the raw features' units.

Bounded cost. The spectrum needs N D min(N, D) + 4 min(N, D)^3 operations (the Gram of the smaller side,
then its eigenvalues); beyond SPECTRUM_WORK it is taken from a prefix of the samples. The epoch map's cost
per lr follows `map_cost`; beyond MAP_BUDGET for the whole analysis the map of a prefix of whole batches
(same order, same batch) stands in, its log rho scaled by (training's batches / the prefix's), and for plain
SGD lrs below min_b 2 / lambda_max(H_b) (1 / max ||x_i||^2 at batch 1) are stable whatever the rest of the
data: every step is then a contraction. Such results say `exact=False` and what they are in `note`.
`analysis_memory(cfg)` says what all this allocates.
"""
from dataclasses import dataclass, field

import numpy as np

from .config import RunConfig
from .data import Dataset, make_dataset
from .stability import (
    EVAL_COUNT,
    GRID,
    MAX_BYTES,
    EpochMap,
    FullBatchMap,
    Regime,
    fastest,
    map_cost,
    regime,
    stable_set,
)

SPECTRUM_WORK = 1e9   # multiply-adds for the Gram and its eigenvalues; beyond it, a prefix of the samples
MAP_BUDGET = 2e8      # ns (map_cost's model) for every epoch-map evaluation of one analysis: ~0.2 s
LSTSQ_WORK = 2e7      # N D min(N, D): below it least squares uses the SVD (numpy.linalg.lstsq)
RANK_TOL = 1e-10      # eigenvalues of X^T X below this x the largest count as zero (singular values 1e-5)
CHUNK_BYTES = 16 * 2**20  # float64 rows made at a time (the Gram, the bound below)
TOL = 1e-2  # "reached the weights": within 0.01, as the tutorial's result is (raw features' units)
LADDER = (0.1, 0.3, 0.6, 0.9, 1.05, 1.5)  # multiples of the divergence threshold worth comparing


def ladder(cfg: RunConfig, a: "Analysis", factors=LADDER) -> RunConfig:
    """One sweep over lrs placed relative to the threshold: same data, same initial weights, one batched run."""
    return cfg.replace(lr=tuple(float(f"{f * a.threshold:.3g}") for f in factors))


# --- sizes: what the analysis will compute exactly, and what it allocates -------------------------------
def spectrum_rows(n: int, d: int) -> int:
    """Samples the spectrum is computed from: all n, or the largest prefix within SPECTRUM_WORK."""
    work = lambda rows: rows * d * min(rows, d) + 4 * min(rows, d) ** 3  # the Gram, then eigh
    if work(n) <= SPECTRUM_WORK:
        return n
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if work(mid) <= SPECTRUM_WORK else (lo, mid - 1)
    return lo


def map_rows(n: int, rank: int, batch: int, momentum: bool) -> int:
    """Samples (whole batches) whose epoch map fits MAP_BUDGET: n when exact; 0 when not even one batch does."""
    cost = lambda rows: EVAL_COUNT * map_cost(rows, min(rank, rows), batch, momentum)
    if cost(n) <= MAP_BUDGET:
        return n
    lo, hi = 0, -(-n // batch)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if cost(mid * batch) <= MAP_BUDGET else (lo, mid - 1)
    return min(lo * batch, n)


def chunk_rows(d: int) -> int:
    return max(1, CHUNK_BYTES // (8 * d))


def _lstsq_small(n: int, d: int) -> bool:
    return n * d * min(n, d) <= LSTSQ_WORK and n * d <= 2e5


def analysis_memory(cfg) -> int:
    """Bytes `analyze(cfg)` allocates besides the data set itself (an upper estimate; arithmetic only)."""
    n, d, b = cfg.n_train, cfg.n_weights, cfg.batch_size
    rows = spectrum_rows(n, d)
    side, chunk = min(rows, d), chunk_rows(d)
    spectrum = 8 * (min(rows, chunk) * d + rows * d * (rows < d) + 3 * side * side + 2 * d * side)
    lstsq = 8 * 3 * n * d if _lstsq_small(n, d) else 0
    bound = 12 * min(n, chunk)  # safe_lr: squared norms of one pass
    p = min(map_rows(n, side, b, cfg.optimizer == "momentum"), rows)
    s = min(p, side)
    layout = 8 * (-(-p // b)) * s * s if b >= s else 8 * 2 * (p + 2 * max(s, 4)) * s
    prefix = 8 * (p * d + p * side + 3 * s * s) + layout
    e = 2 * s if cfg.optimizer == "momentum" else s  # the chain's state, for each lr of a group (<= MAX_BYTES)
    chain = 3 * min(MAX_BYTES, GRID * 8 * ((-(-p // b)) * (3 * e * e + min(b, p) * e + 8) + 4 * e * e))
    return int(spectrum + lstsq + bound + prefix + chain + 2**20)


# --- what the samples determine -----------------------------------------------------------------------
@dataclass(frozen=True)
class Fit:
    """What the training samples determine, in model units."""

    eigenvalues: np.ndarray      # of H = (2/N) X^T X, ascending (of a prefix's H when rows < N)
    rank: int                    # dimension of the samples' span
    rows: int                    # samples this was computed from: N, or a prefix when N is too large
    basis: np.ndarray | None     # (D, rank) orthonormal basis of the span; None: the span is all of R^D
    w_ls: np.ndarray             # least-squares weights of minimum norm
    w_reach: np.ndarray          # the least-squares weights nearest w0: where training ends


def _nonzero(ev: np.ndarray) -> np.ndarray:
    top = float(ev.max()) if ev.size else 0.0
    return ev > RANK_TOL * top if top > 0 else np.zeros(ev.shape, bool)


def _gram(X: np.ndarray, y: np.ndarray, rows: int):
    """X^T X and X^T y over the first `rows` samples, in float64, CHUNK_BYTES at a time."""
    d = X.shape[1]
    G, b = np.zeros((d, d)), np.zeros(d)
    step = chunk_rows(d)
    for i in range(0, rows, step):
        Xc = X[i:min(i + step, rows)].astype(np.float64)
        G += Xc.T @ Xc
        b += Xc.T @ y[i:min(i + step, rows)].astype(np.float64)
    return G, b


def fit_data(X: np.ndarray, y: np.ndarray, w0=None) -> Fit:
    """Spectrum, rank, span and least squares of (X, y), from the smaller of X X^T and X^T X."""
    n, d = X.shape
    rows = spectrum_rows(n, d)
    w0 = np.zeros(d) if w0 is None else np.asarray(w0, np.float64)
    if rows < d:  # the samples' Gram: X = U S V^T, span basis V = X^T U / S
        Xf, yf = X[:rows].astype(np.float64), y[:rows].astype(np.float64)
        mu, U = np.linalg.eigh(Xf @ Xf.T)
        keep = _nonzero(mu)
        basis = Xf.T @ U[:, keep] / np.sqrt(mu[keep])
        w_ls = basis @ (U[:, keep].T @ yf / np.sqrt(mu[keep]))
        ev = np.concatenate([np.zeros(d - rows), mu])
    else:
        G, b = _gram(X, y, rows)
        # nearly square: a rank below d is likely, so go straight for the eigenvectors
        ev, V = np.linalg.eigh(G) if rows < 2 * d else (np.linalg.eigvalsh(G), None)
        keep, basis = _nonzero(ev), None
        if not keep.all():
            ev, V = (ev, V) if V is not None else np.linalg.eigh(G)
            keep = _nonzero(ev)
            basis = V[:, keep]
        w_ls = np.linalg.solve(G, b) if basis is None else basis @ (basis.T @ b / ev[keep])
    if rows == n and _lstsq_small(n, d):  # small: the SVD's answer is the more accurate
        w_ls = np.linalg.lstsq(X.astype(np.float64), y.astype(np.float64), rcond=np.sqrt(RANK_TOL))[0]
    w_reach = w_ls if basis is None else w_ls + w0 - basis @ (basis.T @ w0)
    return Fit(np.sort(2.0 / rows * np.maximum(ev, 0.0)), int(keep.sum()), rows, basis, w_ls, w_reach)


def least_squares(data: Dataset) -> np.ndarray | None:
    """The weights that minimise the training MSE (of minimum norm when many do), in the raw features'
    units; None if the data is too big to solve for all of it.

    >>> least_squares(make_dataset(RunConfig())).round(6).tolist()
    [2.0, 3.0, 4.0, 7.0]
    """
    n, d = data.X.shape
    return data.to_original(fit_data(data.X, data.y).w_ls) if spectrum_rows(n, d) == n else None


def reachable_solution(cfg: RunConfig, data: Dataset | None = None) -> np.ndarray | None:
    """Where training ends (raw units) when the samples do not determine the weights; None when they do
    (or for Adam, which does not stay in the samples' span, or data too large to solve)."""
    data = data if data is not None else make_dataset(cfg)
    n, d = data.X.shape
    if cfg.optimizer == "adam" or spectrum_rows(n, d) < n:
        return None
    fit = fit_data(data.X, data.y, _initial(cfg, d))
    return None if fit.rank == d else data.to_original(fit.w_reach)


def _initial(cfg: RunConfig, d: int) -> np.ndarray:
    from .model import initial_weights  # torch, only when an analysis actually runs
    return initial_weights(d, cfg.seed).double().numpy()


# --- the epoch map, exact or estimated ---------------------------------------------------------------------
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
        keep = _nonzero(mu)
        return U[:, keep] * np.sqrt(mu[keep])
    ev, V = np.linalg.eigh(Z.T @ Z)
    return Z @ V[:, _nonzero(ev)]


def epoch_map(X: np.ndarray, fit: Fit, batch: int, momentum: float | None, safe: float):
    """(map, rows, note): the exact in-order epoch map, or the estimate that fits MAP_BUDGET and what it is."""
    n = len(X)
    pos = fit.eigenvalues[len(fit.eigenvalues) - fit.rank:]
    rows = map_rows(n, fit.rank, batch, momentum is not None)
    rows = rows if rows <= fit.rows else fit.rows - fit.rows % batch  # within the samples the span came from
    k = -(-n // batch)
    if rows == 0:
        return FullBatchMap(pos, k, momentum), 0, (
            f"the epoch map of even one batch is too costly here, so each of the {k:,} steps of an "
            "epoch is taken as a full-batch step (fair for large batches)")
    if rows == n and fit.rows == n:
        return EpochMap(_coordinates(X, fit, n), batch, momentum, stable_below=safe), n, ""
    scale = k / -(-rows // batch)
    s_range = (n / batch * pos[0], n / batch * pos[-1])  # S = sum_b H_b = (N/B) H for equal batches
    emap = EpochMap(_coordinates(X, fit, rows), batch, momentum, scale, s_range, stable_below=safe)
    note = (f"the exact epoch map of the first {rows:,} of {n:,} samples (same order and batch), "
            f"its log rho scaled by {scale:.3g} to a whole epoch")
    if np.isfinite(safe):
        note += f"; below lr = {safe:.3g} (min over batches of 2/lambda_max(H_b)) plain SGD cannot diverge"
    if momentum is not None:
        note += "; with momentum such a prefix can be off several-fold, since the whole epoch's order matters"
    return emap, rows, note


# --- the analysis ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    cfg: RunConfig
    least_squares: np.ndarray | None  # (D,) raw units, of minimum norm when many weights fit; None: too large
    eigenvalues: np.ndarray           # of H = (2/N) X^T X, ascending (zeros outside the samples' span)
    full_batch_threshold: float       # 2 / lambda_max: full-batch gradient descent diverges above it
    full_batch_best: float            # 2 / (lambda_min+ + lambda_max): fastest full-batch lr (nonzero lambdas)
    threshold: float                  # where the training as configured starts to diverge: the first stable
                                      # range's end (nan: unknown; inf: nothing diverges)
    best_lr: float                    # the lr with the fastest convergence (nan: none converges)
    exact: bool                       # False: an estimate (shuffling, Adam, or data too large)
    note: str                         # how threshold was found, in words
    error0: float = 0.0               # distance of the initial weights from where training ends, model units
    tol: float = TOL
    rank: int | None = None           # dimension of the samples' span (None: not computed)
    reachable: np.ndarray | None = None  # (D,) raw units: the fit training ends at (= least_squares if rank D)
    stable_intervals: tuple = ()      # ((lo, hi), ...) lr ranges where training converges; the first lo is 0
    safe_lr: float = float("nan")     # plain SGD: below it every step contracts (a guaranteed-stable bound)
    notes: tuple = ()                 # further facts in words: rank, several stable ranges, estimates
    _map: object = field(default=None, repr=False, compare=False)

    @property
    def determined(self) -> bool:
        """True when the samples pin down one weight vector (rank = number of weights)."""
        return self.rank is None or self.rank == self.cfg.n_weights

    @property
    def condition(self) -> float:
        """lambda_max / lambda_min over the samples' span (nan with no span at all)."""
        pos = self.eigenvalues[len(self.eigenvalues) - (self.rank or 0):] if self.rank is not None else self.eigenvalues
        if pos.size == 0 or pos[-1] <= 0:
            return float("nan")
        return float(pos[-1] / pos[0]) if pos[0] > pos[-1] * 1e-15 else float("inf")

    def spectrum(self, lrs) -> tuple[np.ndarray, np.ndarray]:
        """(log rho, angle) of the epoch map's dominant eigenvalue for each lr (log rho < 0 converges)."""
        return self._map.spectrum(np.atleast_1d(np.asarray(lrs, np.float64)))

    def classify(self, lr: float) -> Regime:
        """too slow / converges smoothly / oscillates but converges / diverges, with the epochs to `tol`."""
        return self.classify_many([lr])[0]

    def dominant(self, lrs) -> np.ndarray:
        """The epoch map's eigenvalue of largest modulus for each lr (complex): its size is the factor the
        error shrinks by per epoch, its angle how far the error turns each epoch."""
        log_rho, angle = self.spectrum(lrs)
        return np.exp(np.minimum(log_rho, 700.0)) * np.exp(1j * angle)

    def classify_many(self, lrs) -> list[Regime]:
        log_rho, angle = self.spectrum(lrs)
        return [regime(r, a, self.error0, self.tol, self.cfg.epochs) for r, a in zip(log_rho, angle)]


def analyze(cfg: RunConfig, data: Dataset | None = None) -> Analysis:
    """Everything above for `cfg` (its lr is not used: the analysis covers every lr). Never raises for a
    valid RunConfig: what it cannot know is nan or inf, with a note.

    >>> a = analyze(RunConfig())
    >>> bool(5e-5 < a.threshold < 1.2e-4), a.classify(1e-5).kind, a.classify(1e-3).kind
    (True, 'converges smoothly', 'diverges')
    >>> b = analyze(RunConfig(n_samples=2))  # 2 samples, 4 weights: many weights fit them
    >>> b.rank, b.determined, b.classify(1e-25).kind
    (2, False, 'too slow')
    """
    data = data if data is not None else make_dataset(cfg)
    n, d = data.X.shape
    w0 = _initial(cfg, d)
    fit = fit_data(data.X, data.y, w0)
    whole = fit.rows == n
    pos = fit.eigenvalues[d - fit.rank:]
    target = fit.w_reach if whole else np.asarray(cfg.true_weights, np.float64) * data.scale
    common = {"cfg": cfg, "eigenvalues": fit.eigenvalues, "rank": fit.rank, "tol": TOL * float(np.min(data.scale)),
              "least_squares": data.to_original(fit.w_ls) if whole else None,
              "reachable": data.to_original(fit.w_reach) if whole and cfg.optimizer != "adam" else None,
              "full_batch_threshold": 2.0 / pos[-1] if fit.rank else float("inf"),
              "full_batch_best": 2.0 / (pos[0] + pos[-1]) if fit.rank else float("nan"),
              "error0": float(np.linalg.norm(w0 - target))}
    facts = _facts(cfg, fit, n, whole)
    if fit.rank == 0:
        return Analysis(threshold=float("inf"), best_lr=float("nan"), exact=True, stable_intervals=((0.0, np.inf),),
                        note="the training features are all zero, so every gradient is zero: training never "
                             "moves the weights, at any lr", notes=facts, _map=FullBatchMap(pos, 1), **common)
    if cfg.optimizer == "adam":
        return Analysis(threshold=float("inf"), best_lr=float("nan"), exact=False, _map=FullBatchMap(pos, 1),
                        note="Adam rescales every step by its own running averages, so no lr threshold follows "
                             "from the data: it takes steps of about lr in weight units. Classifications use the "
                             "full-batch spectrum and are rough.", notes=facts, **common)
    return _sgd(cfg, data.X, fit, common, facts)


def _sgd(cfg: RunConfig, X: np.ndarray, fit: Fit, common: dict, facts: tuple) -> Analysis:
    """The analysis of plain SGD or momentum: stable ranges, threshold and fastest lr from the epoch map."""
    momentum = cfg.momentum if cfg.optimizer == "momentum" else None
    safe = safe_lr(X, cfg.batch_size) if momentum is None else float("nan")
    emap, _, how = epoch_map(X, fit, cfg.batch_size, momentum, safe)
    fb = common["full_batch_threshold"]
    lo = safe / 2 if np.isfinite(safe) else fb * 1e-3
    intervals, grid, lr_grid = stable_set(emap, lo, fb * 1e3)
    threshold = intervals[0][1] if intervals and intervals[0][0] == 0.0 else float("nan")
    exact = not how and not cfg.shuffle
    name = "the spectral radius of the in-order epoch map" + (" with momentum" if momentum is not None else "")
    note = how or f"{name} crosses 1 here"
    if cfg.shuffle:
        note += " (for one fixed order: an estimate, since shuffling changes the order every epoch)"
    if len(intervals) > 1:
        ranges = ", ".join(f"{a:.3g} to {b:.3g}" for a, b in intervals)
        facts += ((f"Stable in several separate ranges: {ranges}; the lrs between them diverge, so 'diverges "
                   f"above {threshold:.3g}' holds only up to {intervals[1][0]:.3g}."),)
    if not np.isfinite(threshold):
        facts += ("No lr converged on the scanned grid: the threshold is unknown.",)
    return Analysis(threshold=float(threshold), best_lr=fastest(emap, grid, lr_grid), exact=exact, note=note,
                    stable_intervals=tuple(intervals), safe_lr=float(safe), notes=facts, _map=emap, **common)


def _facts(cfg: RunConfig, fit: Fit, n: int, whole: bool) -> tuple:
    """Sentences about what the samples determine (and what was estimated for lack of time)."""
    d, out = cfg.n_weights, []
    if not whole:
        out.append(f"The spectrum and least squares are estimates from the first {fit.rows:,} of {n:,} samples.")
    if fit.rank < d and not whole:
        out.append(f"Those {fit.rows:,} samples span {fit.rank} of the {d} weight directions; all {n:,} may span more.")
    elif fit.rank < d:
        why = (f"{n} sample{'s' * (n != 1)} cannot determine {d} weights" if n < d else
               f"standardising subtracts the mean, which leaves {n} samples {n - 1} independent directions"
               if cfg.standardize and n <= d else
               "the features are linearly dependent (duplicate or constant columns), or so nearly that training "
               "cannot tell (curvature below 1e-10 of the largest)")
        out.append(f"Rank {fit.rank} of {d}: {why}, so many weights fit the samples equally well. Training "
                   "moves only within the samples' span and ends at the fit nearest its start"
                   + ("" if cfg.optimizer != "adam" else " (not for Adam, which rescales each weight)")
                   + "; epoch counts are to that fit, not to the true weights.")
    return tuple(out)


def slice_condition(data: Dataset, i: int, j: int) -> float:
    """Condition number of the 2x2 Hessian of the slice: how elongated the contour's ellipses are (squared)."""
    X = data.X.astype(np.float64)[:, [i, j]]
    lam = np.linalg.eigvalsh(X.T @ X)
    return float(lam[-1] / lam[0]) if lam[0] > 0 else float("inf")


def loss_slice(cfg: RunConfig, data: Dataset, i: int, j: int, center=None, span=None, n: int = 61):
    """Training loss over a grid of weights i and j (raw units), every other weight held at its true value.

    Returns (a (n,), b (n,), Z (n, n)) with Z[q, p] the loss at w_i = a[p], w_j = b[q]. Computed from the
    Gram matrix in float64, so a grid costs O(n^2), not O(n^2 N). With label noise or standardisation the
    slice is through the true weights, so its minimum can sit a little off them."""
    X, y = data.X.astype(np.float64), data.y.astype(np.float64)
    N = len(y)
    G, h, c = X.T @ X / N, X.T @ y / N, float(y @ y / N)
    base = np.asarray(cfg.true_weights, np.float64) * data.scale  # model units
    center = np.asarray(cfg.true_weights, np.float64)[[i, j]] if center is None else np.asarray(center)
    span = np.maximum(np.abs(center), 1.0) if span is None else np.broadcast_to(span, (2,))
    a = np.linspace(center[0] - span[0], center[0] + span[0], n)
    b = np.linspace(center[1] - span[1], center[1] + span[1], n)
    A, B = np.meshgrid(a * data.scale[i], b * data.scale[j])  # (n, n) in model units
    W = np.broadcast_to(base, A.shape + base.shape).copy()
    W[..., i], W[..., j] = A, B
    Z = np.einsum("...d,de,...e->...", W, G, W) - 2 * W @ h + c
    return a, b, np.maximum(Z, 0.0)
