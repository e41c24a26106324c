#!/usr/bin/env bash
# One short check of the CUDA path, for a machine with an NVIDIA GPU and PyTorch (no Streamlit needed).
#   bash benchmarks/gpu_check.sh [OUTDIR]
# Runs the core test suite (everything that does not drive the page) with auto -> cuda, the CLI on cuda,
# and a side-by-side cpu/cuda timing. The page's tests need Streamlit and a browser; CI runs those.
set -u
out=${1:-/tmp}
export PYTHONUNBUFFERED=1
nvidia-smi -L
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0))"
core=$(grep -L "streamlit\|helpers_page\|playwright\|AppTest\|linviz_app\|dashboard" tests/test_*.py)
pip_x=$(python3 -c "import xdist" 2>/dev/null && echo "-n 8")
timeout 300 python3 -m pytest -q -o addopts=-ra -p no:cacheprovider $pip_x $core 2>&1 | tee "$out/core_tests.log" | tail -25
echo "== CLI on cuda, the tutorial's seven weights"
python3 -m linviz --device cuda --weights 2,3,4,7,11,5,13 --print-every 25
echo "== CLI sweep on cuda"
python3 -m linviz --device cuda --lr 1e-5,2e-5,4e-5,8e-5 --print-every 50
echo "== cpu vs cuda, same data, side by side (median of 5)"
timeout 200 python3 - <<'PY'
import statistics, time
import numpy as np, torch
torch.set_num_threads(1)
from linviz import RunConfig, Trainer, make_dataset
def run(cfg, data):
    t = Trainer(cfg, data); s = time.perf_counter()
    while not t.done: t.step()
    if cfg.device == "cuda": torch.cuda.synchronize()
    return time.perf_counter() - s, t.state
cases = {
 "tutorial (10 samples, 4 weights, batch 1, 100 epochs)": RunConfig(),
 "100k samples x 100 weights, batch 1000, 5 epochs": RunConfig(true_weights=tuple(range(1, 101)), n_samples=100_000, batch_size=1000, lr=1e-7, epochs=5),
 "1M samples x 1000 weights, full batch, 20 epochs": RunConfig(true_weights=tuple(float(i % 10 + 1) for i in range(1000)), n_samples=1_000_000, batch_size=1_000_000, lr=1e-9, epochs=20),
 "64-lr sweep, tutorial data, 100 epochs": RunConfig(lr=tuple(1e-6 * (i + 1) for i in range(64))),
}
for name, cfg in cases.items():
    data = make_dataset(cfg)
    times = {"cpu": [], "cuda": []}; finals = {}
    for _ in range(5):
        for dev in ("cpu", "cuda"):
            dt, st = run(cfg.replace(device=dev), data); times[dev].append(dt); finals[dev] = st
    c, g = statistics.median(times["cpu"]), statistics.median(times["cuda"])
    wc = np.asarray(finals["cpu"].weights); wg = np.asarray(finals["cuda"].weights)
    err = float(np.max(np.abs(wc - wg) / np.maximum(1e-12, np.abs(wc))))
    print(f"{name}: cpu {c*1e3:.1f} ms, cuda {g*1e3:.1f} ms, cpu/cuda {c/g:.2f}x, max rel diff of final weights {err:.1e}")
PY
