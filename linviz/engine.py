"""Training: the tutorial's updates without autograd's per-step overhead, one frozen TrainState per epoch.

The updates (updates.py) do what autograd + torch.optim would; tests/test_fidelity.py checks them against
the literal loop in tutorial.py. R runs (an lr sweep) share one (R, D) weight and train in one pass.
"""
import time
from dataclasses import dataclass

import numpy as np
import torch

from . import updates
from .checks import check_machine
from .config import RunConfig
from .data import Dataset, make_dataset
from .devices import resolve_device
from .model import LinearModel, initial_weights
from .state import TrainState

SLICE_WORK = 2**22  # sample x weight x run products a slice aims at (a few ms); one batch is never cut
DIVERGE_FACTOR = 1e10  # a run whose loss grows this much above its start (or is not finite) has diverged


@dataclass
class _Cursor:
    """An epoch under way: its plan (this epoch's order), its lr, and how many of its slices are trained."""

    plan: object
    lr: np.ndarray        # (R,) the epoch's lr, as reported
    lr_t: torch.Tensor    # (R, 1) the same, 0 for frozen runs
    units: int            # slices in the epoch
    steps: int            # optimiser steps in the epoch
    per_slice: int        # units trained between two looks at the clock
    unit: int = 0
    last: torch.Tensor | None = None  # the last slice's last-batch residuals


