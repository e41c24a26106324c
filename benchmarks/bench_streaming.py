"""How many students one dashboard process streams at lecture speed: light websocket students (ws_student.py), all
training the tutorial with 7 weights for 200 epochs at 20 epochs/s (the ideal run: 10 s) at once.

    python benchmarks/bench_streaming.py                       # 1, 5, 10, 20 students, no training cap
    python benchmarks/bench_streaming.py --students 1 10 40 --cap 4

For each number of students, one fresh server (`streamlit run dashboard.py`, loopback only): the students connect
within a second, press Train together and watch to the end (bounded: --timeout). Prints per row: share finished,
lateness (time to the last epoch minus the ideal 10 s: median / p90 / max), split into the median start (Train
to epoch 1 on screen: the script run that starts the run) and the median time behind the pace after that (epoch 1
to the last, minus the ideal 9.95 s), live-chart updates per second per student (median; each update carries both charts' new epochs), KB per second per student, the server's CPU over
the run (% of one core; this machine has os.cpu_count() cores) and per student, its memory, and /_stcore/health
latency p95 while they trained. Timings are noisy: compare rows of one invocation.
"""
import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import free_port
from ws_student import Student

QUERY = "weights=2,3,4,7,11,5,13&lr=1.7e-5&epochs=200"  # the preset "The tutorial with 7 weights", 200 epochs
IDEAL_S = 200 / 20  # 200 epochs at the default speed of 20 epochs/s


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(checkout: Path = ROOT, cap: int | None = None):
    """`streamlit run dashboard.py` of `checkout` on a free loopback port, once healthy: (process, url). `cap`:
    training slots (LINVIZ_MAX_TRAININGS); None leaves the server's default."""
    port = free_port()
    env = {**os.environ, **({"LINVIZ_MAX_TRAININGS": str(cap)} if cap is not None else {})}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=checkout, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("streamlit did not start")


async def health_p95(url: str, stop: asyncio.Event) -> float:
    """/_stcore/health latency p95 (ms), polled every 0.2 s until `stop`."""
    lat = []

    def once():
        t = time.perf_counter()
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=10).read()
        except OSError:
            return 10_000.0
        return (time.perf_counter() - t) * 1000

    while not stop.is_set():
        lat.append(await asyncio.to_thread(once))
        await asyncio.sleep(0.2)
    return statistics.quantiles(lat, n=20)[-1] if len(lat) >= 2 else (lat or [float("nan")])[0]


def group_cpu_s(pids) -> float:
    """CPU seconds of the server: one process, or a group (`python -m linviz serve`'s processes and its proxy)."""
    return sum(cpu_s(p) for p in _alive(pids))


def group_rss_mb(pids) -> float:
    return sum(rss_mb(p) for p in _alive(pids))


def _alive(pids) -> list[int]:
    pids = pids() if callable(pids) else [pids] if isinstance(pids, int) else pids
    return [p for p in pids if Path(f"/proc/{p}").exists()]


async def lecture(url: str, pid, n: int, timeout: float) -> dict:
    """`pid`: the server's process id, or a list of them, or a function returning them (a group's)."""
    students = [Student(url, QUERY) for _ in range(n)]
    async with asyncio.TaskGroup() as tg:  # connect within about a second, as a class following a link does
        for i, s in enumerate(students):
            tg.create_task(_open(s, i / max(n, 1)))
    stop = asyncio.Event()
    health = asyncio.create_task(health_p95(url, stop))
    cpu0, t0, mine0 = group_cpu_s(pid), time.perf_counter(), time.process_time()
    bytes0 = [s.bytes for s in students]
    try:
        await asyncio.gather(*(s.train() for s in students))
        done = await asyncio.gather(*(s.watch_until_done(timeout) for s in students))
        seconds, cpu, mine = time.perf_counter() - t0, group_cpu_s(pid) - cpu0, time.process_time() - mine0
        stop.set()
        p95 = await health
        late = sorted((s.done_at - s.trained_at) - IDEAL_S for s in students if s.done_at)
        start = sorted(s.started_at - s.trained_at for s in students if s.started_at)
        pace = sorted((s.done_at - s.started_at) - (IDEAL_S - 1 / 20) for s in students if s.done_at and s.started_at)
        return {"students": n, "finished": sum(done), "late": late, "seconds": seconds,
                "start": statistics.median(start) if start else float("nan"),
                "pace": statistics.median(pace) if pace else float("nan"),
                "updates/s": statistics.median(s.updates_per_s() for s in students),
                "KB/s": statistics.median((s.bytes - b) / 1024 / seconds for s, b in zip(students, bytes0)),
                "cpu %": 100 * cpu / seconds, "rss MB": group_rss_mb(pid), "health p95 ms": p95,
                "client cpu %": 100 * mine / seconds}
    finally:
        stop.set()
        for s in students:
            await s.__aexit__()


async def _open(s: Student, delay: float):
    await asyncio.sleep(delay)
    await s.__aenter__()
    await s.open()


def quantile(late: list[float], p: float) -> float:
    """The p-quantile of sorted lateness (nan when nobody finished)."""
    return late[min(len(late) - 1, int(p * len(late)))] if late else float("nan")


def row(r: dict) -> str:
    late = r["late"]
    q = lambda p: quantile(late, p)
    return (f"{r['students']:>8} | {r['finished']:>3}/{r['students']:<3} | {q(0.5):6.1f} / {q(0.9):6.1f} / "
            f"{(late or [float('nan')])[-1]:6.1f} s | {r['start']:5.1f} s | {r['pace']:5.1f} s | {r['updates/s']:5.1f} | {r['KB/s']:6.1f} | {r['cpu %']:5.0f}% "
            f"| {r['cpu %'] / r['students']:5.1f}% | {r['rss MB']:5.0f} MB | {r['health p95 ms']:6.0f} ms "
            f"| {r['client cpu %']:4.0f}%")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    ap.add_argument("--cap", type=int, default=0, help="training slots per process (0: none)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a student watches before giving up")
    ap.add_argument("--checkout", default=str(ROOT), help="the checkout whose dashboard.py to serve")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; tutorial with 7 weights, 200 epochs at 20 epochs/s (ideal {IDEAL_S:.0f} s); "
          f"training cap {args.cap or 'none'}; {args.checkout}; one fresh server per row")
    print("students | finished | late median / p90 / max | start | behind | upd/s | KB/s  | server CPU | per student | memory | health p95 "
          "| these students' CPU")
    for n in args.students:
        proc, url = start_server(Path(args.checkout), args.cap or 100_000)
        try:
            print(row(asyncio.run(lecture(url, proc.pid, n, args.timeout))), flush=True)
        finally:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
