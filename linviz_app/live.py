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
from linviz.analysis import least_squares, reachable_solution
from linviz.config import fmt_number
from linviz.fields import BY_ATTR
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


def lr_text(cfg: RunConfig) -> str:
    """The learning rate(s) as a student would type them: 1e-5, or 1e-5, 3e-5 for a sweep."""
    return ", ".join(fmt_number(lr) for lr in cfg.lrs)


class LiveRun:
    """The session's one training: a single run, a sweep (several lrs side by side) or the lr ladder."""

    def __init__(self):
        self.lock = threading.Lock()
        self._clear()

    def reset(self) -> None:
        with self.lock:  # an old script thread may be inside step(): let it finish the epoch first
            self._clear()

    def _clear(self) -> None:
        self.cfg: RunConfig | None = None     # what trains (the ladder: its sweep of lrs)
        self.source: RunConfig | None = None  # the page's settings it started from (the ladder: the user's lr)
        self.ladder: dict | None = None       # the ladder's record (threshold, regimes) when the ladder trains
        self.trainer: Trainer | None = None
        self.history: History | None = None
        self.best = None  # least-squares weights when the labels are noisy: where training should end
        self.reachable = None  # where training ends when the samples do not determine the weights
        self.status = "idle"  # idle, running, paused, stopped, done
        self.notice = ""      # something the page should say once, e.g. why a run ended

    @property
    def state(self):
        return self.trainer.state if self.trainer else None

    def start(self, cfg: RunConfig, paused: bool = False, source: RunConfig | None = None,
              ladder: dict | None = None) -> None:
        """A new run of `cfg` (a sweep when it has several lrs), replacing the current one."""
        with self.lock:
            self.cfg, self.trainer = cfg, Trainer(cfg)
            self.source, self.ladder = source or cfg, ladder
            self.best = least_squares(self.trainer.data) if cfg.noise_std > 0 else None
            self.reachable = reachable_solution(cfg, self.trainer.data)
            self.history = History(cfg.n_weights, runs=len(cfg.lrs) if cfg.is_sweep else 0)
            self.history.append(self.trainer.state)
            self.status, self.notice = ("paused" if paused else "running"), ""

    def reopen(self) -> None:
        """A stopped run goes on, paused: Step after Stop continues from the epoch Stop kept."""
        with self.lock:
            if self.status == "stopped" and self.trainer is not None and not self.trainer.done:
                self.status = "paused"

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
        """The settings changed while a run goes on: apply new lr values live; anything else (the number of
        lrs included) ends the run and says so. The ladder's lrs are its own: the lr field does not move them."""
        if self.source is None or self.status not in ("running", "paused") or cfg == self.source:
            return
        changed = [f.name for f in fields(cfg) if f.init and getattr(cfg, f.name) != getattr(self.source, f.name)]
        if self.ladder is not None:
            changed = [f for f in changed if f != "lr"]
        if not changed:
            return
        same_shape = cfg.is_sweep == self.cfg.is_sweep and len(cfg.lrs) == len(self.cfg.lrs)
        if set(changed) <= set(LIVE_FIELDS) and same_shape:
            with self.lock:
                self.trainer.set_lr(cfg.lr)
                self.cfg = self.source = self.trainer.cfg
            rates = "Learning rates" if cfg.is_sweep else "Learning rate"
            self.notice = f"{rates} changed to {lr_text(cfg)} from epoch {self.trainer.epoch + 1} on."
            return
        names = [BY_ATTR[f].label.lower() for f in changed if f != "lr" or same_shape]
        if not same_shape and "lr" in changed:
            counts = (len(self.cfg.lrs), len(cfg.lrs))
            names.append(f"the number of learning rates ({counts[0]} to {counts[1]})" if counts[0] != counts[1]
                         else "the learning rate from one value to a list")
        self.status = "stopped"
        self.notice = (f"You changed {', '.join(names)}: that needs new data or a new model, so the "
                       f"{'ladder' if self.ladder else 'run'} ended at epoch {self.trainer.epoch}. "
                       "Press Train to start again.")
