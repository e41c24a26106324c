"""The samples the model learns from, in the user's units, with what the current weights predict for them.

For the page's Data tab: the training samples (and held-out test samples), thinned evenly to a few thousand
so a chart stays light, with raw features even when training sees standardised ones. Predictions are what
the model predicts in raw units: with standardised features the model sees (x - mean) / std and y - mean(y),
which for weights w in the user's units is  w . (x - mean) + mean(y);  without, it is plain  w . x.
"""
from dataclasses import dataclass

import numpy as np

from .data import Dataset

MAX_POINTS = 2000  # samples shown at most: more than a chart has room for, still cheap to send


@dataclass(frozen=True)
class Samples:
    """A thinned, fixed selection of samples: training first, then test. k samples, D features."""

    X: np.ndarray       # (k, D) raw features, float64
    y: np.ndarray       # (k,) targets in the user's units
    test: np.ndarray    # (k,) bool: held out (never trained on)
    number: np.ndarray  # (k,) the sample's number within its set, from 1
    total: int          # samples there are in all (training + test), before thinning


def spread(n: int, k: int) -> np.ndarray:
    """k (or n, if fewer) indices spread evenly over 0..n-1, first and last included.

    >>> spread(10, 4).tolist(), spread(3, 5).tolist()
    ([0, 3, 6, 9], [0, 1, 2])
    """
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max(k, 1)).round().astype(int))


def select(data: Dataset, max_points: int = MAX_POINTS) -> Samples:
    """Training and test samples in raw units, at most `max_points` in all (each set thinned in proportion)."""
    n, m = len(data.y), 0 if data.y_test is None else len(data.y_test)
    k_test = 0 if m == 0 else max(1, round(max_points * m / (n + m)))
    parts = [(data.X, data.y, spread(n, max(1, max_points - k_test)), False)]
    if m:
        parts.append((data.X_test, data.y_test, spread(m, k_test), True))
    X = np.concatenate([Xs[i].astype(np.float64) * data.scale + data.offset for Xs, _, i, _ in parts])
    y = np.concatenate([ys[i].astype(np.float64) + data.y_offset for _, ys, i, _ in parts])
    test = np.concatenate([np.full(len(i), t) for _, _, i, t in parts])
    number = np.concatenate([i + 1 for _, _, i, _ in parts])
    return Samples(X, y, test, number, n + m)


def predict(data: Dataset, s: Samples, W: np.ndarray) -> np.ndarray:
    """(R, k): what each run's weights W (R, D), in the user's units, predict for the samples.

    >>> from linviz import RunConfig, make_dataset
    >>> d = make_dataset(RunConfig(n_samples=3))
    >>> s = select(d)
    >>> bool(np.allclose(predict(d, s, np.array([[2.0, 3.0, 4.0, 7.0]])), s.y))  # the true weights fit exactly
    True
    """
    W = np.atleast_2d(W)
    return W @ (s.X - data.offset).T + data.y_offset


def rms_residual(data: Dataset, s: Samples, w: np.ndarray | None) -> float | None:
    """Root mean squared residual of weights w (D,) over the selected training samples; None without w."""
    if w is None or not (~s.test).any():
        return None
    r = predict(data, s, w)[0][~s.test] - s.y[~s.test]
    return float(np.sqrt(np.mean(r * r)))
