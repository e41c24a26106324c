"""`python -m linviz analyze <flags>`: what the data says about learning rates, printed."""
import numpy as np

from .analysis import LADDER, TOL, Analysis, analyze
from .config import RunConfig
from .data import make_dataset
from .landscape import slice_condition
from .text import fmt_number


def _vec(v) -> str:
    return "[" + ", ".join(f"{x:.4f}" for x in v) + "]"


def _solutions(a: Analysis) -> list[str]:
    """Least squares, and where training ends when the samples do not determine the weights."""
    if a.least_squares is None:
        return ["Least squares: skipped: the data is too large"]
    if a.determined:
        return [f"Least squares (float64, SVD or normal equations): {_vec(a.least_squares)}"]
    lines = [f"Least squares of minimum norm: {_vec(a.least_squares)}"]
    if a.reachable is not None:
        lines.append(f"Training ends at the fit nearest its start, w0 + P(w_ls - w0): {_vec(a.reachable)}")
    return lines


def _threshold(a: Analysis) -> list[str]:
    """The threshold, how it was found, the fastest lr, and the guaranteed-stable bound."""
    if np.isfinite(a.threshold):
        how = "" if a.exact else "an estimate: "
        lines = [f"This training diverges above lr = {a.threshold:.4g} ({how}{a.note})",
                 (f"Fastest convergence at lr = {a.best_lr:.4g}: the smallest spectral radius over every stable range"
                  + ("" if a.exact else " (an estimate)"))]
    elif np.isinf(a.threshold):
        lines = [f"No divergence threshold: {a.note}"]
    else:
        lines = [f"Divergence threshold unknown ({'' if a.exact else 'an estimate: '}{a.note})"]
    if np.isfinite(a.safe_lr) and a.safe_lr > 0:
        lines.append(f"Guaranteed stable: below lr = {a.safe_lr:.4g} every step of plain SGD contracts "
                     "(min over batches of 2/lambda_max(H_b))")
    return lines


def _table(cfg: RunConfig, a: Analysis) -> list[str]:
    finite = bool(np.isfinite(a.threshold) and a.threshold > 0)
    lrs = tuple(cfg.lrs) + (tuple(m * a.threshold for m in LADDER) if finite else ())
    to = ("of where it settles" if a.settles_off else "of the weights" if a.determined
          else "of the fit training reaches")
    lines = [f"{'lr':>12} {'x threshold':>12}  {'regime':<26} epochs to within {TOL:g} {to}"]
    for lr, r in zip(lrs, [a.measure(lr) for lr in lrs]):
        ratio = lr / a.threshold if finite else float("nan")
        epochs = f"{r.epochs:,.0f}" if np.isfinite(r.epochs) else "never"
        mark = "  <- yours" if lr in cfg.lrs else ""
        lines.append(f"{fmt_number(float(f'{lr:.3g}')):>12} {ratio:>12.2f}  {r.kind:<26} {epochs}{mark}")
    return lines


def analysis_text(cfg: RunConfig) -> str:
    """What `python -m linviz analyze` prints for cfg: the data, its fits, the thresholds and a table of lrs."""
    data = make_dataset(cfg)
    a = analyze(cfg, data)
    lam = a.eigenvalues
    units = "standardised" if cfg.standardize else "raw"
    order = "shuffled" if cfg.shuffle else "in order"
    lines = [
        (f"Data: {cfg.n_train} training samples x {cfg.n_weights} weights ({units} features), "
         f"batch {cfg.batch_size}, {cfg.optimizer}, {order}"),
        *([f"Rank {a.rank} of {cfg.n_weights}: the samples determine the weights"] if a.determined else []),
        *_solutions(a),
        *a.notes,
        (f"Hessian H = (2/N) X^T X: eigenvalues {lam[0]:.4g} .. {lam[-1]:.4g}, condition number {a.condition:.4g}"
         + ("" if a.determined else " (on the samples' span)")),
        (f"Full-batch gradient descent: diverges above 2/lambda_max = {a.full_batch_threshold:.4g}; "
         f"fastest at 2/(lambda_min + lambda_max) = {a.full_batch_best:.4g}"),
        *_threshold(a),
        *_table(cfg, a),
        *[str(m) for m in (a.settle_note(lr) for lr in cfg.lrs) if m is not None],
    ]
    if cfg.n_weights >= 2:
        lines.append(f"Loss slice over (w1, w2), the other weights at their true values: the contour's ellipses "
                     f"are {np.sqrt(slice_condition(data, 0, 1)):.3g} times longer than wide")
    return "\n".join(lines)
