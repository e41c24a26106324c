"""The field table: every setting described once. Everything else derives from it.

Each `Field` gives a RunConfig attribute its CLI flag and URL key, the label and help a person reads, its
type and limits, and the kind of widget the dashboard draws. `Field.read` turns text (a flag, a URL
parameter, a text box: one rule for every door) or an already typed value into a checked value, or raises a
ConfigError naming the field, what was given (cut to a readable length) and what is allowed. Text is read as a
student writes it: 1e6, +5, 1,000,000 (a comma groups thousands in one number), and what a Chinese input method
types (full-width digits and signs, 。 or ． as the decimal point, ，、 between numbers). Rules that
involve two fields live with RunConfig (config.py); the text doors (parse_config, to_query, ...) in query.py.

>>> BY_KEY["samples"].read("20"), BY_KEY["weights"].read("2, 3, -4")
(20, (2.0, 3.0, -4.0))
>>> BY_KEY["samples"].read("1e6"), BY_KEY["samples"].read("1,000,000"), BY_KEY["lr"].read("０。００００１")
(1000000, 1000000, 1e-05)
>>> BY_KEY["momentum"].allowed
'a number from 0 up to (not including) 1'
"""
import math
import re
from dataclasses import dataclass

from .devices import DEVICES
from .errors import ConfigError
from .say import Msg
from .text import clip, fmt_number

OPTIMIZERS = ("sgd", "momentum", "adam")
SCHEDULES = ("constant", "step", "exp")
# What a Chinese (or Japanese) input method, or a copied document, types for ASCII: full-width forms ０-９ ．－＋
# ｅＥ ，；, the ideographic comma and full stop (、。: "." typed in Chinese mode gives 。, read as a decimal point),
# the halfwidth full stop ｡, the ideographic space, the minus sign − and no-break spaces. One table for every door.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {
    0x3001: ",", 0x3002: ".", 0xFF61: ".", 0x3000: " ", 0x2212: "-", 0x00A0: " ", 0x202F: " ", 0x2009: " "}
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,000,000: thousands grouped as the messages write them


@dataclass(frozen=True)
class Field:
    attr: str             # RunConfig attribute
    key: str              # CLI flag (--key, dashes for underscores) and URL query parameter
    kind: str             # int, float, floats, lrs, choice, bool
    lo: float = -math.inf  # limits of a number (of each number of a list)
    hi: float = math.inf
    lo_open: bool = False  # True: the limit itself is not allowed
    hi_open: bool = False
    choices: tuple = ()   # for kind "choice"
    count: tuple = (1, 1)  # for lists: how many numbers
    widget: str = "number"  # text, number (a text box read as one number), select, checkbox
    advanced: bool = False  # drawn in the sidebar's "Advanced" section
    needs: tuple = ()     # (other attr, value): the field only matters then (the widget is disabled otherwise)

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def label(self) -> Msg:
        """What a person reads: widget label, messages (the locale's field.<attr>.label)."""
        return Msg(f"field.{self.attr}.label")

    @property
    def help(self) -> Msg:
        """One sentence for the widget's tooltip and --help."""
        return Msg(f"field.{self.attr}.help")

    @property
    def name(self) -> Msg:
        """How messages name the field: its label and the key a link or a flag uses."""
        return Msg("field.name", label=self.label, key=self.key)

    @property
    def allowed(self) -> Msg:
        """What the field accepts, in words."""
        if self.kind == "choice":
            return Msg("allowed.choice", choices=", ".join(self.choices))
        if self.kind == "bool":
            return Msg("allowed.bool")
        if self.kind == "int":
            return Msg("allowed.int", lo=f"{self.lo:,}", hi=f"{self.hi:,}")
        if self.kind == "floats":
            return Msg("allowed.floats", least=self.count[0], most=self.count[1], bound=fmt_number(self.hi))
        if self.kind == "lrs":
            return Msg("allowed.lrs", hi=fmt_number(self.hi), most=f"{self.count[1]:,}")
        return _range_words(self.lo, self.hi, self.lo_open, self.hi_open)

    def error(self, value, why: Msg | None = None) -> ConfigError:
        use = Msg("allowed.use_why", why=why, allowed=self.allowed) if why else Msg("allowed.use", allowed=self.allowed)
        return ConfigError(self.attr, value, use, label=self.name)

    def read(self, value):
        """Text or a typed value -> the checked value of this field (raises ConfigError)."""
        return self.check(self.parse(value) if isinstance(value, str) else value, value)

    def parse(self, text: str):
        t = text.translate(_FULL_WIDTH).strip()
        if not t.isascii():
            bad = next(c for c in t if not c.isascii())
            raise self.error(text, Msg("parse.not_ascii", char=repr(bad)))
        if self.kind in ("floats", "lrs"):
            parts = [p for p in re.split(r"[\s,;]+", t.strip("[]()").strip()) if p]
            if not parts:
                raise self.error(text, Msg("parse.empty"))
            values = tuple(_number(p, lambda p=p: self.error(text, Msg("parse.not_number", part=repr(clip(p, 20)))))
                           for p in parts)
            return values[0] if self.kind == "lrs" and len(values) == 1 and not t.startswith("[") else values
        if self.kind == "bool":
            words = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
                     "off": False}
            if t.lower() not in words:
                raise self.error(text)
            return words[t.lower()]
        if self.kind == "choice":
            return t.lower()
        if not t:
            raise self.error(text, Msg("parse.empty"))
        if "," in t:  # one number: a comma only groups thousands (1,000,000); 1,5 is not read as 1.5 nor 15
            if not _GROUPED.fullmatch(t):
                raise self.error(text, Msg("parse.grouping"))
            t = t.replace(",", "")
        return _number(t, lambda: self.error(text))

    def check(self, v, shown=None):
        """A typed value -> itself, cleaned (ints as int, lists as tuples of float), or ConfigError."""
        shown = v if shown is None else shown
        if self.kind == "choice":
            if v not in self.choices:
                raise self.error(shown)
            return v
        if self.kind == "bool":
            if not isinstance(v, bool):
                raise self.error(shown)
            return v
        if self.kind in ("floats", "lrs"):
            values = tuple(v) if isinstance(v, (list, tuple)) else (v,)
            if not self.count[0] <= len(values) <= self.count[1]:
                raise self.error(shown, Msg("parse.count", n=f"{len(values):,}"))
            checked = tuple(self._one(x, shown) for x in values)
            return checked if isinstance(v, (list, tuple)) else checked[0]
        v = self._one(v, shown)
        if self.kind == "int":
            if v != int(v):
                raise self.error(shown)
            return int(v)
        return v

    def _one(self, x, shown) -> float:
        if isinstance(x, bool) or not _is_real(x) or (isinstance(x, int) and abs(x) > 2**63):
            raise self.error(shown)
        x = float(x) if not isinstance(x, int) else x
        ok = math.isfinite(x) and (x > self.lo if self.lo_open else x >= self.lo) and (
            x < self.hi if self.hi_open else x <= self.hi)
        if not ok:
            raise self.error(shown)
        return float(x) if self.kind != "int" else x


