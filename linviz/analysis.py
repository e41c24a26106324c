"""What the data says about learning rates, before training: closed-form references in float64 NumPy.

- least squares: the best weights for the training data (numpy.linalg.lstsq; torch's default CPU driver
  can silently return a rank-deficient answer);
- the Hessian H = (2/N) X^T X of the training MSE: eigenvalues, condition number, the full-batch
  divergence threshold 2/lambda_max and the fastest full-batch lr 2/(lambda_min + lambda_max);
- the divergence threshold of the training as configured (stability.py), and a classifier for any lr;
- the loss over a grid of two weights, the others held at their true values (a contour slice).
All quantities are for the features the model sees (standardised when asked); weights are reported in
the raw features' units.
"""
from dataclasses import dataclass, field

import numpy as np

from .config import RunConfig
from .data import Dataset, make_dataset
from .model import initial_weights
from .stability import MAX_WORK, EpochMap, Regime, regime, work

MAX_LSTSQ_WORK = 5e8  # N * D^2 multiply-adds: beyond this a dashboard should not wait for the solve
TOL = 1e-2  # "reached the weights": within 0.01, as the tutorial's result is (raw features' units)
LADDER = (0.1, 0.3, 0.6, 0.9, 1.05, 1.5)  # multiples of the divergence threshold worth comparing


def ladder(cfg: RunConfig, a: "Analysis", factors=LADDER) -> RunConfig:
    """One sweep over lrs placed relative to the threshold: same data, same initial weights, one batched run."""
    return cfg.replace(lr=tuple(float(f"{f * a.threshold:.3g}") for f in factors))


def least_squares(data: Dataset) -> np.ndarray | None:
    """The weights that minimise the training MSE, in the raw features' units; None if the data is too big.

    >>> least_squares(make_dataset(RunConfig())).round(6).tolist()
    [2.0, 3.0, 4.0, 7.0]
    """
    n, d = data.X.shape
    if n * d * d > MAX_LSTSQ_WORK:
        return None
    w, *_ = np.linalg.lstsq(data.X.astype(np.float64), data.y.astype(np.float64), rcond=None)
    return data.to_original(w)


@dataclass(frozen=True)
class Analysis:
    cfg: RunConfig
    least_squares: np.ndarray | None  # (D,) raw units
    eigenvalues: np.ndarray           # of H = (2/N) X^T X, ascending
    full_batch_threshold: float       # 2 / lambda_max: full-batch gradient descent diverges above it
    full_batch_best: float            # 2 / (lambda_min + lambda_max): fastest full-batch lr
    threshold: float                  # where the training as configured starts to diverge
    best_lr: float                    # the lr with the fastest convergence for the training as configured
    exact: bool                       # False: an estimate (shuffling, Adam, or data too large)
    note: str                         # how threshold was found, in words
    error0: float = 0.0               # distance of the initial weights from the target, in model units
    tol: float = TOL
    _map: EpochMap | None = field(default=None, repr=False, compare=False)

    @property
    def condition(self) -> float:
        lo, hi = self.eigenvalues[0], self.eigenvalues[-1]
        return float(hi / lo) if lo > hi * 1e-15 else float("inf")

    def classify(self, lr: float) -> Regime:
        """too slow / converges smoothly / oscillates but converges / diverges, with the epochs to `tol`."""
        return self.classify_many([lr])[0]

    def dominant(self, lrs) -> np.ndarray:
        """The epoch map's eigenvalue of largest modulus for each lr (complex): its size is the factor the
        error shrinks by per epoch, its angle how far the error turns each epoch."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        if self._map is not None:
            return self._map.dominant(lrs)
        mult = 1 - lrs[:, None] * self.eigenvalues[None, :]  # no epoch map: the full-batch spectrum stands in
        return mult[np.arange(len(lrs)), np.argmax(np.abs(mult), axis=1)].astype(complex)

    def classify_many(self, lrs) -> list[Regime]:
        return [regime(d, self.error0, self.tol, self.cfg.epochs) for d in self.dominant(lrs)]


def analyze(cfg: RunConfig, data: Dataset | None = None) -> Analysis:
    """Everything above for `cfg` (its lr is not used: the analysis covers every lr).

    >>> a = analyze(RunConfig())
    >>> bool(5e-5 < a.threshold < 1.2e-4), a.classify(1e-5).kind, a.classify(1e-3).kind
    (True, 'converges smoothly', 'diverges')
    """
    data = data if data is not None else make_dataset(cfg)
    X = data.X.astype(np.float64)
    n, d = X.shape
    lam = np.linalg.eigvalsh(2.0 / n * X.T @ X)
    fb_threshold = 2.0 / lam[-1]
    fb_best = 2.0 / (lam[0] + lam[-1])
    best_fit = least_squares(data)
    target = (best_fit if best_fit is not None else np.asarray(cfg.true_weights)) * data.scale
    error0 = float(np.linalg.norm(initial_weights(d, cfg.seed).double().numpy() - target))
    tol = TOL * float(np.min(data.scale))
    common = {"cfg": cfg, "least_squares": best_fit, "eigenvalues": lam, "full_batch_threshold": fb_threshold,
              "full_batch_best": fb_best, "error0": error0, "tol": tol}
    if cfg.optimizer == "adam":
        return Analysis(threshold=float("inf"), best_lr=float("nan"), exact=False, **common,
                        note="Adam rescales every step by its own running averages, so no lr threshold follows "
                             "from the data: it takes steps of about lr in weight units. Classifications use the "
                             "full-batch spectrum and are rough.")
    if work(n, d, cfg.batch_size) > MAX_WORK:
        note = ("Estimate: the data is too large to build the epoch map, so the full-batch bound 2/lambda_max "
                "stands in; per-sample SGD usually diverges somewhat below it.")
        return Analysis(threshold=fb_threshold, best_lr=fb_best, exact=False, note=note, **common)
    momentum = cfg.momentum if cfg.optimizer == "momentum" else None
    emap = EpochMap(X, cfg.batch_size, momentum)
    threshold = emap.threshold(fb_threshold * 1e-3, fb_threshold * 1e3)
    best = emap.fastest(min(threshold, fb_threshold * 1e3))
    exact = not cfg.shuffle
    how = ("the spectral radius of the in-order epoch map" + (" with momentum" if momentum else "")
           + " crosses 1 here")
    note = how if exact else how + " for one fixed order: an estimate, since shuffling changes the order every epoch"
    return Analysis(threshold=threshold, best_lr=best, exact=exact, note=note, _map=emap, **common)


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
