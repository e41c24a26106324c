"""End-to-end fixtures: a real `streamlit run dashboard.py` and the distribution's Chromium via Playwright.

No skipping: if the browser or the server is missing, these tests fail and say why.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_helpers import wait_idle
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LINVIZ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard_server(log_name: str, *args: str, env: dict | None = None, cwd: Path = ROOT, prefix: tuple = (),
                     base: str = "", why: str = ""):
    """`streamlit run dashboard.py` (from `cwd`, after `prefix`: e.g. a command that runs it as another user) on a
    free port, under the URL path `base` if any; yields (url, process). Fails the test, with the server's log and
    `why` it may not have started, if it does not answer within 90 s."""
    port = free_port()
    log_path = ROOT / "artifacts" / log_name
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([*prefix, sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless",
                                 "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                 *(["--server.baseUrlPath", base] if base else []), *args],
                                cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
        try:
            deadline = time.time() + 90
            while True:
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"streamlit did not start{why}; its log, artifacts/{log_name}:\n"
                                + log_path.read_text()[-3000:])
                time.sleep(0.2)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def dashboard_url():
    with dashboard_server("streamlit-e2e.log") as (url, _):
        yield url


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                    "(the end-to-end tests must not be skipped)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, dashboard_url):
    """open_page(query="") -> a fresh session's page, loaded and idle."""
    contexts = []

    def _open(query: str = ""):
        ctx = chromium.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(dashboard_url + "/" + query)
        wait_idle(page)
        return page

    yield _open
    for ctx in contexts:
        ctx.close()
