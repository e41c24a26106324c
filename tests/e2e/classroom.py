"""A classroom at once: N students, each in their own browser context, train on one `streamlit run dashboard.py`.

Shared by tests/e2e/test_classroom.py (what must hold: everyone finishes with their own weights, someone waits
for a slot, memory returns) and benchmarks/bench_classroom.py (the figures: health-check latency, time to
finish, server memory), so both drive the very same scenario.
"""
import json
import statistics
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from browser_helpers import shot, wait_idle
from conftest import dashboard_server


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _poll_health(url: str, stop: threading.Event, out: list) -> None:
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=5).read()
            out.append(time.perf_counter() - t0)
        except OSError:
            out.append(float("inf"))  # no answer within 5 s
        time.sleep(0.1)


@dataclass
class Classroom:
    sessions: int
    cap: int
    epochs: int
    finished_s: dict = field(default_factory=dict)  # student -> seconds from their click to their last epoch shown
    waited: bool = False                            # someone's page said "Waiting for a free slot"
    results: list = field(default_factory=list)     # each student's downloaded settings + result (JSON)
    exceptions: int = 0                             # pages showing a Streamlit exception at the end
    rss_before_mb: float = 0.0                      # server memory after a warm-up student left
    rss_after_mb: float = 0.0                       # ... and after everyone left (past the session TTL)
    health_s: list = field(default_factory=list)    # /_stcore/health latencies while they trained

    def summary(self) -> str:
        lat = np.array(self.health_s) * 1e3
        p50, p95, top = np.percentile(lat, [50, 95, 100]) if len(lat) else [float("nan")] * 3
        done = sorted(self.finished_s.values())
        return (f"students {self.sessions}, slots {self.cap}, {self.epochs} epochs each: "
                f"{len(done)} finished, someone waited for a slot: {'yes' if self.waited else 'no'}\n"
                f"time to finish per student (click to last epoch shown): median "
                f"{statistics.median(done) if done else float('nan'):.1f} s, max {max(done, default=float('nan')):.1f} s\n"
                f"/_stcore/health while training: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms "
                f"({len(lat)} polls)\n"
                f"server RSS: {self.rss_before_mb:.0f} MB before, {self.rss_after_mb:.0f} MB after they left "
                f"({self.rss_after_mb - self.rss_before_mb:+.0f} MB)")


def run_classroom(chromium, sessions: int = 8, cap: int = 4, epochs: int = 150, measure_health: bool = False,
                  deadline_s: float = 180, log_name: str = "streamlit-load.log") -> Classroom:
    """Start a server with `cap` training slots; `sessions` students (student k: weights [k+2, 3, 4, 7], seed k)
    press Train at once; wait for all, download each one's JSON, close every tab, and measure the server's
    memory once their sessions are dropped. `deadline_s` only bounds a hang; it is not a figure under test."""
    room = Classroom(sessions, cap, epochs)
    with dashboard_server(log_name, "--server.disconnectedSessionTTL", "2",
                          env={"LINVIZ_MAX_TRAININGS": str(cap)}) as (url, proc):
        warm = chromium.new_context()  # a first student: imports and caches warm up, then leaves
        page = warm.new_page()
        page.goto(url + "/?epochs=20")
        wait_idle(page)
        page.locator(".st-key-btn_train button").first.click()
        page.get_by_text("Epoch 20 of 20").first.wait_for(timeout=60_000)
        warm.close()
        time.sleep(6)  # past the disconnected-session TTL
        room.rss_before_mb = rss_mb(proc.pid)

        contexts, pages = [], []
        for k in range(sessions):
            ctx = chromium.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
            p = ctx.new_page()
            p.goto(f"{url}/?weights={k + 2},3,4,7&seed={k}&epochs={epochs}")
            contexts.append(ctx)
            pages.append(p)
        for p in pages:
            wait_idle(p)
        stop = threading.Event()
        poller = threading.Thread(target=_poll_health, args=(url, stop, room.health_s), daemon=True)
        if measure_health:
            poller.start()
        clicked = {}
        for k, p in enumerate(pages):
            p.locator(".st-key-btn_train button").first.click()
            clicked[k] = time.perf_counter()
        deadline = time.perf_counter() + deadline_s
        last = f"Epoch {epochs:,} of {epochs:,}"
        while len(room.finished_s) < sessions and time.perf_counter() < deadline:
            for k, p in enumerate(pages):  # one round trip per page: the status boxes' text
                if k not in room.finished_s:
                    alerts = " ".join(p.locator("[data-testid=stAlert]").all_inner_texts())
                    if last in alerts:
                        room.finished_s[k] = time.perf_counter() - clicked[k]
                    room.waited = room.waited or "Waiting for a free slot" in alerts
            time.sleep(0.1)
        stop.set()
        if measure_health:
            poller.join()
        shot(pages[min(3, sessions - 1)], "11-classroom-student-4")

        for p in pages:  # what each student got: their own run, with their own weights
            wait_idle(p)
            with p.expect_download() as info:
                p.locator(".st-key-dl_json button").click()
            room.results.append(json.loads(Path(info.value.path()).read_text()))
            room.exceptions += p.locator("[data-testid=stException]").count()
        for ctx in contexts:
            ctx.close()
        time.sleep(8)  # past the disconnected-session TTL: their state is dropped
        room.rss_after_mb = rss_mb(proc.pid)
    return room
