"""RunConfig: every setting of a run, in one frozen, validated object.

Defaults reproduce the tutorial configuration (see README): w = [2, 3, 4, 7], ten samples of integers
in 1..100, per-sample SGD at lr = 1e-5 for 100 epochs. Each field is checked by its entry in the field
table (fields.py); the rules that involve two fields are checked here, on the whole config, and their
messages name both fields.
"""
from dataclasses import dataclass, fields

from .errors import ConfigError
from .fields import BY_ATTR
from .say import Msg
from .text import fmt_number


@dataclass(frozen=True)
class RunConfig:
    """All settings of one training run (or one sweep, when `lr` is a sequence).

    A pure value: valid or not whatever the machine, so a link made on a GPU machine opens anywhere. Whether
    this machine can run it (its device, its memory) is checks.check_machine's question, asked where a run starts."""

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

    def __post_init__(self):
        for f in fields(self):  # each field alone, by its entry in the field table
            object.__setattr__(self, f.name, BY_ATTR[f.name].check(getattr(self, f.name)))
        self._check_cross_fields()

    def _check_cross_fields(self):
        name = lambda attr: BY_ATTR[attr].name
        if self.feature_min >= self.feature_max:
            raise _cross("feature_max", self.feature_max, ("feature_min",),
                         Msg("core.config.feature_order", name=name("feature_min"), value=self.feature_min))
        if self.n_train < 1:
            raise _cross("test_fraction", self.test_fraction, ("n_samples",),
                         Msg("core.config.no_training", name=name("n_samples"), n=self.n_samples))
        if self.batch_size > self.n_train:
            counts = {"n_train": self.n_train, "name": name("n_samples"), "n": self.n_samples}
            raise _cross("batch_size", self.batch_size, ("n_samples", "test_fraction"),
                         Msg("core.config.batch_too_big_split", **counts, n_test=self.n_test,
                             test_name=name("test_fraction"), fraction=fmt_number(self.test_fraction))
                         if self.n_test else Msg("core.config.batch_too_big", **counts))

    @property
    def lrs(self) -> tuple:
        """The learning rates as a tuple: one per run."""
        return self.lr if isinstance(self.lr, tuple) else (self.lr,)

    @property
    def is_sweep(self) -> bool:
        """True when lr was given as a sequence (even of one lr): the page and the CLI show one line per lr."""
        return isinstance(self.lr, tuple)

    @property
    def n_weights(self) -> int:
        return len(self.true_weights)

    @property
    def n_test(self) -> int:
        """Samples held out for the test loss: at least one whenever test_fraction is above 0."""
        return max(1, round(self.n_samples * self.test_fraction)) if self.test_fraction > 0 else 0

    @property
    def n_train(self) -> int:
        return self.n_samples - self.n_test

    def replace(self, **changes) -> "RunConfig":
        """A copy with some fields changed (validated again)."""
        return RunConfig(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


def _cross(attr: str, value, others: tuple, allowed: Msg) -> ConfigError:
    return ConfigError(attr, value, allowed, label=BY_ATTR[attr].name, fields=(attr, *others))
