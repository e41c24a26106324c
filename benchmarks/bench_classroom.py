"""A classroom's figures: N students training at once on one dashboard server, in Chromium.

    python benchmarks/bench_classroom.py                 # 8 students, 4 training slots, 150 epochs each
    python benchmarks/bench_classroom.py --students 16 --cap 4

Prints the /_stcore/health latency while they train (p50, p95; the README quotes a p95 of ~50 ms on 2 cores),
each student's time from pressing Train to the last epoch on screen (median, max), whether someone waited
for a training slot, and the server's memory before and after they left. Writes the same lines to
artifacts/classroom-load.txt. The scenario is tests/e2e/classroom.py, which tests/e2e/test_classroom.py checks
for correctness; timing belongs here, not in a test, because a busy CI machine makes any bound flaky.
Needs Chromium (apt-get install chromium; or LINVIZ_CHROMIUM=/path/to/chromium).
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from classroom import run_classroom
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=8)
    ap.add_argument("--cap", type=int, default=4, help="training slots (LINVIZ_MAX_TRAININGS)")
    ap.add_argument("--epochs", type=int, default=150)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: apt-get install chromium, or set LINVIZ_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            room = run_classroom(browser, sessions=args.students, cap=args.cap, epochs=args.epochs,
                                 measure_health=True, log_name="streamlit-bench-classroom.log")
        finally:
            browser.close()
    report = room.summary()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "classroom-load.txt").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
