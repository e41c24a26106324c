"""Processes on this machine, from /proc: for the tests of `python -m linviz serve` (unit and browser)."""
import contextlib
import signal
from pathlib import Path


@contextlib.contextmanager
def default_sigint():
    """Processes started inside get Ctrl-C's default action, whatever this test run inherited.

    pytest started as a background job of a non-interactive shell (`pytest &` in a script, CI) ignores SIGINT; an
    ignored signal stays ignored across fork and exec (Popen's `restore_signals` does not cover SIGINT), and Python
    then installs no KeyboardInterrupt handler: a child sent SIGINT would never stop. A signal with a handler is
    reset to its default by exec, so while this holds the test process handles SIGINT (as an interactive pytest
    does). Here rather than `preexec_fn`, which is unsafe in a process with threads."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)

def children(pid: int) -> dict[int, str]:
    """Processes whose parent is `pid`: pid -> command line."""
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out[int(d.name)] = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, IndexError, ValueError):
                pass
    return out
