"""Every optimiser step, not only every epoch: replay epochs step by step for the landscape's zig-zag.

The engine (engine.py) solves a whole chunk of SGD steps at once and reports one state per epoch. To draw the
path *within* an epoch, this module replays it with the tutorial's update written out, one step at a time, in
plain float64 NumPy, from the weights the engine reported at the epoch's start:

    w <- w - lr * (2 / |b|) * sum_{i in b} (w . x_i - y_i) x_i        (per-sample SGD: |b| = 1)

It walks the samples in the engine's order: in order, or with `shuffle` the same permutations the engine drew
(one per epoch from `default_rng([seed, 1])`, regenerated here). Momentum and Adam carry a state between
steps that the engine does not report, so for them the replay starts from epoch 1 with a zero state (exact
only while the whole run fits in `MAX_STEPS`); plain SGD needs nothing but the weights, so any recent epochs
can be replayed. tests/test_steps.py checks that the last step lands on the engine's weights (1e-9 relative).
"""
from dataclasses import dataclass

import numpy as np

from .config import RunConfig
from .data import Dataset
from .say import Msg
from .updates import ADAM_BETAS, ADAM_EPS

MAX_STEPS = 3000  # steps drawn at most: a few thousand points is all a contour's path can show
MAX_SHUFFLE_DRAWS = 2_000_000  # epochs x samples of permutations regenerated to replay shuffled epochs


