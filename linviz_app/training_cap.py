"""The server's cap on trainings running at once: every session shares the same CPU cores.

A session's live loop (dashboard.run_live) holds one place while it trains; beyond the cap its page says it is
waiting for a free slot and starts as soon as one is free.
"""
import os
import threading


class TrainingCap:
    """At most `limit` trainings at once in this server process; `busy` of them train now."""

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
TRAINING_CAP = TrainingCap(int(os.environ.get("LINVIZ_MAX_TRAININGS", "0")) or 2 * (os.cpu_count() or 1))
