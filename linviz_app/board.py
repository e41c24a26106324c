"""The page's live parts: the status line and progress bar above the tabs, and the live views the open tab
registered (training charts, landscape, ladder). The live loop redraws them all with one `Board.draw`.

A live view is anything with `draw(live, final)`; `final=False` (mid-run) lets a costly view skip a beat.
"""
import time
from typing import Protocol

import numpy as np

from linviz.report import outcome, status_line, timing_line
from linviz.sweeps import sweep_outcome
from linviz_app.i18n import t, tr
from linviz_app.live import LiveRun, Status

STATUS_S = 0.2  # mid-run the status text and progress bar change 5 times a second; the charts more often


class LiveView(Protocol):
    def draw(self, live: LiveRun, final: bool) -> None: ...


class Board:
    """Placeholders that every redraw fills again: `status` and `progress` (seen from every tab) and `views`."""

    def __init__(self, status, progress):
        self.status, self.progress = status, progress
        self.views: dict[str, LiveView] = {}
        self.status_at, self.status_s = 0.0, STATUS_S  # the live loop slows the status with the charts when busy

    def add(self, name: str, view: LiveView | None) -> None:
        """Register a tab's live view under the tab's name (a tab without one returns None)."""
        if view is not None:
            self.views[name] = view

    def draw(self, live: LiveRun, final: bool = True) -> None:
        """Fill the status line and progress bar (mid-run at most STATUS_S apart), then every registered view."""
        if final or time.perf_counter() - self.status_at >= self.status_s:
            self.status_at = time.perf_counter()
            self.draw_status(live)
        for view in self.views.values():
            view.draw(live, final)

    def draw_status(self, live: LiveRun) -> None:
        """One line, what a student needs first: [sweep or ladder ·] epoch (· loss) · what the run is doing or came to
        [· the epoch under way]; the timing under the progress bar. A run that can go on (paused, stopped) says what the next click does,
        never a verdict such as "not converged yet (more epochs?)", which is a finished run's."""
        if live.history is None:
            self.status.info(t("page.intro"))  # before the first run: what the page shows
            return
        s, cfg = live.state, live.cfg
        kind, sentence = self.judged(live)
        box = {"diverged": self.status.error, "converged": self.status.success}.get(kind, self.status.info)
        what = t("page.status.ladder") if live.ladder else t("page.status.sweep", n=len(cfg.lrs)) if cfg.is_sweep else ""
        part = live.epoch_progress  # a long epoch (a million samples of Adam) trains in slices: say how far it got
        now = t("page.status.in_epoch", epoch=s.epoch + 1, pct=min(99, int(part * 100))) if part > 0 else ""
        parts = [what, tr(status_line(cfg, s)), sentence, now]
        box(t("page.status.sep").join(p for p in parts if p).replace("*", r"\*"))  # w* is not emphasis
        progress = t("page.progress", epoch=s.epoch, epochs=cfg.epochs)  # the timing goes under the bar, which a short
        self.progress.progress(min(1.0, (s.epoch + part) / cfg.epochs),  # screen or a phone hides (layout.py)
                               text=t("page.status.sep").join([progress, tr(timing_line(s))]))

    @staticmethod
    def judged(live: LiveRun) -> tuple[str, str]:
        """(kind, sentence in the page's language) for the run's status. Running: the core's running sentence.
        Done: the core's verdict. Paused or stopped: which of the two, the distance to the true weights, and what
        Resume / Step / Train do next; for a sweep, its runs as they stand (converged, not yet, diverged: each true
        at this moment). A single run that diverged is done, never paused."""
        s, cfg, status = live.state, live.cfg, live.status
        judge = sweep_outcome if cfg.is_sweep else outcome
        kind, sentence = judge(cfg, s, running=status == Status.RUNNING, best=live.best, reachable=live.reachable)
        said = "" if kind == "initial" else tr(sentence)  # a run has started: "press Train" is not what to do now
        if status not in (Status.PAUSED, Status.STOPPED) or kind == "diverged" and not cfg.is_sweep:
            return kind, said
        name = "page.status.paused" if status == Status.PAUSED else "page.status.stopped"
        if cfg.is_sweep:
            said = t("page.status.sep").join(p for p in (t(name, epoch=s.epoch, next=s.epoch + 1), said) if p)
            return ("paused" if kind == "initial" else kind), said
        err = float(np.max(np.abs(s.run(0).weights - np.asarray(cfg.true_weights))))
        return "paused", t(f"{name}_err", epoch=s.epoch, next=s.epoch + 1, err=err)
