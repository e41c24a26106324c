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

    def to_original(self, w: np.ndarray) -> np.ndarray:
        """Model weights (..., D) -> weights on the raw features, comparable with the true weights."""
        return w / self.scale


def make_dataset(cfg: RunConfig) -> Dataset:
    """Draw the data for `cfg`, reproducibly from `cfg.seed` alone.

    >>> d = make_dataset(RunConfig())
    >>> d.X.shape, d.y.shape, bool(d.X.min() >= 1 and d.X.max() <= 100)
    ((10, 4), (10,), True)
    """
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
