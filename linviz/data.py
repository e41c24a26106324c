"""The tutorial's data: integer features, targets y = x . w (+ optional noise), an optional test split."""
from dataclasses import dataclass

import numpy as np

from .config import RunConfig


@dataclass(frozen=True)
class Dataset:
    """Training (and test) data as the model sees it, plus what maps its weights back to the user's units.

    With `standardize`, features become (x - mean) / scale and targets y - y_mean; a weight learned on them
    equals the original weight times `scale`, so `to_original` divides it back out."""

    X: np.ndarray                  # (N, D) float32 training features
    y: np.ndarray                  # (N,) float32 training targets
    X_test: np.ndarray | None      # (M, D) float32, None without a test split
    y_test: np.ndarray | None      # (M,)
    scale: np.ndarray              # (D,) float64, ones unless standardised
    offset: np.ndarray             # (D,) float64 feature means subtracted, zeros unless standardised
    y_offset: float = 0.0          # training-target mean subtracted, 0 unless standardised
    n_all: int | None = None       # training samples of the whole data set when X holds only its first rows

    @property
    def n_train(self) -> int:
        """Training samples in the whole data set (len(X) unless this holds only its first rows)."""
        return self.n_all if self.n_all is not None else len(self.y)

    def to_original(self, w: np.ndarray) -> np.ndarray:
        """Model weights (..., D) -> weights on the raw features, comparable with the true weights."""
        return w / self.scale


def make_dataset(cfg: RunConfig, rows: int | None = None) -> Dataset:
    """Draw the data for `cfg`, reproducibly from `cfg.seed` alone. With `rows` below the training samples, only the
    first `rows` of them (and no test split) are kept: see `first_rows`.

    >>> d = make_dataset(RunConfig())
    >>> d.X.shape, d.y.shape, bool(d.X.min() >= 1 and d.X.max() <= 100)
    ((10, 4), (10,), True)
    """
    if rows is not None and rows < cfg.n_train:
        return first_rows(cfg, rows)
    rng = np.random.default_rng(cfg.seed)
    w = np.asarray(cfg.true_weights)
    X = rng.integers(cfg.feature_min, cfg.feature_max + 1, size=(cfg.n_samples, cfg.n_weights))  # like randint
    y = X @ w  # exact: integer features times the weights, in float64
    if cfg.noise_std > 0:
        y = y + cfg.noise_std * rng.standard_normal(cfg.n_samples)
    X_test = y_test = None
    if cfg.n_test:
        order = rng.permutation(cfg.n_samples)
        test, train = order[: cfg.n_test], np.sort(order[cfg.n_test:])
        X, X_test, y, y_test = X[train], X[test], y[train], y[test]
    offset, scale, y_offset = np.zeros(cfg.n_weights), np.ones(cfg.n_weights), 0.0
    if cfg.standardize:
        offset, scale, y_offset = X.mean(0), X.std(0), float(y.mean())
        scale[scale == 0] = 1.0  # a constant feature carries no information: leave it unscaled
    f32 = lambda a, shift, div=1.0: None if a is None else ((a - shift) / div).astype(np.float32)
    return Dataset(f32(X, offset, scale), f32(y, y_offset), f32(X_test, offset, scale), f32(y_test, y_offset),
                   scale, offset, y_offset)


STREAM_VALUES = 2**22  # values drawn at a time by first_rows: 32 MiB of int64


def first_rows(cfg: RunConfig, rows: int) -> Dataset:
    """The first `rows` training samples of make_dataset(cfg), without ever holding the whole data set.

    For an analysis of a data set too large to hold (10M samples x 30 weights: 2.4 GB as drawn): the draws are
    streamed in blocks (a block of rows draws exactly what the same rows of one big draw would), keeping the rows
    wanted and the training features' and targets' sums (for `standardize`). With a test split the permutation
    comes after all of the features and noise, so the features are streamed twice. X and y are exactly
    make_dataset's first rows; a standardised set's mean and scale are computed by sums rather than by NumPy's
    pairwise mean, which can differ in the last bits. `n_all` says how many training samples there are in all.

    >>> cfg = RunConfig(n_samples=1000, noise_std=1.0, test_fraction=0.2, standardize=True)
    >>> whole, first = make_dataset(cfg), first_rows(cfg, 50)
    >>> first.X.shape, first.n_train, bool(np.abs(first.X - whole.X[:50]).max() < 1e-6)
    ((50, 4), 800, True)
    """
    n, d, w = cfg.n_samples, cfg.n_weights, np.asarray(cfg.true_weights)
    block = max(1, STREAM_VALUES // d)
    train = np.ones(n, bool)
    if cfg.n_test:  # first pass: where the generator stands after the features and noise, for the permutation
        rng = np.random.default_rng(cfg.seed)
        for i in range(0, n, block):
            rng.integers(cfg.feature_min, cfg.feature_max + 1, size=(min(block, n - i), d))
        for i in range(0, n, block) if cfg.noise_std > 0 else ():
            rng.standard_normal(min(block, n - i))
        train[rng.permutation(n)[: cfg.n_test]] = False
    keep = np.flatnonzero(train)[:rows]  # raw indices of the first `rows` training samples, ascending
    last = int(keep[-1]) + 1
    whole_pass = cfg.noise_std > 0 or cfg.standardize  # the noise is drawn after all features; sums need them all
    rng = np.random.default_rng(cfg.seed)
    X_keep, clean = np.empty((rows, d)), []  # the kept rows; each block's noiseless training targets (standardize)
    sx, sxx, mid = np.zeros(d), np.zeros(d), (cfg.feature_min + cfg.feature_max) / 2
    for i in range(0, n, block):
        Xb = rng.integers(cfg.feature_min, cfg.feature_max + 1, size=(min(block, n - i), d))
        if i < last:  # the block's kept rows, straight to their place (test rows in between are never kept)
            sel = keep[(keep >= i) & (keep < i + len(Xb))]
            X_keep[np.searchsorted(keep, sel)] = Xb[sel - i]
        if cfg.standardize:  # sums of x - mid: no cancellation when features are large and close together
            Xt = Xb[train[i:i + len(Xb)]].astype(np.float64)
            sx, sxx = sx + (Xt - mid).sum(0), sxx + np.square(Xt - mid).sum(0)
            clean.append(Xt @ w)
        if not whole_pass and i + len(Xb) >= last:
            break
    y_keep = X_keep @ w
    sy = sum(float(c.sum()) for c in clean)
    for b, i in enumerate(range(0, n, block)) if cfg.noise_std > 0 else ():
        noise = cfg.noise_std * rng.standard_normal(min(block, n - i))
        sel = keep[(keep >= i) & (keep < i + len(noise))]
        y_keep[np.searchsorted(keep, sel)] += noise[sel - i]
        if cfg.standardize:
            sy += float(noise[train[i:i + len(noise)]].sum())
        elif i + len(noise) >= last:
            break
    n_train = int(train.sum())
    offset, scale, y_offset = np.zeros(d), np.ones(d), 0.0
    if cfg.standardize:
        shift = sx / n_train
        offset = mid + shift
        scale = np.sqrt(np.maximum(sxx / n_train - shift**2, 0.0))
        scale[scale < 1e-6] = 1.0  # constant: integer features that vary have a std of at least ~1/sqrt(n) > 1e-4
        y_offset = sy / n_train
    f32 = lambda a, shift, div=1.0: ((a - shift) / div).astype(np.float32)
    return Dataset(f32(X_keep, offset, scale), f32(y_keep, y_offset), None, None, scale, offset, y_offset,
                   n_all=n_train)
