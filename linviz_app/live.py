"""One session's run as the dashboard drives it: start, pause, step, stop, change lr mid-run.

A plain object (no Streamlit) kept in the session: a script rerun interrupts the drawing loop at any
moment, and the next run picks the same object up and carries on. Its lock makes sure that an old
script thread still finishing an epoch and a new one never step the trainer at once.
"""
import os
import threading
import time
from dataclasses import fields

from linviz import RunConfig, Trainer
from linviz.analysis import least_squares
from linviz.config import fmt_number
from linviz.errors import LABELS
from linviz.history import History

LIVE_FIELDS = ("lr",)  # may change while a run goes on; anything else means new data or a new model


class Slots:
    """A cap on trainings running at once in this server process (every session shares its CPU cores).

    A session's live loop holds a slot while it trains; beyond the cap the page says it is waiting."""

    def __init__(self, limit: int):
        self.limit, self.busy = limit, 0
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            if self.busy >= self.limit:
                return False
            self.busy += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.busy -= 1


# Two per core: a paced lecture run mostly sleeps; flat-out runs beyond this would only slow each other down.
SLOTS = Slots(int(os.environ.get("LINVIZ_MAX_TRAININGS", "0")) or 2 * (os.cpu_count() or 1))


class LiveRun:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.cfg: RunConfig | None = None
        self.trainer: Trainer | None = None
        self.history: History | None = None
        self.best = None  # least-squares weights when the labels are noisy: where training should end
        self.status = "idle"  # idle, running, paused, stopped, done
        self.notice = ""      # something the page should say once, e.g. why a run ended

    @property
    def state(self):
        return self.trainer.state if self.trainer else None

    def start(self, cfg: RunConfig, paused: bool = False) -> None:
        with self.lock:
            self.cfg, self.trainer = cfg, Trainer(cfg)
            self.best = least_squares(self.trainer.data) if cfg.noise_std > 0 else None
            self.history = History(cfg.n_weights)
            self.history.append(self.trainer.state)
            self.status, self.notice = ("paused" if paused else "running"), ""

    def step(self) -> None:
        """One epoch (the Step button, or one tick of the live loop)."""
        with self.lock:
            if self.trainer is None or self.status in ("stopped", "done"):
                return
            self.history.append(self.trainer.step())
            if self.trainer.done:
                self.status = "done"

    def train_for(self, seconds: float) -> None:
        """Train epochs until `seconds` have passed, or the run ends."""
        end = time.perf_counter() + seconds
        while self.status == "running":
            self.step()
            if time.perf_counter() >= end:
                break

    def pause(self) -> None:
        if self.status == "running":
            self.status = "paused"

    def resume(self) -> None:
        if self.status == "paused":
            self.status = "running"

    def stop(self) -> None:
        if self.status in ("running", "paused"):
            self.status = "stopped"

    def follow(self, cfg: RunConfig) -> None:
        """The settings changed while a run exists: apply lr live; anything else ends the run and says so."""
        if self.cfg is None or cfg == self.cfg:
            return
        changed = [f.name for f in fields(cfg) if f.init and getattr(cfg, f.name) != getattr(self.cfg, f.name)]
        if self.status in ("running", "paused") and set(changed) <= set(LIVE_FIELDS):
            with self.lock:
                self.trainer.set_lr(cfg.lr)
                self.cfg = self.trainer.cfg
            self.notice = f"Learning rate changed to {fmt_number(cfg.lr)} from epoch {self.trainer.epoch + 1} on."
            return
        if self.status in ("running", "paused"):
            self.status = "stopped"
            names = ", ".join(LABELS[f][0].lower() for f in changed)
            self.notice = (f"You changed {names}: that needs new data or a new model, so the run "
                           f"ended at epoch {self.trainer.epoch}. Press Train to start again.")
