"""What this machine can run: its devices and free memory, checked where a run starts, never by RunConfig.

A RunConfig is a pure value: it is valid or not whatever the machine. Whether *this* machine can train it
(is CUDA here, is there memory for 4.6M samples x 1000 weights) is asked here: by the Trainer, where every
run starts, and earlier by the doors that name a bad field before anything runs (the page's sidebar and
links, the CLI before it trains or analyses).
"""
from .analysis_cost import analysis_memory, spectrum_rows
from .config import RunConfig
from .devices import available_devices, why_missing
from .errors import ConfigError
from .fields import BY_ATTR
from .memory import available_memory, ledger
from .say import Msg


def check_machine(cfg: RunConfig) -> None:
    """Raise ConfigError (naming the field) when this machine cannot run cfg: its device or its memory."""
    check_device(cfg.device)
    need, have = memory_needed(cfg), memory_limit()
    if need > have:
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
    lr analysis allocates (analysis_cost.analysis_memory, bounded by its work caps). Momentum and Adam make their
    steps' views a block at a time (updates.Batches), so no optimizer needs more per step."""
    n, d, runs = cfg.n_samples, cfg.n_weights, len(cfg.lrs)
    data = 32 * n * d + 64 * n + min(64 * 2**20, 1024 * n)
    per_run = 16 * n + 128 * 128 * 8 + 64 * d
    history = min(32 * 2**20, runs * 16_000 * (d + 4))
    return data + runs * per_run + history + analysis_memory(cfg)


def memory_limit() -> int:
    """The most one setting may need: the process's budget (memory.Ledger; beside what others hold, a run may get
    less: the ledger says so when it starts), and no more than half of what the machine has, counting what this
    process holds as its own (a student's page must not refuse its settings because its own run took the memory)."""
    book = ledger()
    return min(book.budget, (available_memory() + book.in_use()) // 2)


def dataset_needed(cfg: RunConfig) -> int:
    """Bytes data.make_dataset(cfg) allocates at its peak (the int64 draw, float64 targets, float32 copies; a test
    split and standardising copy the features once more)."""
    per_cell = 40 if cfg.n_test or cfg.standardize else 32
    return per_cell * cfg.n_samples * cfg.n_weights + 64 * cfg.n_samples


def analysis_needed(cfg: RunConfig) -> int:
    """Bytes `analysis.analyze(cfg)` allocates at its peak: the data rows it reads (all of them, or the first rows
    of a data set too large to hold: data.first_rows) and its own work (analysis_cost.analysis_memory)."""
    n, d = cfg.n_samples, cfg.n_weights
    rows = spectrum_rows(cfg.n_train, d)
    if rows >= cfg.n_train:
        data = dataset_needed(cfg)
    else:  # first_rows: kept rows (float64, float32 and its float64 temporary), blocks, masks, sums, permutation
        data = 24 * rows * d + 3 * 8 * 2**22 + 24 * n + (8 * n if cfg.n_test else 0)
    return data + analysis_memory(cfg)
