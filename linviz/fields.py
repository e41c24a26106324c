"""One table drives every way a RunConfig is written as text: CLI flags, URL query parameters, text widgets.

>>> cfg = parse_config({"weights": "2 3 4 7", "lr": "1e-5"})
>>> cfg.true_weights, cfg.lr
((2.0, 3.0, 4.0, 7.0), 1e-05)
>>> from_query(to_query(cfg)) == cfg
True
"""
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, NamedTuple

from .config import RunConfig
from .errors import LABELS, ConfigError, fmt_number

_NUMBER_TEXT = "Use a number such as 0.5, 1e-5 or 10."
_LIST_TEXT = "Use numbers separated by commas or spaces, such as 2, 3, 4, 7."
_LR_TEXT = "Use a positive number such as 1e-5, or several separated by commas for a sweep."


def _float(attr: str, text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ConfigError(attr, text, _NUMBER_TEXT) from None


def _float_list(attr: str, text: str) -> tuple:
    example = _LR_TEXT if attr == "lr" else _LIST_TEXT
    parts = [p for p in re.split(r"[\s,;]+", text.strip().strip("[]()").strip()) if p]
    if not parts:
        raise ConfigError(attr, text, "It is empty. " + example)
    values = []
    for p in parts:
        try:
            values.append(float(p))
        except ValueError:
            raise ConfigError(attr, text, f"{p!r} is not a number. " + example) from None
    return tuple(values)


def _lr(attr: str, text: str):
    values = _float_list(attr, text)
    looks_like_list = len(values) > 1 or text.strip().startswith("[")
    return values if looks_like_list else values[0]


def _int(attr: str, text: str) -> int:
    value = _float(attr, text) if not text.strip().lstrip("+-").isdigit() else int(text)
    if isinstance(value, float) and not (math.isfinite(value) and abs(value) < 1e18 and value == int(value)):
        raise ConfigError(attr, text, "Use a whole number such as 10.")
    return int(value)


def _bool(attr: str, text: str) -> bool:
    t = text.strip().lower()
    if t in ("1", "true", "yes", "on"):
        return True
    if t in ("0", "false", "no", "off"):
        return False
    raise ConfigError(attr, text, "Use true or false.")


def _choice(attr: str, text: str) -> str:
    return text.strip().lower()


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(fmt_number(v) for v in value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


class Field(NamedTuple):
    attr: str                         # RunConfig attribute
    key: str                          # CLI flag (--key, with dashes) and URL parameter
    label: str                        # what a person reads
    parse: Callable[[str, str], Any]  # (attr, text) -> value; raises ConfigError


_PARSERS = {"true_weights": _float_list, "lr": _lr, "device": _choice, "optimizer": _choice,
            "schedule": _choice, "shuffle": _bool, "standardize": _bool, "momentum": _float,
            "gamma": _float, "noise_std": _float, "test_fraction": _float}

FIELDS = tuple(Field(f.name, LABELS[f.name][1], LABELS[f.name][0], _PARSERS.get(f.name, _int))
               for f in fields(RunConfig) if f.init)
BY_KEY = {f.key: f for f in FIELDS} | {f.attr: f for f in FIELDS}
DEFAULTS = RunConfig()


def parse_field(key: str, value) -> Any:
    """One value from text (or an already typed value, as widgets give) to its RunConfig type."""
    field = BY_KEY.get(key)
    if field is None:
        raise ConfigError(key, value, f"Known settings: {', '.join(f.key for f in FIELDS)}.")
    return field.parse(field.attr, value) if isinstance(value, str) else value


def _collect(values: Mapping[str, Any], base: RunConfig) -> tuple[dict, dict]:
    parsed, errors, texts = {}, {}, {}
    for key, value in values.items():
        try:
            attr = BY_KEY[key].attr if key in BY_KEY else key
            texts[attr] = value
            parsed[attr] = parse_field(key, value)
        except ConfigError as e:
            errors[e.field] = e
    for attr, value in parsed.items():  # range checks field by field, so that every bad field is named
        try:
            base.replace(**{attr: value})
        except ConfigError as e:
            if e.field == attr:  # say it with the text the user typed, not the parsed number
                errors.setdefault(attr, ConfigError(attr, texts[attr], e.allowed))
    return parsed, errors


def parse_config(values: Mapping[str, Any], base: RunConfig = DEFAULTS) -> RunConfig:
    """Build a RunConfig from text values keyed by CLI/URL key (or attribute name).

    Raises ConfigError; its `.errors` names every bad field, its message the first."""
    parsed, errors = _collect(values, base)
    if errors:
        first = next(iter(errors.values()))
        first.errors = {attr: e.message for attr, e in errors.items()}
        raise first
    return base.replace(**parsed)


def parse_lenient(values: Mapping[str, Any], base: RunConfig = DEFAULTS) -> tuple[RunConfig, dict]:
    """Like parse_config, but drop bad fields (keeping `base` for them) and return their messages."""
    parsed, errors = _collect(values, base)
    messages = {attr: e.message for attr, e in errors.items()}
    good = {a: v for a, v in parsed.items() if a not in errors}
    while True:
        try:
            return base.replace(**good), messages
        except ConfigError as e:  # a combination of fields is invalid: drop the one named
            messages[e.field] = e.message
            good.pop(e.field) if e.field in good else good.popitem()


def to_query(cfg: RunConfig, full: bool = False) -> dict[str, str]:
    """The settings as URL query parameters; only those differing from the defaults unless `full`."""
    return {f.key: _fmt(getattr(cfg, f.attr)) for f in FIELDS
            if full or getattr(cfg, f.attr) != getattr(DEFAULTS, f.attr)}


def from_query(params: Mapping[str, str]) -> RunConfig:
    """Inverse of to_query: `from_query(to_query(cfg)) == cfg`."""
    return parse_config(params)
