"""How long a run will take, estimated from its settings before any training (for the "long run" warning).

Per-epoch costs measured on this project's 2-core CPU machines with one torch thread
(benchmarks/bench_estimate.py prints estimate against measurement; recalibrated for issue 24, when the old
constants were 2-4.5x low and a 3M-sample Adam run of 108 s went unwarned): a fixed overhead per epoch; plain SGD
in small batches costs per sample (its triangular solves grow with the number of runs R); momentum and Adam cost
per step.
"""
from .config import RunConfig
from .say import Msg

LONG_RUN_S = 60.0  # warn before a run estimated to train longer than this
EPOCH_OVERHEAD_S = 2.4e-4
SGD_PER_SAMPLE_S = 7e-7  # per sample in batches smaller than a chunk (the triangular solves, updates.CHUNK)
PER_WEIGHT_RUN_S = 1.5e-9  # per sample, per weight, per run (the matrix products)
SOLVE_PER_RUN_S = 1e-7  # per sample, per extra run (the batched triangular solve)
STEP_S = {"momentum": 2e-5, "adam": 5e-5}  # per optimiser step (batch 1: a million Adam steps are ~50 s)
CHUNK = 128  # updates.CHUNK: batches this big or bigger need no solve


def estimate_seconds(cfg: RunConfig) -> float:
    """Seconds of training (not counting pauses or redraws) that `cfg` needs on a CPU like these.

    >>> estimate_seconds(RunConfig()) < 0.1  # the tutorial: about 10 ms
    True
    """
    n, d, runs = cfg.n_train, cfg.n_weights, len(cfg.lrs)
    per_epoch = EPOCH_OVERHEAD_S + n * d * runs * PER_WEIGHT_RUN_S
    if cfg.optimizer == "sgd":
        if cfg.batch_size < CHUNK:
            per_epoch += n * (SGD_PER_SAMPLE_S + SOLVE_PER_RUN_S * (runs - 1))
    else:
        per_epoch += -(-n // cfg.batch_size) * STEP_S[cfg.optimizer]
    return per_epoch * cfg.epochs


def long_run_warning(cfg: RunConfig) -> str | None:
    """A sentence for runs (sweeps and the ladder too: the estimate counts runs) estimated to take longer
    than LONG_RUN_S (a Msg), else None."""
    s = estimate_seconds(cfg)
    if s <= LONG_RUN_S:
        return None
    minutes = round(s / 60)
    when = (Msg("core.estimate.minute" if minutes == 1 else "core.estimate.minutes", minutes=minutes) if s < 7200
            else Msg("core.estimate.hours", hours=s / 3600))
    sizes = {"when": when, "n": cfg.n_train, "d": cfg.n_weights, "epochs": cfg.epochs}
    return Msg("core.estimate.sweep", **sizes, runs=len(cfg.lrs)) if cfg.is_sweep else Msg("core.estimate.run", **sizes)
