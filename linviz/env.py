"""What a linviz process is given besides its flags: the environment variables it reads, in one table (VARS): what
each means, what it allows, what unset means, and how its text becomes a value. Every door reads them through here,
so a bad value is one line naming the variable and what it allows, never a traceback:

- the page (dashboard.py) names a bad one in an error line and goes on with the default (linviz_app/safe.py);
- `python -m linviz serve` checks every one before it starts anything, and exits with status 2 (linviz/serve.py);
- `python -m linviz` checks the ones it reads (exit status 2, linviz/cli.py).

Tests' own variables (LINVIZ_CHROMIUM, HYPOTHESIS_PROFILE) live in tests/. And standard output, which may be closed
(`>&-`) or full (`> /dev/full`): GuardedStdout turns that into OutputError, one line and status EXIT_OUTPUT (74) for
`python -m linviz` and `serve`. This module imports neither torch nor streamlit: `serve` reads it too.

>>> MAX_TRAININGS.parse(" 8 "), MAX_TRAININGS.parse("0"), MAX_TRAININGS.parse("")
(8, None, None)
>>> try:
...     MAX_TRAININGS.read({"LINVIZ_MAX_TRAININGS": "1.5"})
... except EnvError as e:
...     print(e)
The environment variable LINVIZ_MAX_TRAININGS is '1.5': use a whole number from 1 to 1,000,000 (trainings at \
once in each server process), or 0 or nothing for the default (6).
"""
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .say import Msg
from .text import clip

MAX_SHOWN = 60  # characters of a variable's value echoed back in a message
MAX_TRAININGS_DEFAULT = 6  # linviz_app/training_cap.PER_PROCESS (measured there; said here for the messages)
MAX_TRAININGS_MOST = 1_000_000  # in effect no cap (the benchmarks' "no cap" is 100,000)
DEBUG_ON, DEBUG_OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class EnvError(ValueError):
    """A bad environment variable: `.name`, `.value` (its text); the message (`.message`, a Msg: English as a str,
    the page says it in its own language) is one line naming the variable, its value and what is allowed."""

    def __init__(self, var: "EnvVar", value: str):
        self.name, self.value, self.var = var.name, value, var
        shown = repr(clip(value, MAX_SHOWN))  # quoted, control characters escaped: one line
        if len(shown) > 2 * MAX_SHOWN:  # escapes made it long again
            shown = shown[: 2 * MAX_SHOWN - 4] + "...'"
        self.message = Msg("core.env.bad", name=var.name, shown=shown, allowed=var.allowed)
        super().__init__(self.message)


@dataclass(frozen=True)
class EnvVar:
    """One environment variable. `parse(text)` gives its value (None: the default) or raises ValueError; `read`
    turns that into an EnvError naming the variable."""
    name: str
    means: str                      # what it is for (README's table says the same)
    default: str                    # what unset (or empty) means
    allowed: Msg | None             # what a message says is allowed; None: any text
    parse: Callable[[str], object]
    read_by: tuple[str, ...]        # who reads it: "page" (each dashboard process), "cli", "serve"
    fallback: Msg | None = None     # what the page uses instead of a bad value

    def read(self, environ: Mapping[str, str] | None = None):
        """Its value in `environ` (default: this process's), None when unset or empty (the default); EnvError when
        the text is not allowed."""
        text = (os.environ if environ is None else environ).get(self.name)
        if text is None:
            return None
        try:
            return self.parse(text)
        except (ValueError, OverflowError):
            raise EnvError(self, text) from None


def _max_trainings(text: str) -> int | None:
    """A whole number of trainings at once, 1..MAX_TRAININGS_MOST; 0 or nothing: the default."""
    t = text.strip()
    if not t:
        return None
    m = re.fullmatch(r"0*([0-9]{1,9})", t)  # ASCII digits only: int() would take '1_0', '+3', '٣'
    if not m:
        raise ValueError(text)
    n = int(m.group(1))
    if n > MAX_TRAININGS_MOST:
        raise ValueError(text)
    return n or None


def _debug(text: str) -> bool:
    t = text.strip().lower()
    if t in DEBUG_ON:
        return True
    if not t or t in DEBUG_OFF:
        return False
    raise ValueError(text)


def _memory_mb(text: str) -> float | None:
    """A positive, finite number of MiB; nothing: the default."""
    t = text.strip()
    if not t:
        return None
    if not re.fullmatch(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]{1,4})?|[0-9]+\.", t):  # no 'inf', 'nan', '1_0'
        raise ValueError(text)
    mb = float(t)
    if not (math.isfinite(mb) and mb > 0):
        raise ValueError(text)
    return mb


