"""A classroom's worst: random clicks mid-run, closed tabs, and eight students training at once."""
import csv
import io
import json
import random
import re
import statistics
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import shot, wait_idle
from conftest import dashboard_server
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
STATUS = re.compile(r"Epoch ([\d,]+) of ([\d,]+)")


def no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0, page.locator("[data-testid=stException]").first.inner_text()


def block_outbound(context, base: str) -> list:
    """Record (and refuse) every request that leaves the dashboard's own server."""
    outbound = []

    def handle(route):
        if route.request.url.startswith(base) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outbound.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return outbound


def screen_epoch(page) -> int | None:
    """The last epoch the page shows data for (a diverged run shows its last finite epoch, and says so)."""
    box = page.locator("[data-testid=stAlert]").filter(has_text=STATUS)
    if not box.count():
        return None
    text = box.first.inner_text()
    shown = re.search(r"Showing epoch (\d+)", text)
    return int(shown.group(1)) if shown else int(STATUS.search(text).group(1).replace(",", ""))


def csv_rows(page) -> list[dict]:
    with page.expect_download() as info:
        page.locator(".st-key-dl_csv button").click()
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))


def test_random_interruptions_never_show_an_exception_and_downloads_match_the_screen(chromium, dashboard_url):
    rng = random.Random(7)  # a fixed sequence, so a failure can be replayed
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    outbound = block_outbound(context, dashboard_url)
    page = context.new_page()
    page.goto(dashboard_url + "/?epochs=400")
    wait_idle(page)

    def gently(action):
        """Run a UI action; an element that turned disabled or vanished mid-rerun makes a click a no-op."""
        try:
            action()
        except PlaywrightTimeout:
            pass

    def click(key):
        gently(lambda: page.locator(f".st-key-{key} button").first.click(timeout=1000))

    def type_into(key, text):
        box = page.locator(f".st-key-{key} input")
        box.fill(text)
        box.press("Enter")

    def set_lr():
        type_into("cfg_lr", rng.choice(["1e-5", "2e-5", "3e-5", "1e-3"]))

    def set_samples():
        type_into("cfg_n_samples", str(rng.choice([10, 12])))

    def download():
        try:
            enabled = page.locator(".st-key-dl_csv button").first.is_enabled(timeout=1000)
        except PlaywrightTimeout:
            return
        if enabled:
            csv_rows(page)  # strict: a click on an enabled download must deliver the file

    def reopen():  # close the tab mid-run and come back: a fresh session
        nonlocal page
        page.close()
        page = context.new_page()
        page.goto(dashboard_url + "/?epochs=400")
        wait_idle(page)

    actions = {"train": lambda: click("btn_train"), "stop": lambda: click("btn_stop"),
               "pause": lambda: click("btn_pause"), "step": lambda: click("btn_step"),
               "reset": lambda: click("btn_reset"), "lr": set_lr, "samples": set_samples, "download": download,
               "toggle": lambda: gently(lambda: page.locator(".st-key-log_loss label").first.click(timeout=1000)),
               "tab": lambda: gently(lambda: page.get_by_role("tab", name=rng.choice(["Training", "Loss landscape"]))
                                     .click(timeout=1000)),
               "close": reopen}
    names = ["train"] * 4 + list(actions)
    for i in range(30):
        name = rng.choice(names)
        actions[name]()
        page.wait_for_timeout(rng.randint(0, 400))
        no_exception(page)
    shot(page, "10-after-random-clicks")
    click("btn_stop")
    page.get_by_role("tab", name="Training").click()
    wait_idle(page)
    page.wait_for_timeout(500)
    no_exception(page)
    epoch = screen_epoch(page)
    if epoch is not None:  # the download holds exactly the run on screen
        assert int(csv_rows(page)[-1]["epoch"]) == epoch
    assert outbound == [], f"the page called out: {outbound}"
    context.close()


def _health_latencies(url: str, stop: threading.Event, out: list) -> None:
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=5).read()
            out.append(time.perf_counter() - t0)
        except OSError:
            out.append(5.0)
        time.sleep(0.1)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def test_eight_students_at_once(chromium):
    sessions, cap = 8, 4
    with dashboard_server("streamlit-load.log", "--server.disconnectedSessionTTL", "2",
                          env={"LINVIZ_MAX_TRAININGS": str(cap)}) as (url, proc):
        warm = chromium.new_context()  # a first student: imports and caches warm up, then leaves
        page = warm.new_page()
        page.goto(url + "/?epochs=20")
        wait_idle(page)
        page.locator(".st-key-btn_train button").click()
        page.get_by_text("Epoch 20 of 20").first.wait_for(timeout=60_000)
        warm.close()
        time.sleep(6)
        rss_before = _rss_mb(proc.pid)

        contexts, pages = [], []
        for k in range(sessions):  # each student: their own seed and their own true weights
            ctx = chromium.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
            p = ctx.new_page()
            p.goto(f"{url}/?weights={k + 2},3,4,7&seed={k}&epochs=150")
            contexts.append(ctx)
            pages.append(p)
        for p in pages:
            wait_idle(p)
        stop, latencies = threading.Event(), []
        poller = threading.Thread(target=_health_latencies, args=(url, stop, latencies), daemon=True)
        poller.start()
        for p in pages:
            p.locator(".st-key-btn_train button").click()
        waited = False
        deadline = time.time() + 120
        done = set()
        while len(done) < sessions and time.time() < deadline:
            for k, p in enumerate(pages):
                if k not in done and p.get_by_text("Epoch 150 of 150").count():
                    done.add(k)
                waited = waited or p.get_by_text("Waiting for a free slot").count() > 0
            time.sleep(0.2)
        stop.set()
        poller.join()
        assert len(done) == sessions, f"only {len(done)} of {sessions} sessions finished"
        assert waited, f"with {sessions} sessions and {cap} slots, someone should have waited for a slot"
        p95 = float(np.percentile(latencies, 95))
        assert p95 < 0.25, f"/_stcore/health p95 {p95 * 1e3:.0f} ms under load"
        shot(pages[3], "11-classroom-student-4")

        for k, p in enumerate(pages):  # everyone got their own run, with the right weights
            wait_idle(p)
            with p.expect_download() as info:
                p.locator(".st-key-dl_json button").click()
            doc = json.loads(Path(info.value.path()).read_text())
            assert doc["true_weights"] == [k + 2, 3, 4, 7] and doc["settings"]["seed"] == str(k)
            assert np.abs(np.array(doc["result"]["weights"]) - [k + 2, 3, 4, 7]).max() < 0.05
            expect(p.locator("[data-testid=stException]")).to_have_count(0)
        for ctx in contexts:
            ctx.close()
        time.sleep(8)  # past the disconnected-session TTL: their state is dropped
        rss_after = _rss_mb(proc.pid)
        report = (f"sessions {sessions}, slots {cap}, health p95 {p95 * 1e3:.0f} ms (median "
                  f"{statistics.median(latencies) * 1e3:.0f} ms, {len(latencies)} polls), server RSS "
                  f"{rss_before:.0f} MB before, {rss_after:.0f} MB after")
        (Path(__file__).resolve().parents[2] / "artifacts" / "classroom-load.txt").write_text(report + "\n")
        print(report)
        assert rss_after - rss_before < 50, report
