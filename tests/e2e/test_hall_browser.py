"""A lecture hall (`python -m linviz serve`) in a real Chromium: the student whose server process is killed
mid-run is told, at the next click, that the run was lost, and can train again at once. This checks what the
page's message relies on: Streamlit's page reconnects to a fresh session and sends the widget values it shows."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import wait_idle
from helpers_procs import children
from playwright.sync_api import expect

from linviz.say import TEXTS
from linviz.serve import COOKIE, ROOT, find_haproxy, free_port
from linviz_app.session import LOST_RUN

pytestmark = pytest.mark.e2e
STATUS = re.compile(r"Epoch ([\d,]+) of ([\d,]+)")


def epoch(page) -> int:
    box = page.locator("[data-testid=stAlert]").filter(has_text=STATUS)
    return int(STATUS.search(box.first.inner_text()).group(1).replace(",", "")) if box.count() else 0


def test_a_student_whose_process_died_is_told_and_trains_again(chromium, tmp_path):
    if not find_haproxy():
        pytest.fail("haproxy is not installed: apt-get install haproxy (the end-to-end tests must not be skipped)")
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "linviz", "serve", "--processes", "2", "--port", str(port),
                                  "--address", "127.0.0.1"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    ctx = None
    try:
        end = time.monotonic() + 180
        while "ready: students open" not in log.read_text():
            assert time.monotonic() < end and serve.poll() is None, log.read_text()
            time.sleep(0.2)
        ctx = chromium.new_context(viewport={"width": 1600, "height": 1000})
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{port}/?weights=2,3&epochs=5000")
        wait_idle(page)
        page.locator(".st-key-btn_train button").first.click(timeout=30_000)
        expect(page.get_by_text(STATUS).first).to_be_visible(timeout=60_000)

        # Kill the process this browser's cookie pins it to.
        server = next(c["value"] for c in ctx.cookies() if c["name"] == COOKIE)
        kids = children(serve.pid)
        cfg = Path(re.search(r"-f (\S+)", next(c for c in kids.values() if "haproxy" in c)).group(1)).read_text()
        backend_port = dict(re.findall(r"server (s\d) 127\.0\.0\.1:(\d+)", cfg))[server]
        os.kill(next(p for p, c in kids.items() if f"--server.port {backend_port} " in c + " "), signal.SIGKILL)
        end = time.monotonic() + 30
        while "was killed (signal 9)" not in log.read_text():
            assert time.monotonic() < end, log.read_text()
            time.sleep(0.2)

        # The next click reaches a process without this page's session: the page says the run was lost.
        lost = page.get_by_text(TEXTS["en"][LOST_RUN][:60])
        for _ in range(6):  # the page reconnects within seconds; a click before that is not sent
            page.get_by_role("tab", name="Data").click()
            try:
                expect(lost).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                page.get_by_role("tab", name="Training").click()
        expect(lost).to_be_visible(timeout=10_000)

        # Train again: a new run starts and the message goes.
        page.locator(".st-key-btn_train button").first.click(timeout=30_000)
        expect(lost).to_be_hidden(timeout=30_000)
        end = time.monotonic() + 60
        while epoch(page) < 1:
            assert time.monotonic() < end, "the new run did not start"
            page.wait_for_timeout(200)
    finally:
        if ctx is not None:
            ctx.close()
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(60)
        except subprocess.TimeoutExpired:
            serve.kill()
