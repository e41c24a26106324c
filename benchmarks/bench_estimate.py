"""The run-time estimate (linviz/estimate.py) against measured training time, for a spread of settings.

    python benchmarks/bench_estimate.py

The estimate only decides whether to warn about runs longer than a minute: within 2-3x is good enough.
"""
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from linviz import RunConfig, Trainer
from linviz.estimate import estimate_seconds

W100 = tuple(range(1, 101))
CONFIGS = [RunConfig(epochs=2000), RunConfig(n_samples=100_000, epochs=20),
           RunConfig(n_samples=20_000, true_weights=W100, lr=1e-7, epochs=20),
           RunConfig(n_samples=20_000, true_weights=W100, lr=(1e-7,) * 8, epochs=10),
           RunConfig(n_samples=200_000, true_weights=W100, lr=1e-7, batch_size=200_000, epochs=10),
           RunConfig(n_samples=1000, optimizer="momentum", lr=1e-6, epochs=50),
           RunConfig(n_samples=1000, optimizer="adam", epochs=30), RunConfig(n_samples=1000, lr=(1e-6,) * 32, epochs=200),
           RunConfig(n_samples=200_000, optimizer="momentum", batch_size=1, lr=1e-6, epochs=1),
           RunConfig(n_samples=200_000, optimizer="adam", batch_size=1, lr=1e-3, epochs=1),
           RunConfig(n_samples=200_000, optimizer="adam", batch_size=32, lr=1e-3, epochs=5)]


def main():
    torch.set_num_threads(1)
    worst = 1.0
    for cfg in CONFIGS:
        t = Trainer(cfg)
        t0 = time.perf_counter()
        while not t.done:
            t.step()
        measured, est = time.perf_counter() - t0, estimate_seconds(cfg)
        worst = max(worst, est / measured, measured / est)
        print(f"{cfg.n_train:>8,} samples x {cfg.n_weights:>4} weights, batch {cfg.batch_size:>7,}, {cfg.optimizer:<8} "
              f"R={len(cfg.lrs):<3} {cfg.epochs:>5} epochs: estimated {est:7.3f} s, measured {measured:7.3f} s")
    print(f"worst ratio {worst:.2f}x (target <= 3x)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