def _secret(text: str) -> str | None:
    return text if text.strip() else None  # any text; an empty one is no secret: serve makes one


MAX_TRAININGS = EnvVar(
    "LINVIZ_MAX_TRAININGS", "trainings running at once in each dashboard process; beyond it students wait in line",
    f"{MAX_TRAININGS_DEFAULT} (measured: README, 'How many')",
    Msg("core.env.allowed.max_trainings", most=MAX_TRAININGS_MOST, default=MAX_TRAININGS_DEFAULT),
    _max_trainings, ("page", "serve"), fallback=Msg("core.env.default.max_trainings", n=MAX_TRAININGS_DEFAULT))
MEMORY_MB = EnvVar(
    "LINVIZ_MEMORY_MB", "the memory (MiB) one dashboard process may use for its sessions' data",
    "half of the machine's available memory",
    Msg("core.env.allowed.memory_mb"), _memory_mb, ("page", "serve"), fallback=Msg("core.env.default.memory_mb"))
DEBUG = EnvVar(
    "LINVIZ_DEBUG", "`python -m linviz` and `serve` show an internal error's traceback instead of one line", "off",
    Msg("core.env.allowed.debug", on="/".join(DEBUG_ON), off="/".join(DEBUG_OFF)), _debug, ("cli", "serve"))
COOKIE_SECRET = EnvVar(
    "STREAMLIT_SERVER_COOKIE_SECRET", "Streamlit's cookie secret: the same on every machine of a hall (`serve`)",
    "serve makes one per start for its processes", None, _secret, ("serve",))

VARS = (MAX_TRAININGS, MEMORY_MB, DEBUG, COOKIE_SECRET)
BY_NAME = {v.name: v for v in VARS}


def check(*readers: str, environ: Mapping[str, str] | None = None) -> None:
    """Every variable that one of `readers` ("page", "cli", "serve") reads: the first bad one raises EnvError."""
    for var in VARS:
        if set(readers) & set(var.read_by):
            var.read(environ)


def problems(*readers: str, environ: Mapping[str, str] | None = None) -> list[EnvError]:
    """Every bad variable that one of `readers` reads, each as its EnvError (none: all fine)."""
    found = []
    for var in VARS:
        if set(readers) & set(var.read_by):
            try:
                var.read(environ)
            except EnvError as e:
                found.append(e)
    return found


def debug(environ: Mapping[str, str] | None = None) -> bool:
    """LINVIZ_DEBUG is on. A bad value counts as off here (where it is asked, an error is being reported already);
    the command line names it before it starts (check("cli"))."""
    try:
        return bool(DEBUG.read(environ))
    except EnvError:
        return False


# --- standard output: closed (`>&-`) or full (`> /dev/full`) --------------------------------------------------------

EXIT_OUTPUT = 74  # the command line's and serve's status when stdout cannot be written (sysexits.h's EX_IOERR)


class OutputError(OSError):
    """Standard output cannot be written: it is closed (`>&-`) or its disk is full (`> /dev/full`). Not a
    BrokenPipeError: a reader that closed the pipe (`| head`) is a normal end, this is not."""


class GuardedStdout:
    """sys.stdout for a command: a write or flush that fails raises OutputError (and keeps failing, so that a write
    an argparse --help swallowed still shows at the final flush); BrokenPipeError stays itself. A closed stdout
    (sys.stdout is None) fails at its first write, so a command that prints nothing there still ends normally."""

    def __init__(self, stream):
        self.stream, self.error = stream, None

    def _fail(self, errno: int | None, why: str):
        self.error = (errno, why)
        raise OutputError(errno, why)

    def write(self, text: str) -> int:
        if self.error:
            raise OutputError(*self.error)
        if self.stream is None:
            self._fail(9, "standard output is closed")  # EBADF
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            self._fail(e.errno, e.strerror or str(e))

    def flush(self) -> None:
        if self.error:
            raise OutputError(*self.error)
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            self._fail(e.errno, e.strerror or str(e))

    def __getattr__(self, name):  # fileno, isatty, encoding, ...
        if self.stream is None:
            raise AttributeError(name)
        return getattr(self.stream, name)


def discard_stdout(stream) -> None:
    """After `stream` (stdout) failed: its file descriptor points at /dev/null, so the interpreter's own final flush
    of what is still buffered cannot fail again (and print an 'Exception ignored' traceback at exit)."""
    try:
        fd = stream.fileno() if stream is not None else None
    except (OSError, ValueError, AttributeError):  # not a file (a test's captured output)
        fd = None
    if fd is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
