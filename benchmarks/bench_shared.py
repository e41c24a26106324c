"""A shared server under a class and three heavy links: memory, exceptions, refusals, and memory given back.

    python benchmarks/bench_shared.py                 # 30 students + 3 heavy links, one process behind serve
    python benchmarks/bench_shared.py --students 8    # a lighter class

One process under `python -m linviz serve --processes 1` (HAProxy in front), its memory budget set with
LINVIZ_MEMORY_MB. 30 light students (benchmarks/ws_student.py: Streamlit's own websocket protocol) each train the
7-weight tutorial for 200 epochs, while three students open heavy links and press Train: two of 10M samples x 30
weights (one epoch; opening the page analyses the data) and Adam on 3M samples at batch 1 (one epoch: 3M steps).
Each heavy run is admitted (then it must finish with its settings) or refused (then its page must say why): with
--budget-mb 3072 one 10M run alone does not fit; with 12288 the first fits and the second does not fit beside it. Printed: the process's peak memory against the budget, every page that showed
an exception, whether each admitted run finished with its own settings, what each refused one said, the health
check's p95 during the lecture, and the process's memory at the start (after one page has loaded and trained the
tutorial, so that the imports and one-time buffers every page needs are counted) against its memory after every session has closed and Streamlit has dropped
them (server.disconnectedSessionTTL, 120 s by default).

Exit status 0 when: memory stayed under the budget, no page showed an exception, every admitted run finished with
its settings, every refused one said why, and memory came back to within 20 % of the start.
"""
import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_hall import children, start_group
from bench_streaming import QUERY, group_rss_mb, health_p95
from ws_student import Student

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {  # name -> link. Each is admitted (then it must finish with its settings) or refused (then it must say why)
    "10M x 30 (a)": "samples=10000000&epochs=1&weights=" + ",".join(["1"] * 30),
    "10M x 30 (b)": "samples=10000000&epochs=1&weights=" + ",".join(["1"] * 30),
    "Adam 3M, batch 1": "samples=3000000&optimizer=adam&batch_size=1&lr=1e-3&epochs=1",
}
REFUSED_WORDS = ("This run could not start", "may use at most")  # a run the ledger refused; a setting too big
BACK_WITHIN = 0.20  # memory after everyone left, within this share of the start


class Watched(Student):
    """A student that also keeps every exception its page shows."""

    def __init__(self, url: str, query: str):
        super().__init__(url, query)
        self.exceptions: list[str] = []

    def _element(self, el):
        if el.WhichOneof("type") == "exception":
            self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
        super()._element(el)


def anon_mb(pids) -> float:
    """Anonymous resident memory (the heap: what sessions allocate, not the libraries' mapped code)."""
    total = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                total += int(line.split()[1])
    return total / 1024


def streamlit_pids(proc) -> list[int]:
    """The Streamlit process (not serve itself, nor HAProxy): the one that holds the sessions."""
    out = []
    for p in children(proc.pid):
        try:
            if b"streamlit" in Path(f"/proc/{p}/cmdline").read_bytes():
                out.append(p)
        except OSError:
            pass
    return out


async def sample_peak(pids, stop: asyncio.Event, out: list) -> None:
    while not stop.is_set():
        out.append(group_rss_mb(pids))
        await asyncio.sleep(0.2)


async def lesson(url: str, pids, n: int, timeout: float) -> dict:
    warm = Watched(url, "")  # one page trains the tutorial first: the imports and one-time buffers every run needs
    async with warm:
        await warm.open()
        await warm.train()
        await warm.watch_until_done(60)
    await asyncio.sleep(2)
    start_mb, start_anon = group_rss_mb(pids), anon_mb(pids)
    light = [Watched(url, QUERY) for _ in range(n)]
    heavy = {name: Watched(url, q) for name, q in HEAVY.items()}
    stop, peaks = asyncio.Event(), []
    sampler = asyncio.create_task(sample_peak(pids, stop, peaks))
    health = asyncio.create_task(health_p95(url, stop))
    everyone = [*light, *heavy.values()]
    t0 = time.perf_counter()
    try:
        for i, s in enumerate(everyone):  # a class following a link within a few seconds
            await s.__aenter__()
            await asyncio.sleep(0.05 if i < n else 0)
        await asyncio.gather(*(s.open(timeout=300) for s in everyone))
        await asyncio.gather(*(s.train() for s in everyone))
        done = await asyncio.gather(*(s.watch_until_done(timeout) for s in light),
                                    *(outcome(s, timeout) for s in heavy.values()))
        await asyncio.sleep(3)  # the last redraws arrive
        seconds = time.perf_counter() - t0
    finally:
        stop.set()
        p95 = await health
        await sampler
        for s in everyone:
            await s.__aexit__()
    return {"start": start_mb, "start anon": start_anon, "peak": max(peaks), "seconds": seconds, "health p95": p95, "light": light,
            "heavy": heavy, "done": done}


