"""The text doors: CLI flags, URL query parameters and text widgets to a RunConfig, and back.

Every field is read by its entry in the field table, so every bad field is named at once; rules over two
fields are then checked on the whole config (RunConfig), never against the defaults.

>>> cfg = parse_config({"weights": "2 3 4 7", "lr": "1e-5", "samples": "20", "batch_size": "20"})
>>> cfg.true_weights, cfg.lr, cfg.batch_size
((2.0, 3.0, 4.0, 7.0), 1e-05, 20)
>>> from_query(to_query(cfg)) == cfg
True
"""
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from .config import RunConfig
from .errors import ConfigError
from .fields import BY_ATTR, BY_KEY, FIELDS
from .say import Msg
from .text import clip, fmt_number, fmt_value

DEFAULTS = RunConfig()


def _fmt(value, lr: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        text = ",".join(fmt_number(v) for v in value)
        return f"[{text}]" if len(value) == 1 and lr else text  # a sweep of one lr stays a sweep
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


def _unknown(key: str, value) -> ConfigError:
    return ConfigError(key, value, Msg("core.query.known", keys=", ".join(f.key for f in FIELDS)))


def parse_field(key: str, value) -> Any:
    """One value (text, or already typed) to its checked RunConfig value, by the field's key or attribute."""
    field = BY_KEY.get(key)
    if field is None:
        raise _unknown(str(key), value)
    return field.read(value)


def _read(values: Mapping[str, Any]) -> tuple[dict, dict]:
    """({attr: checked value}, {attr or key: ConfigError}): each field on its own."""
    parsed, errors = {}, {}
    for key, value in values.items():
        field = BY_KEY.get(key)
        if field is None:
            errors[clip(str(key), 30)] = _unknown(str(key), value)
            continue
        try:
            parsed[field.attr] = field.read(value)
        except ConfigError as e:
            errors[field.attr] = e
    return parsed, errors


def _values(cfg: RunConfig) -> dict:
    return {f.name: getattr(cfg, f.name) for f in fields(cfg)}


def parse_config(values: Mapping[str, Any], base: RunConfig = DEFAULTS) -> RunConfig:
    """Build a RunConfig from values keyed by CLI/URL key (or attribute name): text, or typed values.

    Raises ConfigError; its `.errors` names every bad field, its message the first."""
    parsed, errors = _read(values)
    if errors:
        first = next(iter(errors.values()))
        first.errors = {attr: e.message for attr, e in errors.items()}
        raise first
    return RunConfig(**{**_values(base), **parsed})


def parse_lenient(values: Mapping[str, Any], base: RunConfig = DEFAULTS, check=None) -> tuple[RunConfig, dict]:
    """Like parse_config, but keep `base`'s value for each bad field; return {field: message} saying what
    was changed. A rule over two fields that fails sets back the field it names, then the others it names.
    `check(cfg)` may refuse more (the page passes checks.check_machine: a link made on a GPU machine)."""
    parsed, errors = _read(values)
    messages = {attr: e.message for attr, e in errors.items()}
    while True:
        try:
            cfg = RunConfig(**{**_values(base), **parsed})
            if check is not None:
                check(cfg)
            return cfg, messages
        except ConfigError as e:
            attr = next((a for a in e.fields if a in parsed), None)
            if attr is None:  # base itself fails: cannot happen for DEFAULTS (device auto, ten samples)
                raise
            kept = fmt_value(getattr(base, attr), words=True)
            messages[attr] = Msg("core.query.kept", message=e.message, label=BY_ATTR[attr].label, kept=kept)
            parsed.pop(attr)


def to_query(cfg: RunConfig, full: bool = False) -> dict[str, str]:
    """The settings as URL query parameters; only those differing from the defaults unless `full`."""
    return {f.key: _fmt(getattr(cfg, f.attr), f.kind == "lrs") for f in FIELDS
            if full or getattr(cfg, f.attr) != getattr(DEFAULTS, f.attr)}


def from_query(params: Mapping[str, str]) -> RunConfig:
    """Inverse of to_query: `from_query(to_query(cfg)) == cfg`."""
    return parse_config(params)
