"""`python -m linviz serve`: the HAProxy configuration, the flags and their errors, and one real hall on loopback
(two supervised processes and one --upstream behind HAProxy: stickiness, two students training through the
proxy, a killed process restarted while the other student's run finishes, Ctrl-C leaving nothing behind)."""
import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers_page import app, train
from helpers_procs import children, default_sigint

from linviz.say import TEXTS
from linviz.serve import COOKIE, SERVER_HEADER, ServeError, find_haproxy, haproxy_config, parse_upstream
from linviz_app.live import Status
from linviz_app.session import LOST_RUN, STARTED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


# --- the configuration -------------------------------------------------------------------------------------

def test_config_lists_every_upstream_with_its_own_cookie_value_and_health_check():
    cfg = haproxy_config([("127.0.0.1", 9001), ("10.0.0.12", 8601), ("::1", 8602)], 8501)
    servers = re.findall(r"^\s*server (\S+) (\S+) check cookie (\S+)$", cfg, re.MULTILINE)
    assert servers == [("s1", "127.0.0.1:9001", "s1"), ("s2", "10.0.0.12:8601", "s2"), ("s3", "[::1]:8602", "s3")]
    assert "option httpchk GET /_stcore/health" in cfg


def test_config_is_sticky_passes_websockets_and_redispatches():
    cfg = haproxy_config([("127.0.0.1", 9001)], 8501, "127.0.0.1")
    assert re.search(rf"^\s*cookie {COOKIE} insert indirect nocache", cfg, re.MULTILINE)  # page and websocket: one process
    assert re.search(r"^\s*timeout tunnel 1h$", cfg, re.MULTILINE)  # an open websocket may stay quiet during a lecture
    assert re.search(r"^\s*option redispatch$", cfg, re.MULTILINE)  # a dead process's students go to another one
    assert re.search(r"^\s*bind 127.0.0.1:8501$", cfg, re.MULTILINE)
    assert re.search(r"^\s*balance leastconn$", cfg, re.MULTILINE)
    assert f"set-header {SERVER_HEADER} %[srv_name]" in cfg
    assert "mode http" in cfg
    with pytest.raises(ValueError):
        haproxy_config([], 8501)


