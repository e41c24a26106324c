"""RunConfig: every setting of a run, in one frozen, validated object.

Defaults reproduce the tutorial configuration (see README): w = [2, 3, 4, 7], ten samples of integers
in 1..100, per-sample SGD at lr = 1e-5 for 100 epochs.
"""
import math
import os
import re
from dataclasses import dataclass, field, fields

from .devices import DEVICES, available_devices, why_missing

OPTIMIZERS = ("sgd", "momentum", "adam")
SCHEDULES = ("constant", "step", "exp")
MAX_WEIGHTS = 1000
MAX_LR = 1e9
MAX_RUNS = 1024


class ConfigError(ValueError):
    """A setting that is not allowed. `.field` names it; `.errors` maps every bad field to its message."""

    def __init__(self, field_name: str, value, allowed: str, errors: dict | None = None):
        shown = value if isinstance(value, str) else _fmt(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        self.field, self.value, self.allowed = field_name, value, allowed
        if field_name in LABELS:
            label, key = LABELS[field_name]
            self.message = f"{label} ({key}): got {shown!r}. {allowed}"
        else:
            self.message = f"Unknown setting {field_name!r}. {allowed}"
        self.errors = errors or {field_name: self.message}
        super().__init__(self.message)


@dataclass(frozen=True)
class RunConfig:
    """All settings of one training run (or one sweep, when `lr` is a sequence)."""

    true_weights: tuple = (2.0, 3.0, 4.0, 7.0)  # the tutorial's weights; the model must find them
    n_samples: int = 10           # the tutorial generates ten samples
    lr: float | tuple = 1e-5      # the tutorial's lr: raw 1..100 features diverge above ~7e-5
    epochs: int = 100             # the tutorial trains for 100 epochs
    batch_size: int = 1           # one sample per step, as the tutorial does
    seed: int = 0                 # fixed, so that a shared link or command reproduces the same run
    device: str = "auto"          # the fastest device this machine has: CUDA, then MPS, then CPU
    optimizer: str = "sgd"        # the tutorial's torch.optim.SGD
    momentum: float = 0.9         # used by optimizer="momentum" only; the textbook value
    schedule: str = "constant"    # the tutorial keeps lr fixed; "step" and "exp" are the decays it names
    step_size: int = 25           # epochs per decay step: lr * gamma ** (epoch // step_size)
    gamma: float = 0.5            # halve the lr every step_size epochs ("exp" does it smoothly)
    shuffle: bool = False         # the tutorial visits the samples in order
    noise_std: float = 0.0        # the tutorial's targets are exact dot products
    test_fraction: float = 0.0    # the tutorial has no held-out data
    standardize: bool = False     # raw features are why the tutorial needs a tiny lr
    feature_min: int = 1          # random.randint(1, 100) in the tutorial
    feature_max: int = 100
    _lrs: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "true_weights", _numbers("true_weights", self.true_weights, 1, MAX_WEIGHTS, 1e6))
        if isinstance(self.lr, (list, tuple)):
            set_(self, "lr", _numbers("lr", self.lr, 1, MAX_RUNS, MAX_LR, positive=True))
            set_(self, "_lrs", self.lr)
        else:
            set_(self, "lr", _number("lr", self.lr, MAX_LR, positive=True))
            set_(self, "_lrs", (self.lr,))
        for name, lo, hi in _INT_RANGES:
            set_(self, name, _integer(name, getattr(self, name), lo, hi))
        for name, choices in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES), ("device", DEVICES)):
            if getattr(self, name) not in choices:
                raise ConfigError(name, getattr(self, name), f"Choose one of: {', '.join(choices)}.")
        _check_device(self.device)
        for name in ("shuffle", "standardize"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, getattr(self, name), "Use true or false.")
        set_(self, "momentum", _check_range("momentum", self.momentum, 0.0, 1.0, "a number from 0 up to (not including) 1"))
        set_(self, "gamma", _check_range("gamma", self.gamma, 0.0, 1.0, "a number above 0 and at most 1",
                                         lo_open=True, hi_open=False))
        set_(self, "test_fraction", _check_range("test_fraction", self.test_fraction, 0.0, 1.0,
                                                 "a fraction from 0 up to (not including) 1"))
        set_(self, "noise_std", _number("noise_std", self.noise_std, 1e9, positive=False))
        self._check_cross_fields()

    def _check_cross_fields(self):
        if self.feature_min >= self.feature_max:
            raise ConfigError("feature_max", self.feature_max,
                              f"It must be larger than the smallest feature value ({self.feature_min}).")
        if self.n_train < 1:
            raise ConfigError("test_fraction", self.test_fraction,
                              f"With {self.n_samples} samples this leaves no training data; use a smaller fraction.")
        if self.batch_size > self.n_train:
            raise ConfigError("batch_size", self.batch_size,
                              f"It can be at most the number of training samples ({self.n_train}).")
        need, have = self.memory_estimate(), _available_memory()
        if need > have / 2:
            raise ConfigError("n_samples", self.n_samples,
                              f"{self.n_samples:,} samples x {self.n_weights:,} weights need about "
                              f"{need / 2**30:.1f} GiB, but only {have / 2**30:.1f} GiB of memory is free. "
                              "Use fewer samples or weights.")

    @property
    def lrs(self) -> tuple:
        """The learning rates as a tuple: one per run."""
        return self._lrs

    @property
    def is_sweep(self) -> bool:
        """True when lr was given as a sequence: states then carry one row per run."""
        return isinstance(self.lr, tuple)

    @property
    def n_weights(self) -> int:
        return len(self.true_weights)

    @property
    def n_test(self) -> int:
        return max(1, round(self.n_samples * self.test_fraction)) if self.test_fraction > 0 else 0

    @property
    def n_train(self) -> int:
        return self.n_samples - self.n_test

    def memory_estimate(self) -> int:
        """Bytes the data needs while it is made and trained on (int64 draw + float32 copies)."""
        return self.n_samples * self.n_weights * 16 + len(self._lrs) * self.n_weights * 64

    def replace(self, **changes) -> "RunConfig":
        """A copy with some fields changed (validated again)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        return RunConfig(**{**values, **changes})


LABELS = {  # field -> (what a person reads, the key used by CLI flags and URL parameters)
    "true_weights": ("True weights", "weights"), "n_samples": ("Samples", "samples"),
    "lr": ("Learning rate", "lr"), "epochs": ("Epochs", "epochs"), "batch_size": ("Batch size", "batch_size"),
    "seed": ("Seed", "seed"), "device": ("Device", "device"), "optimizer": ("Optimizer", "optimizer"),
    "momentum": ("Momentum", "momentum"), "schedule": ("LR schedule", "schedule"),
    "step_size": ("Decay every (epochs)", "step_size"), "gamma": ("Decay factor", "gamma"),
    "shuffle": ("Shuffle", "shuffle"), "noise_std": ("Label noise (std)", "noise_std"),
    "test_fraction": ("Test fraction", "test_fraction"), "standardize": ("Standardise features", "standardize"),
    "feature_min": ("Smallest feature value", "feature_min"), "feature_max": ("Largest feature value", "feature_max"),
}

_INT_RANGES = (("n_samples", 1, 10_000_000), ("epochs", 1, 1_000_000), ("batch_size", 1, 10_000_000),
               ("seed", 0, 2**32 - 1), ("step_size", 1, 1_000_000),
               ("feature_min", -1_000_000, 1_000_000), ("feature_max", -1_000_000, 1_000_000))


def fmt_number(v: float) -> str:
    """A number as a student writes it, exactly (float(fmt_number(v)) == v): 1e-5, 1e9, 0.5, 7.

    >>> fmt_number(1e-05), fmt_number(7.0), fmt_number(2.5e10), fmt_number(0.1)
    ('1e-5', '7', '2.5e10', '0.1')
    """
    v = float(v)
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer() and abs(v) < 1e6:
        return str(int(v))
    plain = str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    sci = next(t for t in (f"{v:.{p}e}" for p in range(17)) if float(t) == v)
    sci = re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", sci)
    return min(plain, sci, key=len)


def _fmt(v) -> str:
    if isinstance(v, float):
        return fmt_number(v)
    return repr(v) if isinstance(v, str) else str(v)


def _is_real(v) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, (int, float)) or type(v).__name__.startswith(("float", "int"))  # numpy scalars too


def _number(name, v, limit, positive):
    sign = "a positive number" if positive else "a number of 0 or more"
    allowed = f"Use {sign} up to {_fmt(limit)}" + (", such as 1e-5." if name == "lr" else ".")
    if not _is_real(v) or not math.isfinite(float(v)):
        raise ConfigError(name, v, allowed)
    v = float(v)
    if (v <= 0 if positive else v < 0) or v > limit:
        raise ConfigError(name, v, allowed)
    return v


def _numbers(name, seq, lo, hi, limit, positive=False):
    try:
        values = tuple(seq)
    except TypeError:
        values = (seq,)
    if not lo <= len(values) <= hi:
        raise ConfigError(name, seq, f"Give between {lo} and {hi} numbers, separated by commas.")
    if positive:
        return tuple(_number(name, v, limit, positive=True) for v in values)
    for v in values:
        if not _is_real(v) or not math.isfinite(float(v)) or abs(float(v)) > limit:
            raise ConfigError(name, v, f"Every value must be a finite number between -{_fmt(limit)} and {_fmt(limit)}.")
    return tuple(float(v) for v in values)


def _integer(name, v, lo, hi):
    if not _is_real(v) or not math.isfinite(float(v)) or float(v) != int(v) or not lo <= int(v) <= hi:
        raise ConfigError(name, v, f"Use a whole number from {lo:,} to {hi:,}.")
    return int(v)


def _check_range(name, v, lo, hi, words, lo_open=False, hi_open=True):
    ok = _is_real(v) and math.isfinite(float(v))
    if ok:
        v = float(v)
        ok = (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)
    if not ok:
        raise ConfigError(name, v, f"Use {words}.")
    return v


def _check_device(name):
    if name != "auto" and name not in available_devices():
        raise ConfigError("device", name, f"Not available here: {why_missing(name)}. "
                          f"Available: auto, {', '.join(available_devices())}.")


def _available_memory() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
