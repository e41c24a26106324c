"""plotly.js reaches the live charts whoever runs the server and whatever its `static/` holds (issue 24): a
read-only install served by another user (`nobody`), whose static/ has no copy or another user's unreadable one,
still draws them from the plotly package's own file (linviz_app/live_chart.py's plotly_urls); and a chart whose
plotly.js failed to load draws at a later update once it can, without a reload.
The live charts of a sweep (`?lr=1e-5,2e-5`) need plotly.js of their own: that page has no Streamlit Plotly chart.
Screenshots: issue24-read-only-*, issue24-retry-drawn."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import plotly
import pytest
from browser_helpers import shot, wait_idle
from conftest import dashboard_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SWEEP = "?lr=1e-5,2e-5"  # no lr band (a Streamlit Plotly chart) beside the lr field: nothing else loads plotly.js
PLOTLY_URLS = "**/plotly.min.js*"  # both addresses the page tries (the static copy, the package's own file)
STATIC_URL = "**/app/static/plotly.min.js*"
FAILED = "plotly.js could not load"
DRAWN = ("(() => { const c = [...document.querySelectorAll('.linviz-live-chart')];"
         " return c.length >= 2 && c.every(d => d.querySelector('.main-svg')); })()")  # the tab's two charts drawn


def status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as e:
        return e.code


def as_nobody() -> list[str]:
    """The command prefix that runs a program as `nobody` (this test runs as root, as CI does); none when this
    process is not root: then the server runs as this user, which still cannot write the read-only install."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv not found: install util-linux (it runs the server as another user)")
    user = pwd.getpwnam("nobody")
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]


def read_only_install(where: Path, copy: str) -> Path:
    """The checkout's files (as git lists them: tracked, and new ones not ignored) copied to `where`/app, read-only
    for everyone (static/ included). `copy`: "none" (no static/plotly.min.js) or "unreadable" (one that another
    user, root, wrote 0600 and the server's user cannot read; mode 0 when this test is not root)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    app = where / "app"
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (app / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, app / name)
    assert not (app / "static" / "plotly.min.js").exists()
    if copy == "unreadable":
        target = app / "static" / "plotly.min.js"
        shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", target)
        target.chmod(0o600 if os.geteuid() == 0 else 0)
    for path in [app, *app.rglob("*")]:  # chmod -R a-w
        path.chmod(path.stat().st_mode & ~0o222)
    return app


@contextmanager
def server_as_nobody(copy: str, base: str):
    """`streamlit run dashboard.py` (the other e2e tests' flags) from a read-only install, as `nobody` with a
    writable HOME of its own; yields the page's address (under `base`, a server.baseUrlPath, if any)."""
    where = Path(tempfile.mkdtemp(prefix="linviz-readonly-"))
    where.chmod(0o755)  # nobody reaches the install and its HOME
    try:
        app = read_only_install(where, copy)
        home = where / "home"
        home.mkdir()
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(home, nobody.pw_uid, nobody.pw_gid)
        env = {"HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
        why = (f" as nobody from {app} (the interpreter {sys.executable} and its packages must be readable by "
               "nobody)")
        with dashboard_server(f"streamlit-readonly-{copy}.log", env=env, cwd=app, prefix=tuple(as_nobody()),
                              base=base, why=why) as (url, _):
            yield url
    finally:
        for path in [where, *where.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o700)
        shutil.rmtree(where, ignore_errors=True)


@pytest.mark.parametrize("copy, base", [("none", ""), ("unreadable", "hall")],
                         ids=["no-copy", "unreadable-copy-under-base-path"])
def test_a_read_only_install_served_by_another_user_draws_its_live_charts(chromium, copy, base):
    with server_as_nobody(copy, base) as url:
        assert status(url + "/app/static/plotly.min.js") != 200  # 404 without a copy, 500 for one it cannot read
        ctx = chromium.new_context(viewport={"width": 1600, "height": 1000})
        try:
            page = ctx.new_page()
            answers = []
            page.on("response", lambda r: answers.append((r.status, r.url)) if "plotly.min.js" in r.url else None)
            page.goto(url + "/" + SWEEP)
            wait_idle(page)
            page.locator(".st-key-btn_train button").first.click()
            page.mouse.move(5, 995)  # away from the button: its tooltip would cover the page in the screenshot
            page.wait_for_function(f"{DRAWN} || document.body.innerText.includes({FAILED!r})", timeout=60_000)
            wait_idle(page)  # the run's end: the charts updated many times since
            shot(page, f"issue24-read-only-{copy}")
            assert page.get_by_text(FAILED).count() == 0, page.get_by_text(FAILED).first.inner_text()
            assert page.evaluate(DRAWN)
            assert page.evaluate("typeof window.Plotly.react") == "function"
            # the page tried only the package's own file (no static copy was served) and got it from this server
            assert [s for s, u in answers] == [200], answers
            assert answers[0][1].startswith(f"{url}/component/linviz_app.live_chart.plotly_js/plotly.min.js")
        finally:
            ctx.close()


def test_a_chart_that_failed_to_load_plotly_js_draws_at_a_later_update(open_page):
    page = open_page(SWEEP + "&epochs=400")  # ~20 s of training, at 20 epochs/s
    tried = []
    page.on("requestfailed", lambda r: tried.append(r.url) if "/component/" in r.url else None)

    def block(route):
        route.abort()

    page.route(PLOTLY_URLS, block)  # both addresses fail: the static copy and the package's own file
    page.reload()  # from the start: nothing loaded plotly.js before
    wait_idle(page)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    page.locator(".st-key-btn_train button").first.click()
    page.mouse.move(5, 995)
    page.get_by_text(FAILED).first.wait_for(timeout=60_000)
    assert page.locator(".linviz-live-chart .main-svg").count() == 0
    deadline = time.time() + 30
    while len(tried) < 2 and time.time() < deadline:  # the failure is not kept: later updates try again
        page.wait_for_timeout(100)
    assert len(tried) >= 2, f"plotly.js was tried {len(tried)} time(s) while the run updated its charts"

    page.unroute(PLOTLY_URLS, block)
    page.route(STATIC_URL, block)  # the static copy still fails: the package's own file is the one that comes
    page.wait_for_function(DRAWN, timeout=30_000)  # at a later update of the same run
    page.wait_for_function(f"!document.body.innerText.includes({FAILED!r})", timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    assert page.get_by_text("Running").count() > 0, "drawn by an update of the run, not by its end"
    shot(page, "issue24-retry-drawn")
    page.locator(".st-key-btn_stop button").first.click()  # this server's other tests need no run of ours
    wait_idle(page)
