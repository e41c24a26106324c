"""ConfigError: the one error type for a setting that is not allowed, worded for a student; number formatting."""
import math
import re

MAX_SHOWN = 60  # characters of a user's value echoed back in a message: enough to recognise it


class ConfigError(ValueError):
    """A setting that is not allowed. `.field` names it; `.errors` maps every bad field to its message.

    `label` is how the message names the field (the field table gives "Samples (samples)"); a rule over two
    fields names both in `allowed` and lists them in `.fields`."""

    def __init__(self, field_name: str, value, allowed: str, label: str | None = None, errors: dict | None = None,
                 fields: tuple = ()):
        shown = clip(value if isinstance(value, str) else fmt_value(value), MAX_SHOWN)
        self.field, self.value, self.allowed = field_name, value, allowed
        self.fields = fields or (field_name,)
        if label:
            self.message = f"{label}: got {shown!r}. {allowed}"
        else:
            self.message = f"Unknown setting {clip(field_name, 30)!r}. {allowed}"
        self.errors = errors or {field_name: self.message}
        super().__init__(self.message)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (an ellipsis says so), so that a pasted novel is not echoed back."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**30:
        return f"a number of about {int(v.bit_length() * 0.30103):,} digits"
    if isinstance(v, (list, tuple)) and len(v) > 8:
        return "[" + ", ".join(fmt_value(x) for x in v[:8]) + f", ... ({len(v):,} values)]"
    return repr(v) if isinstance(v, str) else str(v)