@pytest.mark.skipif(not find_haproxy(), reason="haproxy is not installed (apt-get install haproxy)")
def test_haproxy_accepts_the_config(tmp_path):
    cfg = tmp_path / "h.cfg"
    cfg.write_text(haproxy_config([("127.0.0.1", 9001), ("10.0.0.12", 8601)], 18501, "0.0.0.0"))
    out = subprocess.run([find_haproxy(), "-c", "-f", str(cfg)], check=False, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNING" not in out.stdout + out.stderr


@pytest.mark.parametrize("text", ["foo", "host:", ":8601", "host:0", "host:70000", "host:12ab", "a b:1", "", "[zz]:1"])
def test_a_bad_upstream_names_the_flag(text):
    with pytest.raises(ServeError, match="--upstream"):
        parse_upstream(text)


# --- the command line --------------------------------------------------------------------------------------

def serve_cli(*args, timeout=60, env=None):
    return subprocess.run([sys.executable, "-m", "linviz", "serve", *args], check=False, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def one_line_error(out, status):
    assert out.returncode == status, out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    return out.stderr


def test_missing_haproxy_says_how_to_install_it():
    err = one_line_error(serve_cli("--haproxy", "/nonexistent/haproxy"), 3)
    assert "apt-get install haproxy" in err


def test_haproxy_not_installed_says_how_to_install_it(monkeypatch, capsys):
    import linviz.serve
    monkeypatch.setattr(linviz.serve, "find_haproxy", lambda: None)
    assert linviz.serve.main([]) == 3
    err = capsys.readouterr().err
    assert "haproxy is not installed" in err and "apt-get install haproxy" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("args, named", [
    (["--upstream", "nohost"], "--upstream"),
    (["--processes", "-1"], "--processes"),
    (["--processes", "x"], "--processes"),
    (["--port", "0"], "--port"),
    (["--processes", "0"], "--upstream"),  # nothing to serve
    (["--no-proxy", "--upstream", "h:1"], "--no-proxy"),
    (["--bogus"], "--bogus"),
])
def test_bad_flags_are_one_line_naming_the_flag(args, named):
    assert named in one_line_error(serve_cli(*args, "--haproxy", sys.executable), 2)


def test_a_port_in_use_is_one_line_naming_the_flag():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        err = one_line_error(serve_cli("--port", str(port), "--address", "127.0.0.1", "--haproxy", sys.executable), 2)
    assert f"--port {port}" in err and "in use" in err
    assert "--port 65535" in one_line_error(serve_cli("--no-proxy", "--processes", "2", "--port", "65535"), 2)
    assert "--address" in one_line_error(serve_cli("--address", "no.such.host.invalid", "--haproxy", sys.executable), 2)


def test_a_bad_environment_variable_or_log_dir_is_one_line_before_anything_starts(tmp_path):
    """The issue: serve passed LINVIZ_MAX_TRAININGS=-1 on to its processes (Train waited forever), and a --log-dir
    that is a file, or in /proc, was a traceback. (Generated: tests/test_serve_properties.py, test_env_properties.py.)"""
    hall = ["--no-proxy", "--processes", "1", "--address", "127.0.0.1", "--port", str(free_port())]
    for name, value in [("LINVIZ_MAX_TRAININGS", "-1"), ("LINVIZ_MAX_TRAININGS", "abc"), ("LINVIZ_MEMORY_MB", "x"),
                        ("LINVIZ_DEBUG", "maybe")]:
        err = one_line_error(serve_cli(*hall, env={name: value}), 2)
        assert f"The environment variable {name} is '{value}'" in err
    (tmp_path / "a-file").write_text("")
    for log_dir, why in [(tmp_path / "a-file", "a-file': not a directory"), (tmp_path / "a-file" / "sub", "sub': "),
                         ("/proc", "'/proc': cannot write in it"), ("/proc/x", "'/proc/x': cannot write in '/proc'")]:
        err = one_line_error(serve_cli(*hall, "--log-dir", str(log_dir)), 2)
        assert err.startswith("linviz serve: --log-dir '") and why in err


@pytest.mark.parametrize("redirect, why", [(">&-", "standard output is closed"),
                                           ("> /dev/full", "No space left on device")])
def test_help_to_a_closed_or_full_stdout_is_one_line_and_status_74(redirect, why):
    out = subprocess.run(["bash", "-c", f'"{sys.executable}" -m linviz serve --help {redirect}'], check=False,
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 74, out.stderr
    assert out.stderr == f"linviz serve: cannot write the output: {why}\n"


def test_serve_imports_neither_torch_nor_streamlit_nor_plotly():
    code = ("import sys, linviz.serve\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'streamlit', 'plotly')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


# --- a real hall on loopback -------------------------------------------------------------------------------

def run_async(coro):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests, same pytest process) leaves an
    event loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(cond, timeout: float, what: str, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def get(url: str, cookie: str | None = None):
    """(status, X-Linviz-Server, LINVIZ cookie set) of one GET, or None if nothing answered."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()
            m = re.search(rf"{COOKIE}=(\w+)", r.headers.get("Set-Cookie") or "")
            return r.status, r.headers.get(SERVER_HEADER), m and m.group(1)
    except OSError:
        return None


def alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


async def two_students_train(url: str, query: str):
    from ws_student import Student
    a, b = Student(url, query), Student(url, query)
    async with a, b:  # a's websocket is open: leastconn sends b to another process
        await asyncio.gather(a.open(), b.open())
        await asyncio.gather(a.train(), b.train())
        done = await asyncio.gather(a.watch_until_done(120), b.watch_until_done(120))
    return a, b, done


@pytest.mark.hall
@pytest.mark.skipif(not find_haproxy(), reason="haproxy is not installed (apt-get install haproxy)")
def test_a_hall_on_loopback(tmp_path):
    own_port, port = free_port(), free_port()
    own = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
                            "--server.port", str(own_port), "--server.address", "127.0.0.1"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    with open(tmp_path / "serve.log", "w") as log, default_sigint():  # Ctrl-C below stops it however pytest started
        serve = subprocess.Popen([sys.executable, "-m", "linviz", "serve", "--processes", "2", "--port", str(port),
                                  "--address", "127.0.0.1", "--upstream", f"127.0.0.1:{own_port}",
                                  "--log-dir", str(tmp_path)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def said():
        return (tmp_path / "serve.log").read_text()

    started = set()
    try:
        wait_for(lambda: "ready: students open" in said(), 180, "serve to say it is ready")
        # Every upstream answers through the proxy: the two local processes and the one on "another machine".
        seen = set()
        wait_for(lambda: seen.add((get(url + "/_stcore/health") or (0, None, None))[1]) or {"s1", "s2", "s3"} <= seen,
                 120, "all three upstreams up behind the proxy")

        # Sticky: a browser that has the cookie keeps reaching its process, page, assets and health alike.
        status, server, cookie = get(url + "/")
        assert status == 200 and cookie == server
        for path in ("/", "/_stcore/health", "/app/static/live_chart.js"):
            assert get(url + path, f"{COOKIE}={cookie}")[1] == server

        # Two students (separate cookie jars) train through the proxy; each one's websocket reaches the process
        # that served its page.
        a, b, done = run_async(two_students_train(url, "weights=2,3&epochs=20"))
        assert done == [True, True], (a.text[-300:], b.text[-300:])
        assert a.server == a.page_server and b.server == b.page_server and a.server != b.server

        # A process killed mid-lecture: the student on another process finishes, the killed one comes back.
        started = children(serve.pid)
        ports = dict(re.findall(r"server (s\d) 127\.0\.0\.1:(\d+)",
                                next(Path(p).read_text() for p in re.findall(r"-f (\S+)", " ".join(started.values())))))
        killed = run_async(kill_during_a_run(url, ports, started))
        victim_port = killed["port"]
        wait_for(lambda: "was killed (signal 9)" in said(), 30, "serve to notice the killed process")
        wait_for(lambda: get(f"http://127.0.0.1:{victim_port}/_stcore/health"), 120,
                 "the killed process to be restarted on its port")
        assert killed["health_through_proxy"] and all(killed["health_through_proxy"]), killed
        assert killed["survivor_done"], killed
        # Back behind the proxy: a browser with its cookie reaches it again (a fresh session: the run is lost).
        wait_for(lambda: (get(url + "/", f"{COOKIE}={killed['server']}") or (0, None))[1] == killed["server"], 60,
                 "the restarted process to be back behind the proxy")

        # HAProxy killed: restarted, and the hall answers again.
        proxy_pid = next(p for p, c in children(serve.pid).items() if "haproxy" in c)
        started = {**started, **children(serve.pid)}
        os.kill(proxy_pid, signal.SIGKILL)
        wait_for(lambda: "haproxy was killed (signal 9)" in said(), 30, "serve to notice HAProxy was killed")
        wait_for(lambda: (get(url + "/_stcore/health") or (0,))[0] == 200, 60, "the restarted HAProxy to answer")

        # Ctrl-C: serve stops everything it started and exits 0.
        started = {**started, **children(serve.pid)}
        assert len([c for c in started.values() if "streamlit" in c]) >= 3  # two processes and the restarted one
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=60) == 0
        wait_for(lambda: not any(alive(p) for p in started), 15, "every child of serve to be gone")
        assert "stopped" in said()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(10)
        for pid in started:
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)
        os.killpg(own.pid, signal.SIGTERM)
        own.wait(30)


async def kill_during_a_run(url: str, ports: dict[str, str], started: dict[int, str]) -> dict:
    """Two students train 200 epochs (10 s at the default speed); the local process of one of them is
    SIGKILLed mid-run; the other finishes; /_stcore/health through the proxy is polled meanwhile."""
    from ws_student import Student
    a, b = Student(url, "weights=2,3&epochs=200"), Student(url, "weights=2,3&epochs=200")
    async with a, b:
        await asyncio.gather(a.open(), b.open())
        await asyncio.gather(a.train(), b.train())
        await a._until(lambda: a.epoch >= 5 and b.epoch >= 5, 120)
        victim, survivor = (b, a) if b.server in ("s1", "s2") else (a, b)
        assert victim.server in ("s1", "s2")  # a local, supervised process (s3 is "another machine")
        port = ports[victim.server]
        pid = next(p for p, c in started.items() if f"--server.port {port} " in c + " ")
        os.kill(pid, signal.SIGKILL)
        killed = {"server": victim.server, "port": port, "health_through_proxy": []}
        finish = asyncio.create_task(survivor.watch_until_done(120))
        while not finish.done():
            killed["health_through_proxy"].append(await asyncio.to_thread(lambda: (get(url + "/_stcore/health") or (0,))[0] == 200))
            await asyncio.sleep(0.5)
        killed["survivor_done"] = finish.result()
    return killed


def test_a_process_that_keeps_dying_is_restarted_less_and_less_often(capsys):
    from linviz.serve import Child, Hall
    hall = Hall([], [("127.0.0.1", 1)], 1, "127.0.0.1", None, Path("."))
    hall.children.append(Child("process 1", [sys.executable, "-c", "raise SystemExit(3)"]))
    hall.start()
    try:
        wait_for(lambda: hall.tick() or hall.children[0].restarts >= 3, 30, "three restarts")
    finally:
        hall.stop()
    said = capsys.readouterr().err.splitlines()
    assert "stopped (exit status 3)" in said[0] and " in " not in said[0]  # the first time: at once
    assert "restarting it in 1.0 s (it keeps stopping)" in said[1]
    assert "restarting it in 2.0 s (it keeps stopping)" in said[2]


def test_children_of_a_killed_serve_do_not_outlive_it(tmp_path):
    """serve SIGKILLed (no chance to clean up): Linux sends its children SIGTERM (PR_SET_PDEATHSIG)."""
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "linviz", "serve", "--no-proxy", "--processes", "1",
                              "--port", str(port), "--address", "127.0.0.1"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids = {}
    try:
        # its child once it runs streamlit: past the fork, its own session and PR_SET_PDEATHSIG are set up
        started = lambda: [p for p in children(serve.pid) if b"streamlit" in _cmdline(p)]
        kids = wait_for(started, 30, "serve to start its process")
        serve.kill()
        serve.wait(10)
        wait_for(lambda: not any(alive(p) for p in kids), 30, "the orphaned process to stop")
    finally:
        for pid in kids:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# --- a page whose session the server lost ------------------------------------------------------------------

def lost_warnings(at) -> list[str]:
    return [w.value for w in at.warning if w.value == TEXTS["en"][LOST_RUN]]


def test_a_page_whose_session_the_server_lost_says_so():
    """A new page says nothing; a browser that comes back with widget values to a server without its session
    (the first script run of a session, as after a restart) is told its run was lost, once."""
    at = app()
    assert not lost_warnings(at)
    assert not lost_warnings(at.run())  # a rerun of the same session
    del at.session_state[STARTED]  # the server forgot the session; the browser still shows its widgets
    assert len(lost_warnings(at.run())) == 1
    assert len(lost_warnings(at.run())) == 1  # still there after a rerun (the page may rerun by itself)
    at = train(at)  # a new run: the message has done its job
    assert not lost_warnings(at) and not lost_warnings(at.run())


def test_a_click_on_train_after_the_loss_just_trains():
    """The first click after the loss was Train: its new run starts at once, so the page does not ask for it."""
    at = app()
    at.select_slider(key="speed").set_value("max").run()
    del at.session_state[STARTED]
    at = at.button(key="btn_train").click().run()
    assert not lost_warnings(at) and not at.exception
    assert at.session_state["live"].status == Status.DONE
