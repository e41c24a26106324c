"""Numbers and values as a student writes them, for messages, labels and links; long text cut to a readable length."""
import math
import re


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


def fmt_value(v, words: bool = False) -> str:
    """A value as it appears in a message: numbers as fmt_number writes them, huge ones and long lists summarised.

    `words`: a long list's summary is a Msg too (said in the page's language; a ConfigError quotes only plain text,
    so its echo of a value keeps the default).

    >>> fmt_value(1e-05), fmt_value(10**40), fmt_value(tuple(range(10)))
    ('1e-5', 'a number of about 40 digits', '[0, 1, 2, 3, 4, 5, 6, 7, ... (10 values)]')
    """
    if isinstance(v, float):
        return fmt_number(v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**30:
        from .say import Msg
        return Msg("value.digits", n=f"{int(v.bit_length() * 0.30103):,}")
    if isinstance(v, (list, tuple)) and len(v) > 8:
        head = ", ".join(fmt_value(x) for x in v[:8])
        if words:
            from .say import Msg
            return Msg("core.value.list", head=head, n=len(v))
        return "[" + head + f", ... ({len(v):,} values)]"
    return repr(v) if isinstance(v, str) else str(v)
