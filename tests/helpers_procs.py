"""Processes on this machine, from /proc: for the tests of `python -m linviz serve` (unit and browser)."""
from pathlib import Path


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
