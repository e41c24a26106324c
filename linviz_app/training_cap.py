"""The server's cap on trainings running at once: every session shares the same CPU cores.

A session's live loop (dashboard.run_live) holds one place while it trains; beyond the cap it waits in line, first
come first served: its page says how many students are ahead of it, and it starts as soon as its turn comes and a
place is free. A waiting session that stops waiting (Stop, Reset, a closed tab) leaves the line; one that is no
longer heard of (it asks again every fraction of a second while it waits) is dropped after STALE_S.
"""
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from linviz import env
from linviz.say import Msg

STALE_S = 15.0  # a ticket not renewed this long belongs to a session that has gone: its place is given up


class TrainingCap:
    """At most `limit` trainings at once in this server process; `busy` of them train now; the others wait in a
    first-come-first-served line of tickets (any hashable: the dashboard uses the session's LiveRun)."""

    def __init__(self, limit: int, clock=time.monotonic):
        self.limit, self.busy = limit, 0
        self._lock = threading.Lock()
        self._line: OrderedDict[Hashable, float] = OrderedDict()  # ticket -> when it last asked, in arrival order
        self._kept: dict[Hashable, float] = {}  # ticket -> when: a training's place kept through a click's rerun
        self._clock = clock

    def try_acquire(self, ticket: Hashable | None = None) -> bool:
        """Take a place if one is free and it is `ticket`'s turn (None: no line, any free place). A ticket that
        does not get one joins the line (or keeps its place) and must ask again."""
        with self._lock:
            if ticket is None:
                if self.busy >= self.limit:
                    return False
                self.busy += 1
                return True
            now = self._clock()
            self._drop_stale(now)
            if self._kept.pop(ticket, None) is not None:  # its training goes on after a click: same place
                return True
            self._line[ticket] = now  # joins at the end, or keeps its place
            free = self.limit - self.busy
            if free > 0 and self._index(ticket) < free:  # among the first `free` in line
                del self._line[ticket]
                self.busy += 1
                return True
            return False

    def ahead(self, ticket: Hashable) -> int:
        """How many waiting tickets are before `ticket` in line (all of them if it is not in line)."""
        with self._lock:
            return self._index(ticket) if ticket in self._line else len(self._line)

    def waiting(self) -> int:
        with self._lock:
            return len(self._line)

    def leave(self, ticket: Hashable) -> None:
        """`ticket` stops waiting, or stops training after a click (Stop, Pause, Reset) or a closed tab: the ones
        behind move up."""
        with self._lock:
            self._line.pop(ticket, None)
            if self._kept.pop(ticket, None) is not None:
                self.busy -= 1

    def keep(self, ticket: Hashable) -> None:
        """A click interrupted `ticket`'s training, which goes on in the next script run: its place stays taken
        (not given to the line) until it asks again (try_acquire), leaves, or STALE_S passes."""
        with self._lock:
            self._kept[ticket] = self._clock()

    def release(self) -> None:
        with self._lock:
            self.busy -= 1

    def _index(self, ticket: Hashable) -> int:
        for i, t in enumerate(self._line):
            if t is ticket or t == ticket:
                return i
        return len(self._line)

    def _drop_stale(self, now: float) -> None:
        for t in [t for t, seen in self._line.items() if now - seen > STALE_S]:
            del self._line[t]
        for t in [t for t, seen in self._kept.items() if now - seen > STALE_S]:
            del self._kept[t]
            self.busy -= 1


def waiting_message(ahead: int, busy: int) -> Msg:
    """What a waiting student's page says: how many are ahead in line (the page says it in its language: tr).

    >>> waiting_message(3, 4)
    'Waiting for a free slot: 3 students ahead of you. Yours starts as soon as its turn comes.'
    >>> waiting_message(0, 4)
    'Waiting for a free slot: you are next, as soon as one of the 4 runs training on this server finishes.'
    """
    if ahead <= 0:
        return Msg("page.waiting_next_one") if busy == 1 else Msg("page.waiting_next", busy=busy)
    return Msg("page.waiting_ahead_one") if ahead == 1 else Msg("page.waiting_ahead", ahead=ahead)


# Per process, whatever the machine's cores: one process runs Python on about one core (its sessions share one
# interpreter lock). Measured by benchmarks/bench_hall.py (README, "How many"): one process keeps 4 lecture-speed
# students on time, 6 are about 2 s late, 8 miss; behind `serve`, 2 processes keep 12-16. Beyond 6, a student waits
# in line (seeing how many are ahead) rather than making everyone late.
PER_PROCESS = 6


def cap_limit(environ=None) -> int:
    """LINVIZ_MAX_TRAININGS, or PER_PROCESS when it is unset, 0, empty or not allowed (the page names a bad value:
    linviz_app/safe.py).

    >>> cap_limit({"LINVIZ_MAX_TRAININGS": "3"}), cap_limit({"LINVIZ_MAX_TRAININGS": "-1"}), cap_limit({})
    (3, 6, 6)
    """
    try:
        return env.MAX_TRAININGS.read(environ) or PER_PROCESS
    except env.EnvError:
        return PER_PROCESS


TRAINING_CAP = TrainingCap(cap_limit())
