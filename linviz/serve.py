"""`python -m linviz serve`: a lecture hall. N Streamlit processes of the dashboard behind one HAProxy.

One Streamlit process keeps only a handful of training students on time (its sessions share one interpreter
lock), so a hall needs many processes, and past one machine's cores, several machines:

    python -m linviz serve --processes 4                 # 4 local processes, students open http://<this>:8501
    python -m linviz serve --no-proxy --processes 4 --port 8601   # on a second machine: its processes only
    python -m linviz serve --processes 4 --upstream 10.0.0.12:8601 --upstream 10.0.0.12:8602 ...

HAProxy (Debian: `apt-get install haproxy`) sends each browser to one process and keeps it there: it inserts a
cookie (LINVIZ) naming the process, and the page's websocket (/_stcore/stream, same origin, same cookie) follows
it, because a session and its run live in that process's memory. A process that stops answering
/_stcore/health is taken out within seconds and its students are sent to the others (option redispatch); this
supervisor restarts a local process that died, on the same port, and restarts HAProxy if it dies. Ctrl-C or
SIGTERM stops everything it started (each child in its own process group, terminated, then killed).

Exit status: 0 stopped (Ctrl-C, SIGTERM) or --help; 2 bad input: a flag, an environment variable (linviz/env.py:
LINVIZ_MAX_TRAININGS and the others its processes read) or a --log-dir it cannot write, one line on stderr naming it,
before anything starts; 3 a program is missing (HAProxy); 4 an internal error (one line; LINVIZ_DEBUG=1 shows the
traceback); 74 --help could not be written (stdout closed or full).

This module starts subprocesses only: it imports neither torch nor streamlit nor plotly.
"""
import argparse
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import env
from .machine import available_memory

ROOT = Path(__file__).resolve().parents[1]  # dashboard.py and .streamlit/config.toml live here
COOKIE = "LINVIZ"
SERVER_HEADER = "X-Linviz-Server"  # which process answered: for tests and for a teacher's curl
TUNNEL_TIMEOUT = "1h"  # an open websocket (a student's page) may stay quiet this long
EXIT_OK, EXIT_BAD_INPUT, EXIT_MISSING, EXIT_INTERNAL, EXIT_OUTPUT = 0, 2, 3, 4, env.EXIT_OUTPUT
EXIT_STATUSES = (EXIT_OK, EXIT_BAD_INPUT, EXIT_MISSING, EXIT_INTERNAL, EXIT_OUTPUT)  # documented above
MAX_PROCESSES = 1024  # per machine: far beyond its cores (the default is one per core), short of a fork bomb
BACKOFF_MAX_S = 30.0  # a process that keeps dying is restarted at most this far apart
STABLE_S = 30.0  # a process that ran this long before it died is restarted at once
STOP_GRACE_S = 5.0  # after SIGTERM, children get this long before SIGKILL
PROXY_WAIT_S = 60.0  # HAProxy starts once the local processes answer, or after this long anyway


class ServeError(Exception):
    """Bad input or a missing program: one line for the teacher, exit status in `.status`."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.status = status


def default_processes() -> int:
    """Local Streamlit processes when --processes is not given: one per core. Measured by benchmarks/bench_hall.py
    on 2 cores: 2 processes keep 3-4 times as many students on time as 1 (README, "How many")."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the cores this process may use (a container's, not the host's)
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def parse_upstream(text: str) -> tuple[str, int]:
    """'HOST:PORT' or '[IPv6]:PORT' -> (host, port); ServeError naming --upstream otherwise.

    >>> parse_upstream("10.0.0.12:8601")
    ('10.0.0.12', 8601)
    >>> parse_upstream("[::1]:8601")
    ('::1', 8601)
    """
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([A-Za-z0-9.-]+):(\d{1,5})", text.strip())
    port = int(m.group(2) or m.group(4)) if m else 0
    if not m or not 1 <= port <= 65535:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise ServeError(f"--upstream {shown!r}: expected HOST:PORT of a running dashboard process, "
                         "e.g. --upstream 10.0.0.12:8601")
    return (m.group(1) or m.group(3), port)


