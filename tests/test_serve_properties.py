"""Generated command lines for `python -m linviz serve`: its flags (from its own parser) with valid and garbage values,
paths to files, directories, missing places and /proc for --log-dir and --haproxy, unknown flags, stray words.

Whatever is typed, serve ends with a documented status (linviz/serve.py: 0, 2 bad input, 3 a program missing), says
what is wrong in one line starting with "linviz serve: ", and never shows a traceback. Each example runs
`serve.main(argv, start=False)` in-process: every check serve makes before it starts anything (flags, environment
variables, ports, the log directory), and nothing started, nothing created. A few real processes are in
tests/test_serve.py.
"""
import contextlib
import io
import os
import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from linviz import serve
from linviz.serve import EXIT_BAD_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_STATUSES, build_parser, main

ACTIONS = [a for a in build_parser()._actions if a.option_strings]
VALUED = [s for a in ACTIONS if a.nargs != 0 for s in a.option_strings if s.startswith("--")]  # --port PORT, ...
BARE = [s for a in ACTIONS if a.nargs == 0 and "-h" not in a.option_strings for s in a.option_strings]  # --no-proxy

SANDBOX = Path(tempfile.gettempdir()).resolve() / f"linviz-serve-properties-{os.getpid()}"  # the working directory
FILE, DIR, MISSING = SANDBOX / "a-file", SANDBOX / "a-dir", SANDBOX / "missing"
PATHS = [str(FILE), str(DIR), str(MISSING), str(MISSING / "deeper"), str(FILE / "sub"), "/proc", "/proc/x",
         "/proc/self/status", "/sys/x", "/dev/null", "", " ", "a\x00b", "x" * 300, "relative/dir", ".", "é",
         "\n", sys.executable, "/usr/sbin/haproxy", "/nonexistent/haproxy"]
HUGE = "9" * 5000
GARBAGE = ["", " ", "-1", "0", "1", "2", "65535", "65536", "8501", "1e3", "1.5", "abc", "٣", "１２", "+3", "1_0", HUGE,
           "-" + HUGE, "\n", "1\n2", "\x00", "0.0.0.0", "127.0.0.1", "::", "::1", "[::1]", "localhost",
           "no.such.host.invalid", "a b", "<b>x</b>", "h:1", "10.0.0.12:8601", "[::1]:8601", "host:0", "host:70000", ":8601", "--", "-", "--x"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LOCAL = ["--haproxy", sys.executable, "--address", "127.0.0.1", "--port", str(_free_port())]  # passes those checks


def _relative(text: str) -> str:
    """A generated path stays in the sandbox (the working directory): no leading /, no `..`."""
    return text.lstrip("/").replace("..", "_") or "_"


garbage = st.one_of(st.sampled_from(GARBAGE), st.sampled_from(PATHS), st.integers(-10, 70000).map(str),
                    st.text(max_size=15), st.text(max_size=15).map(_relative), st.integers(-(10**30), 10**30).map(str))
PORT = int(LOCAL[-1])
VALID = {  # per flag: values that pass its own check, so that the checks after it are reached too
    "--processes": st.integers(0, 4).map(str), "--port": st.sampled_from([str(PORT), "8501"]),
    "--address": st.sampled_from(["127.0.0.1", "0.0.0.0", "::1", "localhost"]),
    "--haproxy": st.sampled_from([sys.executable, "python3"]),
    "--upstream": st.sampled_from(["10.0.0.12:8601", "[::1]:8601", "h:1", "localhost:65535"]),
    "--log-dir": st.one_of(st.sampled_from(PATHS), st.text(max_size=15).map(_relative)),
}


@st.composite
def command_lines(draw):
    """One command line: known flags (and their abbreviations) with valid or garbage values, as `--flag value` or
    `--flag=value`; bare flags; unknown flags; stray words; now and then --help."""
    argv = []
    value = lambda flag: draw(VALID[flag] if draw(st.integers(0, 9)) < 7 else garbage)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["valued"] * 12 + ["bare"] * 2 + ["unknown", "stray", "abbrev"]))
        if kind == "valued":
            flag = draw(st.sampled_from(VALUED))
            argv += [f"{flag}={value(flag)}"] if draw(st.booleans()) else [flag, value(flag)]
        elif kind == "bare":
            argv.append(draw(st.sampled_from(BARE)))
        elif kind == "unknown":
            argv.append("--" + draw(st.text(min_size=1, max_size=8)))
        elif kind == "stray":
            argv.append(draw(garbage))
        else:
            flag = draw(st.sampled_from(VALUED))
            argv += [flag[: draw(st.integers(3, len(flag)))], value(flag)]
    if draw(st.integers(0, 15)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(st.sampled_from(["--help", "-h", "--he"])))
    return argv


@pytest.fixture(scope="module", autouse=True)
def sandbox():
    SANDBOX.mkdir()
    FILE.write_text("not a directory")
    DIR.mkdir(exist_ok=True)
    cwd = os.getcwd()
    os.chdir(SANDBOX)
    try:
        yield SANDBOX
    finally:
        os.chdir(cwd)
        shutil.rmtree(SANDBOX, ignore_errors=True)