def _is_real(v) -> bool:
    return isinstance(v, (int, float)) or type(v).__name__.startswith(("float", "int"))  # numpy scalars too


def _number(text: str, error):
    """Text -> int (exact, for whole numbers) or float; `error()` builds the exception for anything else."""
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text) if len(text) <= 30 else float("inf")  # a 5,000-digit integer is simply too large
    try:
        return float(text)
    except ValueError:
        raise error() from None


def _range_words(lo, hi, lo_open, hi_open) -> Msg:
    lo, hi_text = fmt_number(lo), fmt_number(hi)
    if lo == "0" and not lo_open and hi == math.inf:
        return Msg("allowed.zero_up")
    if hi_open:
        return Msg("allowed.above_below" if lo_open else "allowed.from_below", lo=lo, hi=hi_text)
    if lo == "0" and not lo_open:
        return Msg("allowed.zero_up_to", hi=hi_text)
    return Msg("allowed.above_to" if lo_open else "allowed.from_to", lo=lo, hi=hi_text)


_F = Field
FIELDS = (  # each field's label and help are in the locale files: field.<attr>.label, field.<attr>.help
    _F("true_weights", "weights", "floats", -1e6, 1e6, count=(1, 1000), widget="text"),
    _F("n_samples", "samples", "int", 1, 10_000_000),
    _F("lr", "lr", "lrs", 0, 1e9, lo_open=True, count=(1, 1024), widget="text"),
    _F("epochs", "epochs", "int", 1, 1_000_000),
    _F("device", "device", "choice", choices=DEVICES, widget="select"),
    _F("batch_size", "batch_size", "int", 1, 10_000_000, advanced=True),
    _F("optimizer", "optimizer", "choice", choices=OPTIMIZERS, widget="select", advanced=True),
    _F("momentum", "momentum", "float", 0, 1, hi_open=True, advanced=True, needs=("optimizer", "momentum")),
    _F("schedule", "schedule", "choice", choices=SCHEDULES, widget="select", advanced=True),
    _F("step_size", "step_size", "int", 1, 1_000_000, advanced=True, needs=("schedule", "!constant")),
    _F("gamma", "gamma", "float", 0, 1, lo_open=True, advanced=True, needs=("schedule", "!constant")),
    _F("shuffle", "shuffle", "bool", widget="checkbox", advanced=True),
    _F("noise_std", "noise_std", "float", 0, 1e9, advanced=True),
    _F("test_fraction", "test_fraction", "float", 0, 1, hi_open=True, advanced=True),
    _F("standardize", "standardize", "bool", widget="checkbox", advanced=True),
    _F("seed", "seed", "int", 0, 2**32 - 1, advanced=True),
    _F("feature_min", "feature_min", "int", -1_000_000, 1_000_000, advanced=True),
    _F("feature_max", "feature_max", "int", -1_000_000, 1_000_000, advanced=True),
)
BY_ATTR = {f.attr: f for f in FIELDS}
BY_KEY = {f.key: f for f in FIELDS} | BY_ATTR