def _addr(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def haproxy_config(upstreams: list[tuple[str, int]], port: int, address: str = "0.0.0.0", *,
                   tunnel_timeout: str = TUNNEL_TIMEOUT, maxconn: int = 4096) -> str:
    """HAProxy's configuration for a hall: listen on address:port, send each browser to one of `upstreams`
    (host, port) and keep it there (cookie), websockets passed through, dead processes taken out by health
    checks and their students redispatched. Pure: the same text for local processes and other machines."""
    if not upstreams:
        raise ValueError("no upstream to serve")
    servers = "\n".join(
        f"    server s{i} {_addr(h, p)} check cookie s{i}" for i, (h, p) in enumerate(upstreams, 1))
    return f"""# linviz serve: generated, do not edit (python -m linviz serve writes it afresh each start)
global
    maxconn {maxconn}

defaults
    mode http
    option http-server-close
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 15s
    # an upgraded connection (a student's websocket) is a tunnel: quiet for minutes during a lecture is fine
    timeout tunnel {tunnel_timeout}
    timeout client-fin 10s
    # a process that died: send its students to another one instead of failing them
    option redispatch
    retries 2

frontend hall
    bind {_addr(address, port)}
    maxconn {maxconn}
    default_backend linviz

backend linviz
    # long-lived websockets: the process with the fewest students gets the next one
    balance leastconn
    # stickiness: a session and its run live in one process's memory; the page and its websocket share
    # the origin, so they share this cookie and reach the same process
    cookie {COOKIE} insert indirect nocache httponly
    option httpchk GET /_stcore/health
    # a busy process answers its health check in up to ~1 s (bench_hall: p95 812 ms with 12 students): give it 3 s
    # and three misses before its students are sent elsewhere; an address that does not resolve (a mistyped
    # --upstream) starts as down instead of stopping HAProxy from starting
    timeout check 3s
    default-server inter 2s fastinter 1s downinter 1s fall 3 rise 2 init-addr last,libc,none
    http-response set-header {SERVER_HEADER} %[srv_name]
{servers}
"""


def streamlit_argv(port: int, address: str = "127.0.0.1") -> list[str]:
    """One dashboard process. .streamlit/config.toml (read from the working directory, ROOT) adds the hall's
    settings: headless, no file watcher, XSRF protection, static serving, viewer toolbar."""
    argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
            "--server.port", str(port), "--server.address", address]
    return argv


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _can_listen(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        with socket.socket(family) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
            s.bind((address, port))
        return True
    except (OSError, OverflowError, ValueError, TypeError):  # TypeError: a NUL or an unencodable host name
        return False


def lan_address() -> str | None:
    """This machine's address on its LAN, without sending a packet (a UDP socket's route choice)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            ip = s.getsockname()[0]
        return None if ip.startswith("127.") else ip
    except OSError:
        return None


def _connectable(address: str) -> str:
    """Where to reach a server bound to `address` from this machine."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(address, address)


def _die_with_parent() -> None:
    """In the child before exec: its own process group (so Ctrl-C reaches the supervisor only, which stops
    the children itself), and on Linux a SIGTERM if the supervisor itself is killed."""
    os.setsid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict | None = None
    cwd: Path = ROOT
    log: Path | None = None  # where its stdout and stderr go (appended); None: discarded, or inherited if `loud`
    loud: bool = False
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # deaths in a row, each soon after its start
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        with open(self.log or os.devnull, "ab") as out:
            # preexec_fn: the supervisor runs no threads
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=None if self.loud else out, stderr=None if self.loud else out,
                                         preexec_fn=_die_with_parent)  # noqa: PLW1509
        self.started_at, self.restart_at = time.monotonic(), None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)  # the child and anything it started
        except (ProcessLookupError, PermissionError):
            pass


