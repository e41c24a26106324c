"""What this machine can run: its devices and free memory, checked where a run starts, never by RunConfig.

A RunConfig is a pure value: it is valid or not whatever the machine. Whether *this* machine can train it
(is CUDA here, is there memory for 4.6M samples x 1000 weights) is asked here: by the Trainer, where every
run starts, and earlier by the doors that name a bad field before anything runs (the page's sidebar and
links, the CLI before it trains or analyses).
"""
import os

from .analysis_cost import analysis_memory
from .config import RunConfig
from .devices import available_devices, why_missing
from .errors import ConfigError
from .fields import BY_ATTR
from .say import Msg


def check_machine(cfg: RunConfig) -> None:
    """Raise ConfigError (naming the field) when this machine cannot run cfg: its device or its memory."""
    check_device(cfg.device)
    need, have = memory_needed(cfg), available_memory()
    if need > have / 2:
        raise ConfigError("n_samples", cfg.n_samples,
                          Msg("core.checks.memory", n=cfg.n_samples, d=cfg.n_weights, name=BY_ATTR["true_weights"].name,
                              need=need / 2**30, have=have / 2**30),
                          label=BY_ATTR["n_samples"].name, fields=("n_samples", "true_weights"))


def check_device(name: str) -> None:
    if name != "auto" and name not in available_devices():
        raise ConfigError("device", name, Msg("core.checks.device", why=why_missing(name),
                                              devices=", ".join(available_devices())), label=BY_ATTR["device"].name)


def memory_needed(cfg: RunConfig) -> int:
    """Bytes the server allocates for cfg at its peak: data, engine, history and analysis.

    Measured (peak RSS above an idle process, 2M x 4 to 20k x 1000): 23-43 bytes per sample x weight for
    the data (int64 draw, float32 copy, float64 engine copy, a shuffled copy), ~64 bytes per sample of
    vectors, the cached masked Grams (up to 64 MiB); per run, a (N,) float64 residual and its square per
    evaluation, the (128, 128) triangular solve and a bounded history (32 MiB at most); and what the
    lr analysis allocates (analysis_cost.analysis_memory, bounded by its work caps)."""
    n, d, runs = cfg.n_samples, cfg.n_weights, len(cfg.lrs)
    data = 32 * n * d + 64 * n + min(64 * 2**20, 1024 * n)
    per_run = 16 * n + 128 * 128 * 8 + 64 * d
    history = min(32 * 2**20, runs * 16_000 * (d + 4))
    return data + runs * per_run + history + analysis_memory(cfg)


def available_memory() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
