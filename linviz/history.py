"""A run's per-epoch numbers in NumPy arrays, bounded however long the run goes.

When full, every other old epoch is dropped and only every 2nd (then 4th, ...) new one is kept, so a
million-epoch run still costs `capacity` rows. The latest state is always kept exactly.

A single run's view has columns (T,) and weights (T, D). A sweep (R learning rates) has epoch and
elapsed (T,), per-run columns loss, last_loss, test_loss, lr (T, R), weights (T, R, D) and
diverged_epoch (R,) (-1 where a run has not diverged). A run that diverged at epoch k keeps repeating its
last finite values from epoch k on: `alive(view)` says which (epoch, run) cells are real. A single run's view has
diverged_at instead: the epoch it blew up in, -1 while it has not. Both have blowup_loss ((R,), or a number): the
loss the blown epoch reached (inf where it was no number), NaN while a run has not diverged.

The state of the epoch in which the last run blew up only repeats the epoch before (the engine keeps the last
finite weights), so it gets no row of its own; the epoch before always has one, whatever the stride.
"""
import threading

import numpy as np

from .state import TrainState

COLUMNS = ("epoch", "loss", "last_loss", "test_loss", "lr", "elapsed")
PER_RUN = ("loss", "last_loss", "test_loss", "lr")  # one value per run in a sweep
ROWS = (*COLUMNS, "weights")  # the view's keys with one entry per recorded epoch
MAX_BYTES = 32 * 2**20  # a session's history stays under this unless even MIN_ROWS rows exceed it
MIN_ROWS = 8


def rows_for(n_weights: int, runs: int, capacity: int = 2000) -> int:
    """Rows a History keeps: `capacity`, fewer for sweeps too big for MAX_BYTES (never under MIN_ROWS)."""
    per_row = 8 * (2 + max(runs, 1) * (len(PER_RUN) + n_weights))
    return int(min(capacity, max(MIN_ROWS, MAX_BYTES // per_row)))


class History:
    """Rows of one run (`runs=0`: scalar columns) or of a sweep of `runs` learning rates."""

    def __init__(self, n_weights: int, capacity: int = 2000, runs: int = 0):
        self.runs, self.stride, self.n = runs, 1, 0
        self.capacity = capacity = rows_for(n_weights, runs, capacity)
        width = max(runs, 1)
        self._t = np.full((capacity, 2), np.nan)  # epoch, elapsed
        self._r = np.full((capacity, len(PER_RUN), width), np.nan)
        self._w = np.full((capacity, width, n_weights), np.nan)
        self.last: TrainState | None = None
        self.lock = threading.Lock()  # a download may read while the training loop appends

    def append(self, s: TrainState) -> None:
        with self.lock:
            prev, self.last = self.last, s
            if np.all(s.diverged):  # it repeats the last finite epoch: that one's row is kept, even between strides
                if prev is not None and not np.all(prev.diverged) and (self.n == 0 or self._t[self.n - 1, 0] != prev.epoch):
                    self._put(prev, always=True)
                return
            if s.epoch % self.stride == 0:
                self._put(s)

    def _put(self, s: TrainState, always: bool = False) -> None:
        """A row for `s`; when full, every other old row goes and the stride doubles (then `s` is kept only on the
        new stride, or `always`)."""
        if self.n == self.capacity:
            keep = np.arange(0, self.capacity, 2)
            self.n = len(keep)
            for a in (self._t, self._r, self._w):
                a[: self.n] = a[keep]
            self.stride *= 2
            if s.epoch % self.stride and not always:
                return
        self._t[self.n], self._r[self.n], self._w[self.n] = _row(s)
        self.n += 1

    def view(self) -> dict:
        """Copies of every column, the latest state included (shapes: see the module docstring)."""
        with self.lock:
            t, r, w, s = self._t[: self.n].copy(), self._r[: self.n].copy(), self._w[: self.n].copy(), self.last
        if s is not None and not np.all(s.diverged) and (len(t) == 0 or t[-1, 0] != s.epoch):
            t1, r1, w1 = _row(s)
            t, r, w = np.vstack([t, [t1]]), np.concatenate([r, r1[None]]), np.concatenate([w, w1[None]])
        out = {"epoch": t[:, 0], "elapsed": t[:, 1]}
        if self.runs:
            out |= {name: r[:, i] for i, name in enumerate(PER_RUN)}
            out["weights"] = w
            out["diverged_epoch"] = np.full(self.runs, -1) if s is None else s.diverged_epoch.copy()
            out["blowup_loss"] = _blowup(s, self.runs)
        else:
            out |= {name: r[:, i, 0] for i, name in enumerate(PER_RUN)}
            out["weights"] = w[:, 0]
            out["diverged_at"] = -1 if s is None else int(s.diverged_epoch[0])
            out["blowup_loss"] = float(_blowup(s, 1)[0])
        return {k: out[k] for k in (*ROWS, "diverged_epoch", "diverged_at", "blowup_loss") if k in out}


def _blowup(s: TrainState | None, runs: int) -> np.ndarray:
    """(R,) the loss each run's blown epoch reached; NaN where it has not diverged."""
    return np.full(max(runs, 1), np.nan) if s is None or s.blowup_loss is None else s.blowup_loss.copy()


def alive(v: dict) -> np.ndarray:
    """(T, R): True where run r had not diverged by the row's epoch (a sweep's view)."""
    de = v["diverged_epoch"]
    return (de < 0)[None, :] | (v["epoch"][:, None] < de[None, :])


def _row(s: TrainState):
    """(epoch, elapsed), per-run columns (4, R), weights (R, D) of one state; NaN for a column it lacks."""
    absent = np.full(len(s.loss), np.nan)
    return [s.epoch, s.elapsed], np.stack([absent if getattr(s, c) is None else getattr(s, c) for c in PER_RUN]), s.weights