def refusal(s: Student) -> str | None:
    """The words of a refusal on this student's page (checks.py's or memory.py's message), if any."""
    return next((w for w in REFUSED_WORDS if w in s.text), None)


async def outcome(s: Student, timeout: float) -> bool:
    """A heavy link: until its run finished or its page said why it was refused; False when neither came."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if s.done_at is not None or refusal(s):
            return True
        await asyncio.sleep(0.2)
    return False


async def memory_back(pids, start_mb: float, wait_s: float) -> tuple[float, float]:
    """Wait until the process's memory is within BACK_WITHIN of the start (or `wait_s`): (memory, seconds)."""
    t0 = time.perf_counter()
    mb = group_rss_mb(pids)
    while time.perf_counter() - t0 < wait_s:
        mb = group_rss_mb(pids)
        if mb <= start_mb * (1 + BACK_WITHIN):
            break
        await asyncio.sleep(2)
    return mb, time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="a shared server under a class and three heavy links")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--budget-mb", type=int, default=3072, help="LINVIZ_MEMORY_MB of the process")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds an admitted run may take")
    parser.add_argument("--wait-back", type=float, default=240.0, help="seconds to wait for memory to come back")
    args = parser.parse_args(argv)
    proc, url = start_group(1, None, {"LINVIZ_MEMORY_MB": str(args.budget_mb)})
    try:
        pids = streamlit_pids(proc)
        r = asyncio.run(lesson(url, pids, args.students, args.timeout))
        back_mb, back_s = asyncio.run(memory_back(pids, r["start"], args.wait_back))
        back_anon = anon_mb(pids)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    light, heavy = r["light"], r["heavy"]
    everyone = [*light, *heavy.values()]
    bad_pages = [(i, e) for i, s in enumerate(everyone) for e in s.exceptions]
    said = {k: refusal(s) for k, s in heavy.items()}
    own = [s.epoch == s.epochs == 200 for s in light] + [s.epoch == s.epochs >= 1 for k, s in heavy.items()
                                                          if not said[k]]
    late = sorted(s.done_at - s.trained_at for s in light if s.done_at)
    print(f"one process behind serve, LINVIZ_MEMORY_MB={args.budget_mb}: {args.students} students training the "
          f"7-weight tutorial (200 epochs) + {len(HEAVY)} heavy links, {r['seconds']:.0f} s")
    print(f"  memory: start {r['start']:.0f} MB (after one page trained the tutorial), peak {r['peak']:.0f} MB, budget "
          f"{args.budget_mb} MB above the start -> {'under' if r['peak'] <= r['start'] + args.budget_mb else 'OVER'}")
    print(f"  pages with an exception: {len(bad_pages)} {bad_pages[:3]}")
    print(f"  admitted runs finished with their own settings: {sum(own)}/{len(own)} "
          f"(the class's runs took {statistics.median(late) if late else float('nan'):.1f} s median, "
          f"{late[-1] if late else float('nan'):.1f} s the last)")
    for k, s in heavy.items():
        if said[k]:
            line = next((ln for ln in s.text.splitlines() if said[k] in ln), "")
            print(f"  {k}: refused, said why: {line.strip()[:170]}")
        else:
            print(f"  {k}: admitted, epoch {s.epoch} of {s.epochs}")
    print(f"  health check p95 during the lecture: {r['health p95']:.0f} ms")
    print(f"  memory after every session closed: {back_mb:.0f} MB after {back_s:.0f} s "
          f"({100 * (back_mb / r['start'] - 1):+.0f} % of the start; target within {BACK_WITHIN:.0%}); its heap "
          f"(RssAnon) {r['start anon']:.0f} -> {back_anon:.0f} MB")
    ok = (r["peak"] <= r["start"] + args.budget_mb and not bad_pages and all(own) and all(r["done"])
          and back_mb <= r["start"] * (1 + BACK_WITHIN))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
