"""What training reports each epoch: a frozen TrainState for all runs at once, RunState for one of them.

The engine (engine.py) makes them; the CLI prints them, the history keeps them, the reports judge them. One
shape for every run: a single run is a sweep of one, so its per-run fields hold one entry each.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RunState:
    """One run of a TrainState as plain numbers: a single run's epoch (`state.run(0)`), or run r of a sweep."""

    epoch: int
    weights: np.ndarray        # (D,)
    loss: float
    last_loss: float | None    # None at epoch 0, before any step
    test_loss: float | None    # None without a test split
    lr: float
    grad_norm: float
    diverged_epoch: int | None  # the epoch the run blew up; None while it has not
    elapsed: float
    steps: int

    @property
    def diverged(self) -> bool:
        return self.diverged_epoch is not None


@dataclass(frozen=True)
class TrainState:
    """One epoch's outcome for R runs: R = 1, or one run per learning rate of a sweep. Every per-run field has
    one entry per run, whatever R is; `run(r)` gives run r as plain numbers (`state.run(0)` for a single run).

    Weights are in the units of the raw features, so they approach `true_weights` even when standardised.
    A diverged run keeps showing its last finite epoch; `diverged_epoch` says when it blew up."""

    epoch: int
    weights: np.ndarray        # (R, D)
    loss: np.ndarray           # (R,) mean squared error over the whole training set after the epoch
    last_loss: np.ndarray | None  # (R,) loss of the epoch's last step (the number the tutorial prints); None at epoch 0
    test_loss: np.ndarray | None  # (R,); None without a test split
    lr: np.ndarray             # (R,) learning rate this epoch used (after the schedule)
    grad_norm: np.ndarray      # (R,) |gradient of the training loss| at the new weights
    diverged_epoch: np.ndarray  # (R,) int: the epoch each run blew up, -1 while it has not
    elapsed: float             # seconds spent training so far (pauses not counted)
    steps: int                 # optimiser steps taken so far (per run)
    blowup_loss: np.ndarray | None = None  # (R,) the loss a run's blown epoch reached (inf where it was no number),
    # NaN while the run has not diverged: what the charts draw as the blow-up (the run goes on from the epoch before)

    @property
    def diverged(self) -> np.ndarray:
        """(R,) bool: which runs have diverged."""
        return self.diverged_epoch >= 0

    def run(self, r: int = 0) -> RunState:
        """Run r as plain numbers.

        >>> from linviz import RunConfig, train
        >>> s = next(train(RunConfig(lr=(1e-5, 2e-5))))
        >>> s.weights.shape, s.run(1).lr, s.run(1).diverged_epoch
        ((2, 4), 2e-05, None)
        """
        pick = lambda a: None if a is None else float(a[r])
        epoch = int(self.diverged_epoch[r])
        return RunState(epoch=self.epoch, weights=self.weights[r], loss=pick(self.loss), last_loss=pick(self.last_loss),
                        test_loss=pick(self.test_loss), lr=pick(self.lr), grad_norm=pick(self.grad_norm),
                        diverged_epoch=epoch if epoch >= 0 else None, elapsed=self.elapsed, steps=self.steps)
