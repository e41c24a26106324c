"""Core speed, measured side by side in one process against the tutorial's literal loop.

    python benchmarks/bench_core.py [--repeats 7]

Prints four ratios (medians over interleaved repeats; these machines are noisy):
  1. tutorial configuration: literal loop time / linviz time          (target >= 1.1)
  2. 32-value lr sweep time / one run time, same engine and data       (target <= 1.2)
  3. batch-1 epoch, 20,000 samples x 100 weights: steps/s ratio        (target >= 10)
  4. learning-rate ladder (6 lrs around the threshold) / one run        (target <= 1.2)
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from linviz import RunConfig, Trainer, make_dataset, tutorial_train
from linviz.analysis import LADDER, analyze, ladder


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run_core(cfg, data):
    trainer = Trainer(cfg, data)
    while not trainer.done:
        trainer.step()
    return trainer.state


def literal(cfg, data, w0):
    return list(tutorial_train(data.X, data.y, w0, cfg.lr, cfg.epochs))[-1][1]


def median_ratio(pairs):
    a, b = zip(*pairs)
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in pairs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    n = ap.parse_args().repeats
    torch.set_num_threads(1)
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)  # first use imports torch._dynamo (~1 s)
    ok = True

    cfg = RunConfig(device="cpu")
    data = make_dataset(cfg)
    w0 = Trainer(cfg, data).state.run(0).weights
    pairs, diff = [], 0.0
    for _ in range(n):
        t_lit, w_lit = timed(lambda: literal(cfg, data, w0))
        t_core, s = timed(lambda: run_core(cfg, data))
        pairs.append((t_lit, t_core))
        diff = max(diff, float(np.abs(s.run(0).weights - w_lit).max() / np.abs(w_lit).max()))
    t_lit, t_core, r1 = median_ratio(pairs)
    ok &= r1 >= 1.1
    print(f"1. tutorial config (4 weights, 10 samples, 100 epochs): literal {t_lit * 1e3:.1f} ms, "
          f"linviz {t_core * 1e3:.2f} ms -> {r1:.1f}x faster (target >= 1.1x); "
          f"max relative weight difference {diff:.1e}")

    one = RunConfig(epochs=1000, device="cpu")
    sweep = one.replace(lr=tuple(np.geomspace(1e-6, 5e-5, 32)))
    pairs = [(timed(lambda: run_core(sweep, data))[0], timed(lambda: run_core(one, data))[0]) for _ in range(n)]
    t_sweep, t_one, r2 = median_ratio(pairs)
    ok &= r2 <= 1.2
    print(f"2. 32-value lr sweep, tutorial data, 1,000 epochs: sweep {t_sweep * 1e3:.0f} ms, one run "
          f"{t_one * 1e3:.0f} ms -> {r2:.2f}x the time of one run (target <= 1.2x)")

    big = RunConfig(true_weights=tuple(range(1, 101)), n_samples=20_000, lr=1e-7, epochs=1, device="cpu")
    bdata = make_dataset(big)
    bw0 = Trainer(big, bdata).state.run(0).weights
    sub = 2_000  # the literal loop's steps/s does not depend on N; timing 2,000 of its steps keeps this short
    pairs = []
    for _ in range(max(3, n // 2)):
        t_lit, _ = timed(lambda: list(tutorial_train(bdata.X[:sub], bdata.y[:sub], bw0, big.lr, 1)))
        t_core, _ = timed(lambda: run_core(big, bdata))
        pairs.append((big.n_samples / t_core, sub / t_lit))
    sps_core, sps_lit, r3 = median_ratio(pairs)
    ok &= r3 >= 10
    print(f"3. batch-1 epoch, 20,000 samples x 100 weights: linviz {sps_core:,.0f} steps/s, literal "
          f"{sps_lit:,.0f} steps/s -> {r3:.1f}x (target >= 10x)")
    a = analyze(one)
    ladder_cfg = ladder(one, a)  # 0.1 .. 1.5 x the threshold: two of its six runs diverge and freeze
    pairs = [(timed(lambda: run_core(ladder_cfg, data))[0], timed(lambda: run_core(one, data))[0]) for _ in range(n)]
    t_ladder, t_one, r4 = median_ratio(pairs)
    ok &= r4 <= 1.2
    print(f"4. lr ladder ({', '.join(f'{f:g}' for f in LADDER)} x threshold), 1,000 epochs: {t_ladder * 1e3:.0f} ms, "
          f"one run {t_one * 1e3:.0f} ms -> {r4:.2f}x (target <= 1.2x)")
    print("all targets hold" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
