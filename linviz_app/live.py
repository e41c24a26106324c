"""One session's run as the dashboard drives it: start, pause, step, stop, change lr mid-run.

A plain object (no Streamlit) kept in the session: a script rerun interrupts the drawing loop at any
moment, and the next run picks the same object up and carries on. Its lock makes sure that an old
script thread still finishing an epoch and a new one never step the trainer at once.

The run's status changes only by the transitions of one table (`TRANSITIONS`):

    from      event          to        through
    any       start          running   start()             Train
    any       start_paused   paused    start(paused=True)  Step with no run to go on
    any       reset          idle      reset()             Reset
    running   pause          paused    pause()
    paused    resume         running   resume()
    running   stop           stopped   stop(); follow() when a change needs new data or a new model
    paused    stop           stopped   (the same)
    stopped   reopen         paused    reopen()            Step after Stop goes on
    running   step           running   step()              one epoch
    paused    step           paused    step()              one epoch (the Step button)
    running   finish         done      step() that trains the last epoch
    paused    finish         done      (the same)

Any other (status, event) pair is refused: the method does nothing. Locking rule: every transition (and
every epoch trained) happens under `LiveRun.lock`; reading `status` needs no lock (the live loop polls it).
An epoch is trained in slices (Trainer.advance) with the lock held per slice (SLICE_S), so a click (Stop, Pause)
waits at most one slice, however long an epoch is: a million samples of Adam take a minute an epoch.
A stopped run always has epochs left: a run that trains its last epoch is done, never stopped.
"""
import threading
import time
from dataclasses import fields
from enum import StrEnum

from linviz import RunConfig, Trainer
from linviz.checks import check_machine, memory_needed
from linviz.errors import ConfigError
from linviz.fields import BY_ATTR
from linviz.history import History
from linviz.memory import ledger
from linviz.report import outcome_targets
from linviz.say import Msg
from linviz.text import fmt_number

SLICE_S = 0.05  # the longest the run's lock is held at once: a click waits at most this long for a running epoch
STEP_INLINE_S = 0.3  # Step trains this long in its click; a longer epoch goes on in the live loop
LIVE_FIELDS = ("lr",)  # may change while a run goes on; anything else means new data or a new model


class Status(StrEnum):
    IDLE = "idle"        # no run yet, or Reset
    RUNNING = "running"  # the live loop trains it
    PAUSED = "paused"    # kept, trains one epoch per Step
    STOPPED = "stopped"  # ended early by Stop or by a change of data; kept on screen
    DONE = "done"        # trained its last epoch


class Event(StrEnum):
    START = "start"
    START_PAUSED = "start_paused"
    RESET = "reset"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    REOPEN = "reopen"
    STEP = "step"
    FINISH = "finish"


S, E = Status, Event
TRANSITIONS: dict[tuple[Status, Event], Status] = {
    **{(s, E.START): S.RUNNING for s in S},
    **{(s, E.START_PAUSED): S.PAUSED for s in S},
    **{(s, E.RESET): S.IDLE for s in S},
    (S.RUNNING, E.PAUSE): S.PAUSED,
    (S.PAUSED, E.RESUME): S.RUNNING,
    (S.RUNNING, E.STOP): S.STOPPED,
    (S.PAUSED, E.STOP): S.STOPPED,
    (S.STOPPED, E.REOPEN): S.PAUSED,
    (S.RUNNING, E.STEP): S.RUNNING,
    (S.PAUSED, E.STEP): S.PAUSED,
    (S.RUNNING, E.FINISH): S.DONE,
    (S.PAUSED, E.FINISH): S.DONE,
}
ACTIVE = (S.RUNNING, S.PAUSED)  # a run that goes on: Stop and Pause apply, settings changes are followed


def lr_text(cfg: RunConfig) -> str:
    """The learning rate(s) as a student would type them: 1e-5, or 1e-5, 3e-5 for a sweep."""
    return ", ".join(fmt_number(lr) for lr in cfg.lrs)


