"""The loss landscape: the training loss over two chosen weights, every other weight at its true value.

The page's Loss landscape tab draws it as contours with the training path on top; `slice_condition` (also
printed by `python -m linviz analyze`) says how elongated its ellipses are. Float64 NumPy.
"""
import numpy as np

from .config import RunConfig
from .data import Dataset


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
