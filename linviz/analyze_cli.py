"""`python -m linviz analyze <flags>`: what the data says about learning rates, printed."""
import numpy as np

from .analysis import LADDER, TOL, analyze, slice_condition
from .config import RunConfig, fmt_number
from .data import make_dataset


def _vec(v) -> str:
    return "[" + ", ".join(f"{x:.4f}" for x in v) + "]"


def report(cfg: RunConfig) -> str:
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    lam = a.eigenvalues
    units = "standardised" if cfg.standardize else "raw"
    order = "shuffled" if cfg.shuffle else "in order"
    lines = [
        (f"Data: {cfg.n_train} training samples x {cfg.n_weights} weights ({units} features), "
        f"batch {cfg.batch_size}, {cfg.optimizer}, {order}"),
        "Least squares (numpy.linalg.lstsq, float64): "
        + (_vec(a.least_squares) if a.least_squares is not None else "skipped: the data is too large"),
        f"Hessian H = (2/N) X^T X: eigenvalues {lam[0]:.4g} .. {lam[-1]:.4g}, condition number {a.condition:.4g}",
        (f"Full-batch gradient descent: diverges above 2/lambda_max = {a.full_batch_threshold:.4g}; "
        f"fastest at 2/(lambda_min + lambda_max) = {a.full_batch_best:.4g}"),
    ]
    if np.isfinite(a.threshold):
        lines.append(f"This training diverges above lr = {a.threshold:.4g} ({'exact' if a.exact else 'estimate'}: "
                     f"{a.note}); fastest convergence at lr = {a.best_lr:.4g}")
    else:
        lines.append(f"No divergence threshold: {a.note}")
    lrs = cfg.lrs if np.isinf(a.threshold) else tuple(cfg.lrs) + tuple(m * a.threshold for m in LADDER)
    lines.append(f"{'lr':>12} {'x threshold':>12}  {'regime':<26} epochs to within {TOL:g} of the weights")
    for lr, r in zip(lrs, a.classify_many(lrs)):
        ratio = lr / a.threshold if np.isfinite(a.threshold) else float("nan")
        epochs = f"{r.epochs:,.0f}" if np.isfinite(r.epochs) else "never"
        mark = "  <- yours" if lr in cfg.lrs else ""
        lines.append(f"{fmt_number(float(f'{lr:.3g}')):>12} {ratio:>12.2f}  {r.kind:<26} {epochs}{mark}")
    if cfg.n_weights >= 2:
        lines.append(f"Loss slice over (w1, w2), the other weights at their true values: the contour's ellipses "
                     f"are {np.sqrt(slice_condition(data, 0, 1)):.3g} times longer than wide")
    return "\n".join(lines)
