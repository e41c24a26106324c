"""RunConfig: every setting of a run, in one frozen, validated object.

Defaults reproduce the tutorial configuration (see README): w = [2, 3, 4, 7], ten samples of integers
in 1..100, per-sample SGD at lr = 1e-5 for 100 epochs.
"""
from dataclasses import dataclass, field, fields

from .checks import available_memory, check_device, check_range, integer, number, numbers
from .devices import DEVICES
from .errors import ConfigError, fmt_number

__all__ = ["OPTIMIZERS", "SCHEDULES", "ConfigError", "RunConfig", "fmt_number"]

OPTIMIZERS = ("sgd", "momentum", "adam")
SCHEDULES = ("constant", "step", "exp")
MAX_WEIGHTS = 1000
MAX_LR = 1e9
MAX_RUNS = 1024


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
        set_(self, "true_weights", numbers("true_weights", self.true_weights, 1, MAX_WEIGHTS, 1e6))
        if isinstance(self.lr, (list, tuple)):
            set_(self, "lr", numbers("lr", self.lr, 1, MAX_RUNS, MAX_LR, positive=True))
            set_(self, "_lrs", self.lr)
        else:
            set_(self, "lr", number("lr", self.lr, MAX_LR, positive=True))
            set_(self, "_lrs", (self.lr,))
        for name, lo, hi in _INT_RANGES:
            set_(self, name, integer(name, getattr(self, name), lo, hi))
        for name, choices in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES), ("device", DEVICES)):
            if getattr(self, name) not in choices:
                raise ConfigError(name, getattr(self, name), f"Choose one of: {', '.join(choices)}.")
        check_device(self.device)
        for name in ("shuffle", "standardize"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, getattr(self, name), "Use true or false.")
        set_(self, "momentum", check_range("momentum", self.momentum, 0.0, 1.0, "a number from 0 up to (not including) 1"))
        set_(self, "gamma", check_range("gamma", self.gamma, 0.0, 1.0, "a number above 0 and at most 1",
                                         lo_open=True, hi_open=False))
        set_(self, "test_fraction", check_range("test_fraction", self.test_fraction, 0.0, 1.0,
                                                 "a fraction from 0 up to (not including) 1"))
        set_(self, "noise_std", number("noise_std", self.noise_std, 1e9, positive=False))
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
        need, have = self.memory_estimate(), available_memory()
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


_INT_RANGES = (("n_samples", 1, 10_000_000), ("epochs", 1, 1_000_000), ("batch_size", 1, 10_000_000),
               ("seed", 0, 2**32 - 1), ("step_size", 1, 1_000_000),
               ("feature_min", -1_000_000, 1_000_000), ("feature_max", -1_000_000, 1_000_000))
