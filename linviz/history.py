"""A run's per-epoch numbers in NumPy arrays, bounded however long the run goes.

When full, every other old epoch is dropped and only every 2nd (then 4th, ...) new one is kept, so a
million-epoch run still costs `capacity` rows. The latest state is always kept exactly.
"""
import threading

import numpy as np

from .engine import TrainState

COLUMNS = ("epoch", "loss", "last_loss", "test_loss", "lr", "elapsed")


class History:
    """Rows of one run (single lr): scalar columns plus weights (T, D)."""

    def __init__(self, n_weights: int, capacity: int = 2000):
        self.capacity, self.stride, self.n = capacity, 1, 0
        self._cols = np.full((capacity, len(COLUMNS)), np.nan)
        self._w = np.full((capacity, n_weights), np.nan)
        self.last: TrainState | None = None
        self.lock = threading.Lock()  # a download may read while the training loop appends

    def append(self, s: TrainState) -> None:
        with self.lock:
            self.last = s
            if s.epoch % self.stride or s.diverged:  # a diverged state repeats the last finite epoch: no new row
                return
            if self.n == self.capacity:
                keep = np.arange(0, self.capacity, 2)
                self.n = len(keep)
                self._cols[: self.n], self._w[: self.n] = self._cols[keep], self._w[keep]
                self.stride *= 2
                if s.epoch % self.stride:
                    return
            self._cols[self.n] = [s.epoch, s.loss, _nan(s.last_loss), _nan(s.test_loss), s.lr, s.elapsed]
            self._w[self.n] = s.weights
            self.n += 1

    def view(self) -> dict:
        """Copies of every column ('weights' is (T, D)), the latest state included."""
        with self.lock:
            cols, w = self._cols[: self.n].copy(), self._w[: self.n].copy()
            s = self.last
        if s is not None and not s.diverged and (len(cols) == 0 or cols[-1, 0] != s.epoch):
            row = [s.epoch, s.loss, _nan(s.last_loss), _nan(s.test_loss), s.lr, s.elapsed]
            cols, w = np.vstack([cols, row]), np.vstack([w, s.weights])
        out = {name: cols[:, i] for i, name in enumerate(COLUMNS)}
        out["weights"] = w
        return out


def _nan(v):
    return np.nan if v is None else v
