"""ConfigError: the one error type for a setting that is not allowed, worded for a student."""
import math
import re

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



class ConfigError(ValueError):
    """A setting that is not allowed. `.field` names it; `.errors` maps every bad field to its message."""

    def __init__(self, field_name: str, value, allowed: str, errors: dict | None = None):
        shown = value if isinstance(value, str) else fmt_value(value)
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


def fmt_value(v) -> str:
    """A value as it appears in a message."""
    if isinstance(v, float):
        return fmt_number(v)
    return repr(v) if isinstance(v, str) else str(v)