def steps_per_epoch(cfg: RunConfig) -> int:
    """Optimiser steps in one epoch: one per batch, the last batch possibly short."""
    return -(-cfg.n_train // cfg.batch_size)


def epoch_orders(cfg: RunConfig, n: int, first: int, last: int) -> list[np.ndarray | None]:
    """The sample order of epochs first..last (1-based) as the engine walks them; None where in order."""
    if not cfg.shuffle:
        return [None] * (last - first + 1)
    rng = np.random.default_rng([cfg.seed, 1])  # the engine's shuffler: one permutation per epoch, in turn
    orders = [rng.permutation(n) for _ in range(last)]
    return orders[first - 1:]


def replay(cfg: RunConfig, data: Dataset, w_start: np.ndarray, lrs: np.ndarray, first_epoch: int = 1) -> np.ndarray:
    """Weights after every step of epochs first_epoch, first_epoch + 1, ... (one per row of `lrs`).

    w_start: (R, D) weights in the user's units at the start of `first_epoch`; lrs: (E, R) each epoch's lr.
    Returns (1 + E * steps_per_epoch, R, D) in the user's units; row 0 is w_start. Momentum and Adam start
    from a zero state, so they need first_epoch == 1.

    >>> from linviz import RunConfig, make_dataset, train
    >>> cfg = RunConfig(epochs=2)
    >>> s0, s1, s2 = train(cfg)
    >>> path = replay(cfg, make_dataset(cfg), s0.weights, np.full((2, 1), cfg.lr))
    >>> path.shape, bool(np.allclose(path[-1], s2.weights, rtol=1e-9, atol=0))
    ((21, 1, 4), True)
    """
    if cfg.optimizer != "sgd" and first_epoch != 1:
        raise ValueError(f"{cfg.optimizer} keeps a state between steps: replay it from epoch 1")
    lrs = np.atleast_2d(np.asarray(lrs, dtype=np.float64))
    X, y = data.X.astype(np.float64), data.y.astype(np.float64)  # the engine's float64 copies
    W = np.array(w_start, dtype=np.float64) * data.scale  # (R, D) model units
    out = [W.copy()]
    moments, t = [np.zeros_like(W), np.zeros_like(W)], 0  # momentum buffer / Adam's m and v; steps taken
    orders = epoch_orders(cfg, len(y), first_epoch, first_epoch + len(lrs) - 1)
    for lr, order in zip(lrs, orders):
        Xe, ye = (X, y) if order is None else (X[order], y[order])
        for start in range(0, len(ye), cfg.batch_size):
            xb, yb = Xe[start:start + cfg.batch_size], ye[start:start + cfg.batch_size]
            grad = (2.0 / len(yb)) * (W @ xb.T - yb) @ xb  # (R, D): d/dw of the batch's mean squared error
            t += 1
            W = W - _step(cfg, grad, lr[:, None], moments, t)
            out.append(W.copy())
    return np.stack(out) / data.scale


def _step(cfg: RunConfig, grad: np.ndarray, lr: np.ndarray, moments: list, t: int) -> np.ndarray:
    """What the optimiser subtracts from the weights for this gradient (torch.optim's SGD, momentum, Adam)."""
    if cfg.optimizer == "sgd":
        return lr * grad
    if cfg.optimizer == "momentum":
        moments[0] = cfg.momentum * moments[0] + grad
        return lr * moments[0]
    b1, b2 = ADAM_BETAS
    moments[0] = b1 * moments[0] + (1 - b1) * grad
    moments[1] = b2 * moments[1] + (1 - b2) * grad * grad
    denom = np.sqrt(moments[1]) / np.sqrt(1 - b2**t) + ADAM_EPS
    return lr / (1 - b1**t) * moments[0] / denom


@dataclass(frozen=True)
class StepPath:
    """The zig-zag: weights after every step of some recent epochs, and what they cover."""

    weights: np.ndarray   # (S + 1, R, D) user units; row 0: the weights at the start of `first_epoch`
    epoch: np.ndarray     # (S + 1,) the epoch each row's step belongs to (first_epoch - 1 for row 0)
    first_epoch: int
    last_epoch: int


def step_path(cfg: RunConfig, data: Dataset, view: dict, lr_at=None, max_steps: int = MAX_STEPS) -> StepPath | str:
    """The steps of the latest epochs of a History view (a single run's or a sweep's), at most `max_steps`;
    or a sentence (a Msg) saying why they cannot be shown exactly.

    A long run's history keeps only every k-th old epoch: the replay then starts from the latest epoch it kept
    before the window, with the lr `lr_at(epoch)` gives for epochs it did not keep (Trainer.lr_at), and is shown
    only if it ends on the engine's weights (1e-9 relative), so a mid-run lr change it cannot see is never drawn."""
    epochs, spe = view["epoch"].astype(int), steps_per_epoch(cfg)
    weights = view["weights"] if view["weights"].ndim == 3 else view["weights"][:, None, :]  # (T, R, D)
    lrs = view["lr"] if view["lr"].ndim == 2 else view["lr"][:, None]  # (T, R)
    last = int(epochs[-1]) if len(epochs) else 0
    if last == 0:
        return Msg("core.steps.none")
    if spe > max_steps:
        return Msg("core.steps.too_many", steps=spe, most=max_steps)
    first = max(1, last - max_steps // spe + 1)  # the latest epochs that fit
    if cfg.optimizer != "sgd" and first > 1:
        return Msg("core.steps.stateful", optimizer=cfg.optimizer, most=max_steps)
    rows = {int(e): k for k, e in enumerate(epochs)}
    start = max(e for e in rows if e < first)  # epoch 0 is always kept
    if (first - start) * spe > max_steps or (cfg.shuffle and last * cfg.n_train > MAX_SHUFFLE_DRAWS):
        return Msg("core.steps.thinned")
    if any(e not in rows for e in range(start + 1, last + 1)) and lr_at is None:
        return Msg("core.steps.no_lrs")
    lr = np.stack([lrs[rows[e]] if e in rows else lr_at(e - 1) for e in range(start + 1, last + 1)])
    with np.errstate(all="ignore"):  # a run that diverged leaves the chart; its last finite epochs stay
        path = replay(cfg, data, weights[rows[start]], lr, start + 1)
    alive = view["diverged_epoch"] < 0 if "diverged_epoch" in view else np.ones(1, bool)
    end, engine = path[-1][alive], weights[-1][alive]
    if np.any(np.abs(end - engine) > 1e-9 * np.max(np.abs(engine), initial=1e-300)):
        return Msg("core.steps.missed")
    path = path[(first - 1 - start) * spe:]
    return StepPath(path, np.r_[first - 1, np.repeat(np.arange(first, last + 1), spe)], first, last)
