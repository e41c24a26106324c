"""How often the live loop redraws: as often as the eye can use on an idle server, less often as the server gets
busy, so that sessions draw less rather than fall behind (each redraw costs the server CPU; training is the point).

`redraw_interval` is pure; dashboard.run_live asks it after every redraw, with what that redraw cost and how many
runs train in this process now. Measured (benchmarks/bench_streaming.py): one process runs Python on about one core
however many the machine has, so n trainings at once each redraw about 20/n times a second.
"""
import os

FASTEST_S = 1 / 20  # 20 redraws a second on an idle server: smooth to the eye (the charts update in place)
SLOWEST_S = 0.5  # however busy the server, a watcher still sees two updates a second
GIL_CORES = 1  # one server process runs Python on about one core at a time, however many it has (issue 12)
DRAW_SHARE = 0.25  # a redraw may take at most this share of a core's time; the rest trains (and serves others)


def redraw_interval(draw_s: float, busy: int = 1, cores: int | None = None) -> float:
    """Seconds until the next redraw, after one that took `draw_s` seconds of this thread, with `busy` runs
    training in this process on `cores` cores.

    >>> redraw_interval(0.005), redraw_interval(0.020), redraw_interval(0.005, busy=8, cores=2)
    (0.05, 0.08, 0.4)
    >>> redraw_interval(1.0)  # a huge chart: still twice a second
    0.5
    """
    cores = cores or os.cpu_count() or 1
    crowd = max(1.0, busy / min(cores, GIL_CORES))  # trainings share the cores (and one interpreter lock)
    return round(min(SLOWEST_S, max(FASTEST_S, draw_s / DRAW_SHARE) * crowd), 4)