def listed(items: list) -> Msg | str:
    """Several names as one Msg, "a, b, c" (in Chinese "a、b、c"): said in the page's language where shown."""
    if len(items) <= 1:
        return items[0] if items else ""
    return Msg("page.live.list", first=items[0], rest=listed(items[1:]))


class LiveRun:
    """The session's one training: a single run, a sweep (several lrs side by side) or the lr ladder."""

    def __init__(self):
        self.lock = threading.Lock()
        self._status = Status.IDLE
        self._token = None  # this run's reservation in the process's memory ledger (linviz/memory.py)
        self.stepping = False  # Step pressed and its epoch not trained yet (a long one goes on in the live loop)
        self._clear()

    @property
    def status(self) -> Status:
        return self._status

    def _move(self, event: Event) -> bool:
        """Take `event`'s transition if the table allows it from the current status. The caller holds the lock.
        A Step under way (`stepping`) ends with any event but the epoch it trains."""
        to = TRANSITIONS.get((self._status, event))
        if to is not None:
            self._status = to
            if event != Event.STEP:
                self.stepping = False
        return to is not None

    def _clear(self) -> None:
        self.cfg: RunConfig | None = None     # what trains (the ladder: its sweep of lrs)
        self.source: RunConfig | None = None  # the page's settings it started from (the ladder: the user's lr)
        self.ladder: dict | None = None       # the ladder's record (threshold, regimes) when the ladder trains
        self.trainer: Trainer | None = None
        self.history: History | None = None
        self.best = None  # least-squares weights when the labels are noisy: where training should end
        self.reachable = None  # where training ends when the samples do not determine the weights
        self.notice = ""      # something the page should say once, e.g. why a run ended (a Msg: English as a str)

    @property
    def state(self):
        return self.trainer.state if self.trainer else None

    def reset(self) -> None:
        with self.lock:  # an old script thread may be inside step(): let it finish the epoch first
            self._move(Event.RESET)
            self._clear()

    def start(self, cfg: RunConfig, paused: bool = False, source: RunConfig | None = None,
              ladder: dict | None = None) -> None:
        """A new run of `cfg` (a sweep when it has several lrs), replacing the current one."""
        with self.lock:
            try:  # asked where every run starts: this machine (device, memory), then the process's memory ledger
                check_machine(cfg)
                token = ledger().reserve(memory_needed(cfg), value=cfg.n_samples, replacing=self._token)
            except ConfigError as e:  # others hold the memory (or it was taken since the sidebar's check): say so,
                self.notice = Msg("page.live.could_not_start", message=e.message)  # keep the run on screen
                return
            self._clear()  # the old run's memory goes before the new run's is allocated
            try:
                trainer = Trainer(cfg)
            except BaseException as e:  # taken in the moment between (or the allocation failed): the old run is
                ledger().release(token)  # gone, so the page starts again from idle, saying why
                self._move(Event.RESET)
                if not isinstance(e, ConfigError):
                    raise
                self.notice = Msg("page.live.could_not_start", message=e.message)
                return
            ledger().tie(token, trainer)  # the reservation ends with the trainer (replaced, reset, page closed)
            self._token = token
            self.cfg, self.trainer = cfg, trainer
            self.source, self.ladder = source or cfg, ladder
            self.best, self.reachable = outcome_targets(cfg, self.trainer.data)  # as the CLI's, by construction
            self.history = History(cfg.n_weights, runs=len(cfg.lrs) if cfg.is_sweep else 0)
            self.history.append(self.trainer.state)
            self._move(Event.START_PAUSED if paused else Event.START)
            self.notice = ""

    def reopen(self) -> None:
        """A stopped run goes on, paused: Step after Stop continues from the epoch Stop kept."""
        with self.lock:
            self._move(Event.REOPEN)

    def step(self) -> None:
        """One epoch (what is left of the one under way), in slices: the last one makes the run done."""
        self.stepping = self._status == Status.PAUSED
        while not self.advance(float("inf")) and self._status in ACTIVE:
            pass
        self.stepping = False

    def advance(self, seconds: float) -> bool:
        """Train the epoch under way for about `seconds`, or to its end: True when an epoch ended (its state is in
        the history). The lock is held for one slice (SLICE_S) at a time, so Stop, Pause or Reset from another
        script run wait at most that long, whatever the size of an epoch."""
        end = time.perf_counter() + seconds
        while True:
            with self.lock:
                paused_without_step = self._status == Status.PAUSED and not self.stepping
                if self.trainer is None or paused_without_step or not self._move(Event.STEP):
                    return False
                ended = self.trainer.advance(min(SLICE_S, max(0.0, end - time.perf_counter())))
                if ended:
                    self.history.append(self.trainer.state)
                    if self.trainer.done:
                        self._move(Event.FINISH)
            if ended or time.perf_counter() >= end:
                return ended

    def train_for(self, seconds: float) -> None:
        """Train epochs until `seconds` have passed, or the run ends."""
        end = time.perf_counter() + seconds
        while self._status == Status.RUNNING:
            self.advance(max(0.0, end - time.perf_counter()))
            if time.perf_counter() >= end:
                break

    def begin_step(self, seconds: float = STEP_INLINE_S) -> None:
        """The Step button: pause, then train to the end of the epoch under way. What `seconds` does not finish is
        left to the live loop (`stepping`), which draws between slices, so a click can still stop a long epoch."""
        self.pause()
        with self.lock:
            self.stepping = self._status == Status.PAUSED
        if self.stepping and self.advance(seconds):
            self.stepping = False

    @property
    def epoch_progress(self) -> float:
        """How far the epoch under way has got (0 to 1): for a long epoch's status line."""
        return self.trainer.in_epoch if self.trainer else 0.0

    def pause(self) -> None:
        with self.lock:
            self._move(Event.PAUSE)

    def resume(self) -> None:
        with self.lock:
            self._move(Event.RESUME)

    def stop(self) -> None:
        with self.lock:
            self._move(Event.STOP)

    def follow(self, cfg: RunConfig) -> None:
        """The settings changed while a run goes on: apply new lr values live; anything else (the number of
        lrs included) ends the run and says so. The ladder's lrs are its own: the lr field does not move them."""
        if self.source is None or self._status not in ACTIVE or cfg == self.source:
            return
        changed = [f.name for f in fields(cfg) if getattr(cfg, f.name) != getattr(self.source, f.name)]
        if self.ladder is not None:
            changed = [f for f in changed if f != "lr"]
        if not changed:
            return
        same_shape = cfg.is_sweep == self.cfg.is_sweep and len(cfg.lrs) == len(self.cfg.lrs)
        if set(changed) <= set(LIVE_FIELDS) and same_shape:
            with self.lock:
                self.trainer.set_lr(cfg.lr)
                self.cfg = self.source = self.trainer.cfg
            # with label noise where training settles moves with the lr: judge against the new lr's point
            self.best, self.reachable = outcome_targets(self.cfg, self.trainer.data)
            self.notice = Msg("page.live.lrs_changed" if cfg.is_sweep else "page.live.lr_changed",
                              label=BY_ATTR["lr"].label, lrs=lr_text(cfg),
                              epoch=self.trainer.epoch + (2 if self.trainer.in_epoch else 1))  # an epoch keeps its lr
            return
        names = [Msg(f"page.live.field.{f}") for f in changed if f != "lr" or same_shape]
        if not same_shape and "lr" in changed:
            counts = (len(self.cfg.lrs), len(cfg.lrs))
            names.append(Msg("page.live.lr_count", old=counts[0], new=counts[1]) if counts[0] != counts[1]
                         else Msg("page.live.lr_to_list"))
        with self.lock:
            if self._move(Event.STOP):  # the run may have finished meanwhile: then it stays done
                self.notice = Msg("page.live.changed_ladder" if self.ladder else "page.live.changed_run",
                                  names=listed(names), epoch=self.trainer.epoch)