def run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), start=False)
    return code, out.getvalue(), err.getvalue()


def check_outcome(argv, code, out, err):
    """serve's contract, whatever argv was."""
    shown = f"argv={argv!r:.2000}\nstatus={code}\nstdout={out[-500:]!r}\nstderr={err[-2000:]}"
    assert code in EXIT_STATUSES and code != serve.EXIT_INTERNAL, shown
    assert "Traceback" not in err + out, shown
    if code == EXIT_OK and out:  # --help
        assert out.startswith("usage: python -m linviz serve") and err == "", shown
        return
    assert out == "", shown
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("linviz serve: "), shown
    if code == EXIT_OK:
        assert "checked, nothing started" in lines[0], shown
    else:  # names what to fix: a flag, a variable, or the program
        assert re.search(r"--[a-z]|LINVIZ_|haproxy", lines[0]), shown
    assert len(lines[0]) < 700, shown  # a long value is cut when echoed
    # nothing created: not the log directory, no probe left behind
    assert not MISSING.exists(), shown
    assert not [p for p in SANDBOX.rglob(".linviz-probe-*")], shown


@given(argv=command_lines())
@example(argv=["--log-dir", str(FILE)]).via("the issue: a file")
@example(argv=["--log-dir", "/proc/x"]).via("the issue: /proc")
@example(argv=["--log-dir", "/proc"])
@example(argv=["--log-dir", str(FILE / "sub")]).via("a path through a file")
@example(argv=["--log-dir", str(MISSING / "deeper")]).via("a missing parent: created when serve starts, not before")
@example(argv=["--log-dir", "x" * 300]).via("a name too long")
@example(argv=["--log-dir", "a\x00b"]).via("a NUL")
@example(argv=["--log-dir", ""])
@example(argv=["--haproxy", "a\x00b"]).via("shutil.which would raise")
@example(argv=["--address", "a\x00"]).via("bind raised TypeError")
@example(argv=["--address", "é" * 70]).via("bind raised TypeError (encoding)")
@example(argv=["--processes", "100000"]).via("a fork bomb")
@example(argv=["--no-proxy", "--processes", "3", "--port", "65534"]).via("ports past 65535")
@example(argv=["--bogus\nx"]).via("argparse echoes a newline")
@example(argv=["--port", HUGE]).via("found: argparse echoed all 5,000 digits")
@example(argv=["--address", "", "--processes=--"]).via("found: argparse gave --processes a list")
def test_any_command_line_is_one_line_and_a_documented_status(argv):
    code, out, err = run(argv)
    check_outcome(argv, code, out, err)


@pytest.mark.parametrize("path, why", [
    (str(FILE), "not a directory"), (str(FILE / "sub"), "Not a directory"), ("/proc", "cannot write in it"),
    ("/proc/x", "cannot write in '/proc'"), ("", "an empty path"), ("a\x00b", "NUL"), ("x" * 300, "too long"),
])
def test_a_log_dir_serve_cannot_write_in_is_named_before_anything_starts(path, why):
    code, _, err = run(["--log-dir", path, *LOCAL])
    assert code == EXIT_BAD_INPUT, err
    assert err.startswith("linviz serve: --log-dir ") and why in err and len(err.splitlines()) == 1, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only directory")
def test_a_log_dir_without_write_permission_is_named():
    ro = SANDBOX / "read-only"
    ro.mkdir(exist_ok=True)
    ro.chmod(0o500)
    try:
        for path in (ro, ro / "sub"):
            code, _, err = run(["--log-dir", str(path), *LOCAL])
            assert code == EXIT_BAD_INPUT and "cannot write in" in err and "Permission denied" in err, err
    finally:
        ro.chmod(0o700)


def test_a_log_dir_to_create_or_to_reuse_is_fine_and_a_dry_run_creates_nothing():
    for path in (DIR, MISSING / "deeper", "relative/dir"):
        code, _, err = run(["--log-dir", str(path), *LOCAL])
        assert code == EXIT_OK and "nothing started" in err, err
    assert not MISSING.exists() and not (SANDBOX / "relative").exists()


def test_a_log_file_that_is_a_directory_is_named(monkeypatch):
    monkeypatch.setattr(serve, "free_port", lambda host="127.0.0.1": 40001)
    (DIR / "streamlit-40001.log").mkdir()
    try:
        code, _, err = run(["--log-dir", str(DIR), "--processes", "1", *LOCAL])
    finally:
        (DIR / "streamlit-40001.log").rmdir()
    assert code == EXIT_BAD_INPUT and "streamlit-40001.log there is not a file" in err, err


class FullStream(io.StringIO):
    def write(self, text):
        raise OSError(28, "No space left on device")

    def flush(self):
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("stdout, why", [(None, "standard output is closed"), (FullStream(), "No space left")])
def test_help_to_a_closed_or_full_stdout_is_one_line_and_its_own_status(stdout, why):
    err = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
        code = main(["--help"])
    assert code == EXIT_OUTPUT == 74
    said = err.getvalue()
    assert said.startswith("linviz serve: cannot write the output: ") and why in said, said
    assert len(said.splitlines()) == 1, said