def _processes(n: int, kind: str = "") -> str:
    return f"{n} {kind}dashboard process{'es' if n != 1 else ''}"


def _say(message: str) -> None:
    """One line on stderr (control characters in a user's text written as escapes)."""
    if sys.stderr is not None:  # closed (`2>&-`): nowhere to say it
        line = re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", lambda m: repr(m.group())[1:-1], message)
        print(f"linviz serve: {line}", file=sys.stderr, flush=True)


class Hall:
    """The supervisor: starts the children, restarts any that die, stops them all on request."""

    def __init__(self, local: list[tuple[str, int]], remote: list[tuple[str, int]], port: int, address: str,
                 haproxy: str | None, workdir: Path, log_dir: Path | None = None):
        self._proxy_due = 0.0
        self.workdir = workdir
        self.local, self.remote, self.port, self.address = local, remote, port, address
        # one secret for all (Streamlit takes it from the environment only): a student redispatched to another
        # process keeps a valid XSRF cookie. Set it yourself to share it with other machines' processes.
        secret = env.COOKIE_SECRET.read() or secrets.token_hex(16)  # an empty one is none: make one
        child_env = {**os.environ, env.COOKIE_SECRET.name: secret}
        if local and env.MEMORY_MB.read() is None:  # unset: the processes share half of the machine's memory
            child_env[env.MEMORY_MB.name] = str(max(64, available_memory() // 2 // len(local) // 2**20))
        self.children: list[Child] = []
        for i, (host, p) in enumerate(local, 1):
            log = log_dir / f"streamlit-{p}.log" if log_dir else None
            self.children.append(Child(f"process {i} (port {p})", streamlit_argv(p, host), child_env, log=log))
        self.proxy: Child | None = None
        if haproxy:
            cfg = workdir / "haproxy.cfg"
            cfg.write_text(haproxy_config(local + remote, port, address))
            self.proxy = Child("haproxy", [haproxy, "-db", "-f", str(cfg)], child_env, loud=True)  # its UP/DOWN lines: the teacher's log
            self.children.append(self.proxy)

    def start(self) -> None:
        """The dashboard processes now; HAProxy once they answer (or after PROXY_WAIT_S), so that its log
        starts with processes up rather than a row of 'DOWN' lines."""
        for c in self.children:
            if c is not self.proxy:
                c.start()
        self._proxy_due = time.monotonic() + PROXY_WAIT_S

    def _local_up(self) -> bool:
        for host, p in self.local:
            try:
                urllib.request.urlopen(f"http://{_addr(_connectable(host), p)}/_stcore/health", timeout=1).read()
            except OSError:
                return False
        return True

    def tick(self) -> None:
        """One look at the children: a dead one is restarted, soon if it ran a while, later if it keeps dying."""
        now = time.monotonic()
        if self.proxy is not None and self.proxy.proc is None and (now >= self._proxy_due or self._local_up()):
            self.proxy.start()
        for c in self.children:
            if c.proc is None or c.alive():
                continue
            if c.restart_at is None:
                ran = now - c.started_at
                c.failures = 0 if ran >= STABLE_S else c.failures + 1
                delay = 0.0 if c.failures <= 1 else min(BACKOFF_MAX_S, 0.5 * 2 ** (c.failures - 1))
                c.restart_at = now + delay
                rc = c.proc.returncode
                how = f"was killed (signal {-rc})" if rc < 0 else f"stopped (exit status {rc})"
                _say(f"{c.name} {how} after {ran:.0f} s; restarting it"
                     + (f" in {delay:.1f} s (it keeps stopping)" if delay else "")
                     + ("" if c is self.proxy else "; its students' runs are lost, the others go on"))
            if now >= c.restart_at:
                c.restarts += 1
                c.start()

    def stop(self) -> None:
        """Every child: SIGTERM to its process group, then SIGKILL to those still alive after a grace time."""
        for c in self.children:
            c.signal_group(signal.SIGTERM)
        end = time.monotonic() + STOP_GRACE_S
        for c in self.children:
            if c.proc is None:
                continue
            try:
                c.proc.wait(timeout=max(0.0, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                c.signal_group(signal.SIGKILL)  # the child and anything it started
                try:
                    c.proc.wait(timeout=STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    _say(f"{c.name} (pid {c.proc.pid}) did not stop")

    def healthy(self) -> bool:
        """The proxy answers /_stcore/health (some process behind it is up)."""
        url = f"http://{_addr(_connectable(self.address), self.port)}"
        try:
            return urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok"
        except OSError:
            return False


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m linviz serve",
        description="Serve the dashboard to a lecture hall: N Streamlit processes behind HAProxy (sticky sessions, "
                    "websockets, restarts). Ctrl-C stops everything.")
    p.add_argument("--processes", type=int, default=None, metavar="N",
                   help=f"local dashboard processes (default: one per core, here {default_processes()}; 0: serve "
                        "only the --upstream addresses)")
    p.add_argument("--port", type=int, default=8501,
                   help="the proxy's port, where students connect (default 8501); with --no-proxy, the first "
                        "process's port (the others follow: PORT+1, ...)")
    p.add_argument("--address", default="0.0.0.0",
                   help="the proxy's bind address (default 0.0.0.0: the whole LAN); with --no-proxy, the "
                        "processes' bind address")
    p.add_argument("--upstream", action="append", default=[], metavar="HOST:PORT",
                   help="a dashboard process on another machine (repeatable), served alongside the local ones")
    p.add_argument("--haproxy", default=None, metavar="PATH", help="the HAProxy program (default: haproxy on PATH)")
    p.add_argument("--no-proxy", action="store_true",
                   help="start and supervise the processes only, for another machine's proxy (--upstream there)")
    p.add_argument("--log-dir", default=None, metavar="DIR",
                   help="write each process's output to DIR/streamlit-PORT.log (default: discarded)")
    return p


def find_haproxy() -> str | None:
    """haproxy on PATH, or where Debian puts it (/usr/sbin: not on a normal user's PATH)."""
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


@dataclass
class Plan:
    """What `serve` will start, every flag and variable checked (plan())."""
    args: argparse.Namespace
    local: list[tuple[str, int]]  # (address, port) of each local dashboard process
    log_dir: Path | None


def _shown(text: str, path: bool = False) -> str:
    """A user's value, quoted and cut to 60 characters: a path keeps its end (where it goes wrong, usually)."""
    if len(text) > 60:
        text = "..." + text[-57:] if path else text[:57] + "..."
    return repr(text)


def _parse(argv: list[str]):
    p = build_parser()

    def error(message):  # one line, no usage dump, no traceback; a long value it echoes is cut
        shown = message if len(message) <= 300 else message[:297] + "..."
        raise ServeError(f"{shown} (see python -m linviz serve --help)")
    p.error = error
    args = p.parse_args(argv)
    for flag in ("--processes", "--port", "--address", "--haproxy", "--log-dir", "--upstream"):
        value = getattr(args, flag[2:].replace("-", "_"))
        if isinstance(value, list) and (flag != "--upstream" or any(isinstance(v, list) for v in value)):
            error(f"argument {flag}: expected one value, not '--'")  # `--port=--`: argparse gives a list
    if args.processes is None:
        args.processes = default_processes()
    if not 0 <= args.processes <= MAX_PROCESSES:
        raise ServeError(f"--processes {args.processes}: must be from 0 to {MAX_PROCESSES:,} (one per core is the "
                         "default)")
    if not 1 <= args.port <= 65535:
        raise ServeError(f"--port {args.port}: must be between 1 and 65535")
    if args.no_proxy and args.port + args.processes - 1 > 65535:
        raise ServeError(f"--port {args.port} with --processes {args.processes}: the processes' ports "
                         f"{args.port}-{args.port + args.processes - 1} go past 65535; choose a lower --port")
    if not re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", args.address):
        raise ServeError(f"--address {_shown(args.address)}: expected an address of this machine, such as 0.0.0.0 (the "
                         "whole network), 127.0.0.1 or ::")
    args.upstreams = [parse_upstream(u) for u in args.upstream]
    if args.no_proxy and args.upstreams:
        raise ServeError("--upstream needs the proxy: leave out --no-proxy")
    if args.processes == 0 and not args.upstreams:
        raise ServeError("--processes 0 needs at least one --upstream HOST:PORT to serve")
    try:  # every variable the dashboard processes or serve read: a bad one is named before anything starts
        env.check("page", "serve")
    except env.EnvError as e:
        raise ServeError(str(e)) from None
    if not args.no_proxy:
        if args.haproxy is None:
            found = find_haproxy()
        else:  # a NUL in a path: no such program (shutil.which would raise)
            found = shutil.which(args.haproxy) if "\0" not in args.haproxy else None
        if not found:
            raise ServeError(
                (f"--haproxy {_shown(args.haproxy, path=True)}: no such program" if args.haproxy is not None
                 else "haproxy is not installed") + ". Install it with: sudo apt-get install haproxy (or pass "
                "--haproxy PATH)", EXIT_MISSING)
        args.haproxy = found
    return args


def check_log_dir(text: str) -> Path:
    """--log-dir's directory: one that exists and this user can write a file in, or that can be created (its nearest
    existing parent is a directory this user can write in). Creates nothing: a probe file (or directory) is removed
    at once. ServeError naming the flag otherwise: a file, a path through a file, /proc, a read-only place, ..."""
    def bad(why: str) -> ServeError:
        return ServeError(f"--log-dir {_shown(text, path=True)}: {why}; give a directory this user can write in "
                          "(it is created if missing)")
    if not text.strip():
        raise bad("an empty path")
    if "\0" in text:
        raise bad("a path cannot contain a NUL character")
    try:
        path = Path(text).absolute()
        existing = path
        while True:  # the nearest part of the path that exists ("/" does)
            try:
                mode = os.stat(existing).st_mode
                break
            except FileNotFoundError:
                existing = existing.parent
        if not stat.S_ISDIR(mode):
            raise bad("not a directory" if existing == path
                      else f"{_shown(str(existing), True)} is a file, not a directory")
        try:
            if existing == path:
                with tempfile.TemporaryFile(dir=path, prefix=".linviz-probe-"):
                    pass
            else:
                os.rmdir(tempfile.mkdtemp(dir=existing, prefix=".linviz-probe-"))
        except OSError as e:
            where = "it" if existing == path else _shown(str(existing), True)
            raise bad(f"cannot write in {where} ({e.strerror or e})") from None
    except ServeError:
        raise
    except (OSError, ValueError) as e:  # a name too long, a directory this user cannot enter, ...
        raise bad(f"cannot use it ({getattr(e, 'strerror', None) or e})") from None
    return path


def plan(argv: list[str]) -> Plan:
    """Everything `serve` checks before it starts anything: the flags, the environment variables (linviz/env.py), the
    ports it listens on and the log directory. Starts nothing; raises ServeError (one line for the teacher, its exit
    status in `.status`), or SystemExit for --help (printed)."""
    args = _parse(argv)
    ports = [args.port + i for i in range(args.processes)] if args.no_proxy else [args.port]
    for p in ports:
        if not _can_listen(args.address, p):
            raise ServeError(f"--port {args.port}: cannot listen on {_addr(args.address, p)} (in use, or not an "
                             "address of this machine); choose another --port or --address")
    if args.no_proxy:
        local = [(args.address, args.port + i) for i in range(args.processes)]
    else:
        local = [("127.0.0.1", free_port()) for _ in range(args.processes)]
    log_dir = check_log_dir(args.log_dir) if args.log_dir is not None else None
    for _, p in local if log_dir else []:
        log = log_dir / f"streamlit-{p}.log"
        if os.path.lexists(log) and not log.is_file():
            raise ServeError(f"--log-dir {_shown(args.log_dir, path=True)}: {log.name} there is not a file; remove "
                             "it or choose another --log-dir")
    return Plan(args, local, log_dir)


def main(argv: list[str] | None = None, *, start: bool = True) -> int:
    """`python -m linviz serve`: its exit status (see the module's doc); one line on stderr for anything it refuses.
    `start=False` checks everything and says what it would start, starting nothing (a dry run, for the tests)."""
    stdout = sys.stdout
    sys.stdout = env.GuardedStdout(stdout)  # --help to a closed or full stdout: one line, not a traceback
    try:
        try:
            the_plan = plan(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as e:  # --help, printed
            sys.stdout.flush()
            return e.code if isinstance(e.code, int) else EXIT_OK
    except ServeError as e:
        _say(str(e))
        return e.status
    except env.OutputError as e:
        env.discard_stdout(stdout)
        _say(f"cannot write the output: {e.strerror}")
        return EXIT_OUTPUT
    except Exception as e:  # noqa: BLE001 (a bug: one line, its own status)
        return _internal_error(e)
    finally:
        sys.stdout = stdout
    try:
        return _serve(the_plan) if start else _dry_run(the_plan)
    except ServeError as e:
        _say(str(e))
        return e.status
    except Exception as e:  # noqa: BLE001 (a bug: one line, its own status)
        return _internal_error(e)


def _internal_error(e: Exception) -> int:
    if env.debug():
        raise e
    _say(f"internal error ({type(e).__name__}: {str(e)[:200]}). This is a bug in linviz; LINVIZ_DEBUG=1 shows the "
         "traceback.")
    return EXIT_INTERNAL


def _dry_run(plan: Plan) -> int:
    args = plan.args
    where = f"on {args.address}" if args.no_proxy else f"behind HAProxy on port {args.port}"
    _say(f"checked, nothing started: {_processes(len(plan.local), 'local ')} {where}"
         + (f", {len(args.upstreams)} on other machines" if args.upstreams else "")
         + (f", logs in {plan.log_dir}" if plan.log_dir else ""))
    return EXIT_OK


def _serve(plan: Plan) -> int:
    args, local, log_dir = plan.args, plan.local, plan.log_dir
    if log_dir:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ServeError(f"--log-dir {_shown(args.log_dir, path=True)}: cannot create it "
                             f"({e.strerror or e})") from None

    stop_signal = []

    def on_signal(signum, frame):
        stop_signal.append(signum)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    with tempfile.TemporaryDirectory(prefix="linviz-serve-") as tmp:
        hall = Hall(local, args.upstreams, args.port, args.address, None if args.no_proxy else args.haproxy,
                    Path(tmp), log_dir)
        try:
            hall.start()
            if args.no_proxy:
                here = (lan_address() or socket.gethostname()) if args.address in ("0.0.0.0", "::") else args.address
                _say(f"{_processes(len(local))} on {args.address}, ports {local[0][1]}-{local[-1][1]}. "
                     "On the proxy machine add: " + " ".join(f"--upstream {here}:{p}" for _, p in local))
            else:
                ups = f" and {len(args.upstreams)} on other machines" if args.upstreams else ""
                _say(f"{_processes(len(local), 'local ')}{ups} behind HAProxy on port {args.port}; starting...")
            announced = args.no_proxy
            while not stop_signal:
                hall.tick()
                if not announced and hall.healthy():
                    announced = True
                    lan = lan_address() if args.address in ("0.0.0.0", "::") else args.address
                    where = f"http://{_addr(lan, args.port)}" if lan else f"port {args.port} of this machine"
                    _say(f"ready: students open {where} (on this machine: http://{_addr(_connectable(args.address), args.port)}). "
                         "Ctrl-C stops everything.")
                time.sleep(0.2)
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave children behind
            _say("stopping...")
            hall.stop()
    _say("stopped")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
