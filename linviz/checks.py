"""Value checks for RunConfig fields: each returns the cleaned value or raises ConfigError naming the field."""
import math
import os

from .devices import available_devices, why_missing
from .errors import ConfigError, fmt_value


def _is_real(v) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, (int, float)) or type(v).__name__.startswith(("float", "int"))  # numpy scalars too


def number(name, v, limit, positive):
    sign = "a positive number" if positive else "a number of 0 or more"
    allowed = f"Use {sign} up to {fmt_value(limit)}" + (", such as 1e-5." if name == "lr" else ".")
    if not _is_real(v) or not math.isfinite(float(v)):
        raise ConfigError(name, v, allowed)
    v = float(v)
    if (v <= 0 if positive else v < 0) or v > limit:
        raise ConfigError(name, v, allowed)
    return v


def numbers(name, seq, lo, hi, limit, positive=False):
    try:
        values = tuple(seq)
    except TypeError:
        values = (seq,)
    if not lo <= len(values) <= hi:
        raise ConfigError(name, seq, f"Give between {lo} and {hi} numbers, separated by commas.")
    if positive:
        return tuple(number(name, v, limit, positive=True) for v in values)
    for v in values:
        if not _is_real(v) or not math.isfinite(float(v)) or abs(float(v)) > limit:
            bound = fmt_value(limit)
            raise ConfigError(name, v, f"Every value must be a finite number between -{bound} and {bound}.")
    return tuple(float(v) for v in values)


def integer(name, v, lo, hi):
    if not _is_real(v) or not math.isfinite(float(v)) or float(v) != int(v) or not lo <= int(v) <= hi:
        raise ConfigError(name, v, f"Use a whole number from {lo:,} to {hi:,}.")
    return int(v)


def check_range(name, v, lo, hi, words, lo_open=False, hi_open=True):
    ok = _is_real(v) and math.isfinite(float(v))
    if ok:
        v = float(v)
        ok = (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)
    if not ok:
        raise ConfigError(name, v, f"Use {words}.")
    return v


def check_device(name):
    if name != "auto" and name not in available_devices():
        raise ConfigError("device", name, f"Not available here: {why_missing(name)}. "
                          f"Available: auto, {', '.join(available_devices())}.")


def available_memory() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
