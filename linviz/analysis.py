"""Closed-form references for a data set, in float64 NumPy (independent of the torch training path)."""
import numpy as np

from .data import Dataset

MAX_LSTSQ_WORK = 5e8  # N * D^2 multiply-adds: beyond this a dashboard should not wait for the solve


def least_squares(data: Dataset) -> np.ndarray | None:
    """The weights that minimise the training MSE, in the raw features' units; None if the data is too big.

    With label noise these, not the true weights, are where training can end up.
    `numpy.linalg.lstsq` in float64 (torch's default CPU driver can return a rank-deficient answer).

    >>> from linviz import RunConfig, make_dataset
    >>> least_squares(make_dataset(RunConfig())).round(6).tolist()
    [2.0, 3.0, 4.0, 7.0]
    """
    n, d = data.X.shape
    if n * d * d > MAX_LSTSQ_WORK:
        return None
    w, *_ = np.linalg.lstsq(data.X.astype(np.float64), data.y.astype(np.float64), rcond=None)
    return data.to_original(w)
