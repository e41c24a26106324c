"""The server's memory, counted for the whole process: a ledger of what its sessions hold and were promised.

Every student's page lives in one server process. A setting that fits the machine alone (checks.check_machine)
may not fit beside what the others already hold: two links of 10M samples each passed a per-session check and the
second became `Unable to allocate 2.24 GiB`. So before anything large is allocated (a run's data and engine, an
analysis of the data) the amount it needs (checks.memory_needed, checks.analysis_needed: estimates that the
benchmark benchmarks/bench_memory.py shows are never below what is measured) is reserved here, against one budget
for the process: LINVIZ_MEMORY_MB, or half of the memory the machine had available when the ledger opened.
A reservation is refused when what the process uses already (the larger of what is reserved and what its
resident memory grew by since the ledger opened) plus the new amount would pass the budget; the refusal is a
ConfigError naming the field, in words.

A reservation ends with the object that holds the memory (a Trainer, an analysis' data): when it is garbage
collected, or at once with `release`. Memory freed by Python stays with the C allocator unless given back:
while anything is reserved, a janitor thread calls its `tidy_hooks` (the page's drops the sessions of pages
closed longer ago than Streamlit keeps them, which Streamlit itself only does when another page connects),
collects cycles and calls glibc's malloc_trim, so the process shrinks back and later students are not refused
for memory nobody holds.
"""
import gc
import logging
import threading
import time
import weakref
from collections import deque
from itertools import count

from .env import MEMORY_MB, EnvError
from .errors import ConfigError
from .fields import BY_ATTR
from .machine import available_memory, rss, trim
from .say import Msg

JANITOR_S = 10.0  # while anything is reserved, cycles are collected this often (a closed page's run is freed)
TRIM_DELAY_S = 0.5  # after a reservation ends, the allocator gives memory back this much later (its owner is gone)
GiB = 2**30
log = logging.getLogger("linviz.memory")


def default_budget() -> int:
    """LINVIZ_MEMORY_MB, else half of what the machine has available now (a bad value: the default; the page and
    `serve` name it)."""
    try:
        mb = MEMORY_MB.read()
    except EnvError:
        mb = None
    return int(mb * 2**20) if mb else available_memory() // 2


class Ledger:
    """What one process's sessions hold or were promised, against one budget (bytes).

    Locking: `_lock` guards `_held`. An owner's finalizer may run in any thread, at any allocation (a garbage
    collection that frees a closed page's run can start inside `reserve`, which holds the lock), so it never takes
    the lock: it only queues its token (`_ended`), and whoever holds the lock next drains the queue."""

    def __init__(self, budget: int | None = None):
        self.budget = default_budget() if budget is None else budget
        self.base = rss()  # the process before any session's data: interpreter, torch, Streamlit
        self._held: dict[int, int] = {}
        self._ended: deque[int] = deque()  # tokens whose owners were collected, not yet taken off `_held`
        self._ids = count(1)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._janitor: threading.Thread | None = None
        self.tidy_hooks: list = []  # called by the janitor before it collects (the page: drop expired sessions)

    def _drain(self) -> None:
        """Take the collected owners' reservations off the books. The caller holds the lock."""
        while self._ended:
            self._held.pop(self._ended.popleft(), None)

    @property
    def held(self) -> int:
        with self._lock:
            self._drain()
            return sum(self._held.values())

    def in_use(self) -> int:
        """What the process uses for sessions now: the larger of what is reserved and how much it grew."""
        return max(self.held, rss() - self.base)

    def reserve(self, need: int, owner=None, field: str = "n_samples", value=None, replacing: int | None = None) -> int:
        """Reserve `need` bytes, or raise ConfigError naming `field` (whose setting is `value`) when they do not fit
        beside what the process uses. The reservation ends when `owner` is garbage collected (if given) or at
        `release(token)`. `replacing`: a reservation whose memory goes before this one's is allocated (a run
        replacing a run)."""
        grown = rss() - self.base
        with self._lock:
            self._drain()
            mine = self._held.get(replacing, 0) if replacing else 0
            use = max(sum(self._held.values()), grown) - mine
            fits = use + need <= self.budget
            if fits:
                token = next(self._ids)
                self._held[token] = need
        if not fits:
            raise ConfigError(field, value, Msg("core.memory.full", need=need / GiB, use=max(use, 0) / GiB,
                                               budget=self.budget / GiB),
                              label=BY_ATTR[field].name, fields=(field,))
        if owner is not None:
            self.tie(token, owner)
        self._start_janitor()
        return token

    def tie(self, token: int, owner) -> None:
        """End reservation `token` when `owner` is garbage collected."""
        weakref.finalize(owner, self._owner_gone, token)

    def _owner_gone(self, token: int) -> None:
        """An owner's finalizer: no lock here (see the class), just the queue and the janitor's bell."""
        self._ended.append(token)
        self._wake.set()

    def release(self, token: int | None) -> None:
        """End a reservation (again: nothing); the allocator gives the memory back shortly after."""
        if token:
            self._owner_gone(token)

    def _start_janitor(self) -> None:
        with self._lock:
            if self._janitor is None:
                self._janitor = threading.Thread(target=self._tidy, name="linviz-memory-janitor", daemon=True)
                self._janitor.start()

    def _tidy(self) -> None:
        """Forever: shortly after a release, trim; every JANITOR_S while anything is held, drop what Streamlit no
        longer keeps (tidy_hooks), collect cycles (a closed page's run), and trim if anything was collected. A full
        collection holds the interpreter for ~0.1 s: it runs on the timer only, never per release."""
        while True:
            released = self._wake.wait(JANITOR_S)
            self._wake.clear()
            if released:
                time.sleep(TRIM_DELAY_S)  # the owner's own memory is freed just after its finalizer ran
                trim()
                continue
            if not self.held:
                continue
            for hook in list(self.tidy_hooks):
                try:
                    hook()
                except Exception:  # a hook's failure must not stop the janitor
                    log.exception("memory janitor: a tidy hook failed")
            if gc.collect():
                time.sleep(TRIM_DELAY_S)
                trim()


_ledger: Ledger | None = None
_ledger_lock = threading.Lock()


def ledger() -> Ledger:
    """The process's ledger, opened at first use (in the server: after preload, before any session's data)."""
    global _ledger
    with _ledger_lock:
        if _ledger is None:
            _ledger = Ledger()
        return _ledger