class Trainer:
    """Holds one training run (or sweep) and advances it an epoch at a time.

    `train()` wraps it as a generator; the dashboard drives it directly to pause, step and change lr.
    A run starts here, so here the machine is asked whether it can run cfg (checks.check_machine: its device,
    its memory), once per run; a ConfigError names the field when it cannot. The page and the CLI ask the same
    question earlier, to name the field before anyone presses Train."""

    SGD_SLICE = 16  # chunks a slice at most (~2k samples, under a ms): a look at the clock per chunk cost 20 %

    @property
    def _width(self) -> int:
        """Multiply-adds per sample of a step: weights x runs."""
        return self.cfg.n_weights * len(self.cfg.lrs)

    def __init__(self, cfg: RunConfig, data: Dataset | None = None):
        check_machine(cfg)
        self.cfg = cfg
        self.data = data if data is not None else make_dataset(cfg)
        dev = self.device = resolve_device(cfg.device)
        dtype = torch.float32 if dev.type == "mps" else torch.float64  # MPS has no float64
        tensor = lambda a: None if a is None else torch.as_tensor(a, dtype=dtype, device=dev)
        self.X, self.y = tensor(self.data.X), tensor(self.data.y)  # (N, D), (N,)
        self.X_test, self.y_test = tensor(self.data.X_test), tensor(self.data.y_test)
        runs = len(cfg.lrs)
        self.model = LinearModel(initial_weights(cfg.n_weights, cfg.seed).to(dtype), runs).to(dev)
        self._buffers = [torch.zeros_like(self.model.weight) for _ in range(2)]  # momentum / Adam moments
        self._shuffler = np.random.default_rng([cfg.seed, 1])
        self._plan = None if cfg.shuffle else self._prepare(self.X, self.y)
        self._cursor: _Cursor | None = None  # the epoch being trained, between slices (advance)
        self.diverged_epoch = np.full(runs, -1)  # -1 while a run has not diverged
        self.blowup_loss = np.full(runs, np.nan)  # the loss a run's blown epoch reached (shown, not trained from)
        self.epoch = self.steps = 0
        self.elapsed = 0.0
        loss, grad_norm, test_loss = self._evaluate()
        self._limit = DIVERGE_FACTOR * np.maximum(loss, 1.0)
        self._last_good_w = self.model.weight.detach().clone()  # what a run that blows up goes back to
        # what each run last reported; a frozen run keeps reporting it. A run frozen in its first epoch reports
        # its initial loss as its last step's.
        self._shown = {"loss": loss, "last_loss": loss, "grad_norm": grad_norm, "test_loss": test_loss}
        self.state = self._state(self.lr_at(0))

    @property
    def frozen(self) -> np.ndarray:
        """(R,) bool: diverged runs stop updating, at their last finite weights."""
        return self.diverged_epoch >= 0

    @property
    def done(self) -> bool:
        return self.epoch >= self.cfg.epochs or bool(self.frozen.all())

    def lr_at(self, epoch: int) -> np.ndarray:
        """Each run's learning rate for the epoch after `epoch` completed ones, with the schedule applied."""
        c = self.cfg
        factor = {"constant": 1.0, "step": c.gamma ** (epoch // c.step_size),
                  "exp": c.gamma ** (epoch / c.step_size)}[c.schedule]
        return np.asarray(c.lrs) * factor

    def set_lr(self, lr) -> None:
        """Change the base learning rate(s) from the next epoch on; progress is kept. Validated like a RunConfig."""
        cfg = self.cfg.replace(lr=lr)
        if len(cfg.lrs) != len(self.frozen):
            raise ValueError(f"this run has {len(self.frozen)} learning rates; got {len(cfg.lrs)}")
        self.cfg = cfg

    @property
    def in_epoch(self) -> float:
        """How far the epoch being trained has got (0 to 1); 0 between epochs."""
        c = self._cursor
        return 0.0 if c is None else c.unit / c.units

    def step(self) -> TrainState:
        """Train one epoch (what is left of one, if advance() began it) and return its state (the last state
        again once done)."""
        while not self.done and not self.advance():
            pass
        return self.state

    def advance(self, seconds: float = float("inf")) -> bool:
        """Train the current epoch for about `seconds` (at least one slice: up to SLICE_WORK sample x weight x run
        products, a few ms, in whole batches: a single batch of a million samples is one slice), or to its end. True when an epoch ended (then `state` is the new epoch's).

        A long epoch (a million samples of Adam: a minute) is trained in slices, so that a caller can let go of the
        run between them (Stop, Pause, a closed page act within a slice). The lr of an epoch is the one it began
        with: a change applies from the next epoch. The weights between slices are mid-epoch: `state` stays the
        last whole epoch's until the epoch ends."""
        if self.done:
            return True
        t0 = time.perf_counter()
        if self._cursor is None:
            self._cursor = self._begin_epoch()
        c = self._cursor
        with torch.no_grad():
            while c.unit < c.units:
                stop = min(c.units, c.unit + c.per_slice)
                c.last = self._slice(c, stop)
                c.unit = stop
                if time.perf_counter() - t0 >= seconds:
                    break
        if c.unit < c.units:
            self.elapsed += time.perf_counter() - t0
            return False
        self._cursor = None
        self.epoch += 1
        self.steps += c.steps
        loss, grad_norm, test_loss = self._evaluate()
        self._check_divergence(loss)
        self.elapsed += time.perf_counter() - t0
        self._show(loss=loss, last_loss=c.last.square().mean(1).cpu().numpy(), grad_norm=grad_norm,
                   test_loss=test_loss)
        self.state = self._state(c.lr)
        return True

    def _begin_epoch(self) -> "_Cursor":
        lr = self.lr_at(self.epoch)
        plan = self._plan or self._shuffled()
        W = self.model.weight
        lr_t = torch.tensor(np.where(self.frozen, 0.0, lr)[:, None], dtype=W.dtype, device=self.device)  # (R, 1)
        if self.cfg.optimizer == "sgd":  # as many chunks as fit SLICE_WORK (one, if one batch is bigger)
            k = len(plan.chunks[0].coef[0]) if plan.chunks else 1
            per_slice = max(1, min(self.SGD_SLICE, SLICE_WORK // (k * self._width)))
            units, steps = len(plan.chunks), -(-len(self.y) // self.cfg.batch_size)
        else:
            units, steps, per_slice = -(-len(plan) // plan.block_steps), len(plan), 1
        return _Cursor(plan, lr, lr_t, units, steps, per_slice)

    def _prepare(self, X, y):
        """Precompute what the optimiser's epoch walks through, for this order of the samples."""
        if self.cfg.optimizer == "sgd":
            return updates.SgdChunks(X, y, self.cfg.batch_size)
        size = self.cfg.batch_size
        return updates.Batches(X, y, size, block=max(1, SLICE_WORK // (size * self._width)))

    def _shuffled(self):
        order = torch.as_tensor(self._shuffler.permutation(len(self.y)), device=self.device)
        return self._prepare(self.X[order], self.y[order])

    def _slice(self, c: "_Cursor", stop: int) -> torch.Tensor:
        """One slice of the epoch: chunks c.unit..stop-1 of plain SGD, or blocks c.unit..stop-1 of momentum / Adam
        steps. Returns the residuals of its last batch (R, B)."""
        W, lr = self.model.weight, c.lr_t
        if self.cfg.optimizer == "sgd":
            return updates.sgd(W, c.plan, lr, c.unit, stop)
        block = c.plan.block_steps
        steps = c.plan.block(c.unit * block, stop * block)
        if self.cfg.optimizer == "momentum":
            return updates.momentum(W, steps, lr, self._buffers[0], self.cfg.momentum)
        return updates.adam(W, steps, lr, *self._buffers, self.steps + c.unit * block)

    def _evaluate(self):
        """Training loss, gradient norm and test loss of every run at the current weights (numpy, (R,))."""
        with torch.no_grad():
            W = self.model.weight
            E = torch.addmm(-self.y[None, :], W, self.X.T)  # (R, N)
            loss = E.square().mean(1)
            grad_norm = torch.linalg.vector_norm(torch.mm(E, self.X), dim=1) * (2.0 / len(self.y))
            test = None
            if self.X_test is not None:
                test = (torch.addmm(-self.y_test[None, :], W, self.X_test.T)).square().mean(1).cpu().numpy()
            return loss.cpu().numpy(), grad_norm.cpu().numpy(), test

    def _check_divergence(self, loss):
        """Freeze runs whose loss is not finite or exploded: back to their last finite weights, lr 0 from now."""
        W = self.model.weight
        bad = ~np.isfinite(loss) | (loss > self._limit) | ~torch.isfinite(W).all(1).cpu().numpy()
        new = bad & ~self.frozen
        if new.any():
            rows = torch.as_tensor(new, device=self.device)
            with torch.no_grad():
                W[rows] = self._last_good_w[rows]
                for buf in self._buffers:
                    buf[rows] = 0.0
            self.diverged_epoch[new] = self.epoch
            self.blowup_loss[new] = np.where(np.isfinite(loss[new]), loss[new], np.inf)
        self._last_good_w = W.detach().clone()

    def _show(self, **fresh) -> None:
        """What each run reports from now on: its fresh values, or a frozen run's last finite ones (no NaN leaves)."""
        frozen = self.frozen
        self._shown = {k: None if v is None else np.where(frozen, self._shown[k], v) for k, v in fresh.items()}

    def _state(self, lr: np.ndarray) -> TrainState:
        shown = self._shown
        W = self.data.to_original(self.model.weight.detach().cpu().numpy().astype(np.float64))
        return TrainState(epoch=self.epoch, weights=W, loss=shown["loss"],
                          last_loss=shown["last_loss"] if self.epoch else None, test_loss=shown["test_loss"], lr=lr,
                          grad_norm=shown["grad_norm"], diverged_epoch=self.diverged_epoch.copy(),
                          elapsed=self.elapsed, steps=self.steps, blowup_loss=self.blowup_loss.copy())


def train(cfg: RunConfig, data: Dataset | None = None):
    """Yield a TrainState for epoch 0 (the initial weights), then one per epoch up to cfg.epochs.

    Stops early once every run has diverged.

    >>> states = list(train(RunConfig(epochs=3)))
    >>> [s.epoch for s in states], states[0].last_loss is None
    ([0, 1, 2, 3], True)
    """
    trainer = Trainer(cfg, data)
    yield trainer.state
    while not trainer.done:
        yield trainer.step()
