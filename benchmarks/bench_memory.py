"""The memory estimates behind the server's ledger (linviz/checks.py, linviz/memory.py) against what is measured.

    python benchmarks/bench_memory.py          # every setting below, each in a fresh process
    python benchmarks/bench_memory.py --quick  # a few

For each setting, a fresh Python process imports everything (as a server has), then does what the page does:
a run (LiveRun.start, then training for up to 2 s of slices, one epoch for the small ones) or an analysis
(session.cached_analysis's analyze). Measured: the process's peak resident memory (ru_maxrss) above its resident
memory just before. The estimate must never be below the measurement: the ledger admits runs by it. Exit status 1
when one is.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
W30, W100 = (1.0,) * 30, tuple(range(1, 101))
RUNS = [  # (what, settings): every optimizer at batch 1, a middle batch and the whole set; sweeps, shuffle, splits
    *[("run", {"optimizer": o, "batch_size": b, "n_samples": n, "lr": 1e-6})
      for o in ("sgd", "momentum", "adam") for b, n in ((1, 1_000_000), (32, 1_000_000), (200_000, 200_000))],
    ("run", {"optimizer": "adam", "batch_size": 1, "n_samples": 3_000_000, "lr": 1e-3}),
    ("run", {"optimizer": "momentum", "batch_size": 1, "n_samples": 200_000, "shuffle": True, "lr": 1e-6}),
    ("run", {"optimizer": "sgd", "batch_size": 1, "n_samples": 20_000, "true_weights": W100, "lr": 1e-7}),
    ("run", {"optimizer": "sgd", "batch_size": 4, "n_samples": 100_000, "lr": [1e-6] * 8}),
    ("run", {"optimizer": "adam", "batch_size": 16, "n_samples": 300_000, "true_weights": W30, "shuffle": True,
             "test_fraction": 0.2, "standardize": True, "noise_std": 1.0, "lr": 1e-3}),
    ("analysis", {"n_samples": 10_000_000, "true_weights": W30}),
    ("analysis", {"n_samples": 3_000_000, "optimizer": "adam", "batch_size": 1}),
    ("analysis", {"n_samples": 1_000_000, "optimizer": "momentum"}),
    ("analysis", {"n_samples": 2_000_000, "true_weights": W30, "test_fraction": 0.1, "noise_std": 1.0,
                  "standardize": True}),
    ("analysis", {"n_samples": 20_000, "true_weights": W100}),
]
QUICK = [RUNS[3], RUNS[6], RUNS[9], RUNS[15]]

CHILD = r"""
import json, resource, sys, time
import torch
torch.set_num_threads(1)
from linviz_app import preload
preload.warm()
from linviz import RunConfig
from linviz.checks import analysis_needed, memory_needed
from linviz.memory import rss
from linviz_app.live import LiveRun
from linviz.analysis import analyze
what, settings = json.loads(sys.argv[1])
if isinstance(settings.get("lr"), list):
    settings["lr"] = tuple(settings["lr"])
if "true_weights" in settings:
    settings["true_weights"] = tuple(settings["true_weights"])
cfg = RunConfig(epochs=1, **settings)
before = rss()
t0 = time.perf_counter()
if what == "run":
    estimate = memory_needed(cfg)
    live = LiveRun()
    live.start(cfg)
    assert live.trainer is not None, live.notice
    live.train_for(2.0)
else:
    estimate = analysis_needed(cfg)
    analyze(cfg)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"estimate": estimate, "measured": peak - before, "seconds": time.perf_counter() - t0}))
"""


def measure(what: str, settings: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps([what, settings])], check=False, cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise SystemExit(f"{what} {settings}: the child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def describe(settings: dict) -> str:
    s = dict(settings)
    w = s.pop("true_weights", (0,) * 4)
    return f"{s.pop('n_samples'):>10,} x {len(w):<3} " + " ".join(f"{k}={v}" for k, v in s.items() if k != "lr")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="memory estimates vs measured peaks")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    below = 0
    print(f"{'what':<9}{'setting':<70}{'estimate':>10}{'measured':>10}{'est/meas':>9}")
    for what, settings in QUICK if args.quick else RUNS:
        m = measure(what, settings)
        ratio = m["estimate"] / max(m["measured"], 1)
        below += ratio < 1
        print(f"{what:<9}{describe(settings):<70}{m['estimate'] / 2**20:>8,.0f}MB{m['measured'] / 2**20:>8,.0f}MB"
              f"{ratio:>8.2f}x{'  BELOW' if ratio < 1 else ''}", flush=True)
    print(f"{below} estimate(s) below the measurement (target: 0)")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
