"""How often the live loop redraws: as often as the eye can use on an idle server, less often as the server gets
busy, so that sessions draw less rather than fall behind (each redraw costs the server CPU; training is the point).

`redraw_interval` is pure; dashboard.run_live asks it after every redraw, with what that redraw cost and how many
runs train in this process now. Measured (benchmarks/bench_streaming.py): one process runs Python on about one core
however many the machine has, so n trainings at once each redraw about 20/n times a second.
"""
FASTEST_S = 1 / 20  # 20 redraws a second on an idle server: smooth to the eye (the charts update in place)
SLOWEST_S = 0.5  # however many train, a watcher still sees two updates a second (unless one draw is costly)
FLAT_OUT_HZ = 8  # at speed max: the browser here shows ~5 updates a second anyway, and each redraw costs training
DRAW_SHARE = 0.25  # a redraw may take at most this share of a core's time; the rest trains (and serves others)


def redraw_interval(draw_s: float, busy: int = 1, flat_out: bool = False) -> float:
    """Seconds until the next redraw, after one that took `draw_s` seconds of this thread, with `busy` runs
    training in this process: FASTEST_S alone, `busy` times that in a crowd (at most SLOWEST_S), and never so
    often that drawing takes more than DRAW_SHARE of the time (a costly chart, e.g. a landscape of big data).
    `flat_out` (speed max): at most FLAT_OUT_HZ redraws a second, so that training gets nearly all the time.

    >>> redraw_interval(0.005), redraw_interval(0.020), redraw_interval(0.005, busy=4), redraw_interval(0.005, busy=50)
    (0.05, 0.08, 0.2, 0.5)
    >>> redraw_interval(0.005, flat_out=True)
    0.125
    >>> redraw_interval(1.0)  # a chart that takes a second to draw: redrawn every 4 s, training in between
    4.0
    """
    fastest = 1 / FLAT_OUT_HZ if flat_out else FASTEST_S
    return round(max(draw_s / DRAW_SHARE, min(SLOWEST_S, fastest * max(1, busy))), 4)
