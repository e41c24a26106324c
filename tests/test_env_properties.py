"""Generated environment variables (linviz/env.py): any text in any variable the project reads gives a value or
one line naming the variable and what it allows, at every door: the table itself (in English and Chinese), the
page's training cap (a bad value: the default), `python -m linviz` (status 2) and `python -m linviz serve` (status
2, before anything starts). Never a traceback. The page's own error line is tested in tests/test_every_door.py."""
import contextlib
import io
import math
import os
import socket
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from linviz import env
from linviz.cli import main as cli_main
from linviz.say import say_in
from linviz.serve import EXIT_BAD_INPUT, EXIT_OK
from linviz.serve import main as serve_main
from linviz_app.training_cap import PER_PROCESS, cap_limit

HUGE = "9" * 5000  # more digits than int() reads (4,300)
ODD = ["", " ", "0", "00", "000000000000", "-0", "-1", "1", "6", "1.5", "1e3", "abc", "+3", "1_000", "٣", "１２", "²",
       "inf", "-inf", "nan", "0x10", HUGE, "1000000", "1000001", "100000", " 7 ", "\t4\n", "true", "TRUE", "yes", "no",
       "off", "On", "maybe", "\n", "1\n2", "\x00", "\udcff", "0.0", ".5", "5.", "1e-300", "1e309", "1e-400", "5e-324",
       "1e99999", "512", "0.000001", "-512", "1,5", "1.5.5", "e5", "1e", "' OR 1=1", "<b>x</b>", "\u2028", "  "]
TEXTS = st.one_of(st.sampled_from(ODD), st.text(max_size=20), st.integers(-(10**12), 10**12).map(str),
                  st.floats().map(repr), st.text(min_size=100, max_size=300),
                  st.text(alphabet="0123456789.eE+- ", max_size=12))
IN_AN_ENVIRONMENT = TEXTS.filter(lambda t: "\x00" not in t)  # what an environment can hold


def one_line(text: str) -> bool:
    return len(text.splitlines()) == 1 and "Traceback" not in text


def check_value(var: env.EnvVar, text: str, value) -> None:
    """What an allowed text means, per variable."""
    t = text.strip()
    if var is env.MAX_TRAININGS:
        assert value is None or (isinstance(value, int) and 1 <= value <= env.MAX_TRAININGS_MOST), (text, value)
        assert (value is None) == (t.strip("0") == ""), (text, value)
        if value is not None:
            assert value == int(t)
    elif var is env.MEMORY_MB:
        assert value is None or (isinstance(value, float) and math.isfinite(value) and value > 0), (text, value)
        assert (value is None) == (t == ""), (text, value)
    elif var is env.DEBUG:
        assert value is (t.lower() in env.DEBUG_ON), (text, value)
    else:
        assert value == (text if t else None)


@pytest.mark.parametrize("var", env.VARS, ids=lambda v: v.name)
@given(text=TEXTS)
@example(text="-1").via("the issue: Train waited forever")
@example(text="1.5").via("the issue: int() raised on every page")
@example(text="abc").via("the issue")
@example(text="1\n2").via("a newline must not make a second line")
@example(text=HUGE).via("more digits than int() reads")
@example(text="0" * 34 + "\x1f" * 7 + "\U000101fe" * 20).via("found: escapes made a clipped value long again")
def test_any_text_is_a_value_or_one_line_naming_the_variable(var, text):
    try:
        value = var.read({var.name: text})
    except env.EnvError as e:
        assert e.name == var.name and var.allowed is not None
        for lang in ("en", "zh"):  # the page says it in its language
            said = say_in(e.message, lang)
            assert var.name in said and one_line(said), said
            assert len(said) < 400, said  # a pasted novel is not echoed back
        return
    check_value(var, text, value)


@given(text=TEXTS)
@example(text="-1")
@example(text="0")
@example(text="abc")
def test_the_training_cap_is_always_a_whole_number_of_one_or_more(text):
    limit = cap_limit({"LINVIZ_MAX_TRAININGS": text})
    assert isinstance(limit, int) and limit >= 1
    try:
        assert limit == (env.MAX_TRAININGS.parse(text) or PER_PROCESS)
    except ValueError:
        assert limit == PER_PROCESS  # a bad value: the default (the page names it)


@given(n=st.integers(1, env.MAX_TRAININGS_MOST), pad=st.sampled_from(["", " ", "0", "00"]))
def test_every_allowed_cap_reads_as_written(n, pad):
    text = pad.strip() + str(n) + pad.replace("0", "")
    assert env.MAX_TRAININGS.parse(text) == n


@given(mb=st.floats(min_value=1e-300, max_value=1e300))
def test_every_positive_memory_budget_reads_as_written(mb):
    assert env.MEMORY_MB.parse(repr(mb)) == mb
    assert env.MEMORY_MB.parse(f" {mb:g} ") == float(f"{mb:g}")


def test_the_table_and_the_page_agree_on_the_default_cap():
    assert PER_PROCESS == env.MAX_TRAININGS_DEFAULT
    assert {v.name for v in env.VARS} >= {"LINVIZ_MAX_TRAININGS", "LINVIZ_DEBUG", "LINVIZ_MEMORY_MB"}
    for var in env.VARS:  # every variable a page reads has a default the page can fall back on, and says it
        assert var.read({}) is None or var is env.DEBUG
        assert ("page" in var.read_by) <= (var.fallback is not None), var.name


# --- the doors: `python -m linviz` and `serve`, in-process ------------------------------------------------------

@contextlib.contextmanager
def environment(name: str, text: str):
    old = os.environ.get(name)
    os.environ[name] = text
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def run(main, argv, **kw):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv, **kw)
    return code, out.getvalue(), err.getvalue()


def bad(var: env.EnvVar, text: str) -> bool:
    try:
        var.read({var.name: text})
        return False
    except env.EnvError:
        return True


CLI_VARS = [v for v in env.VARS if "cli" in v.read_by]
SERVE_VARS = [v for v in env.VARS if {"page", "serve"} & set(v.read_by)]


@given(var=st.sampled_from(CLI_VARS), text=IN_AN_ENVIRONMENT)
@example(var=env.DEBUG, text="maybe")
@example(var=env.DEBUG, text="0")  # off: it once meant on (any text did)
def test_the_command_line_names_a_bad_variable_in_one_line_and_exits_2(var, text):
    with environment(var.name, text):
        code, out, err = run(cli_main, ["--epochs", "1", "--samples", "2"])
    if bad(var, text):
        assert code == 2 and out == "", (code, err)
        assert one_line(err) and err.startswith(f"linviz: The environment variable {var.name} is "), err
    else:
        assert code == 0 and err == "", (code, err)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = _free_port()


@given(var=st.sampled_from(SERVE_VARS), text=IN_AN_ENVIRONMENT)
@example(var=env.MAX_TRAININGS, text="-1")
@example(var=env.MAX_TRAININGS, text="abc")
@example(var=env.MAX_TRAININGS, text="1.5")
@example(var=env.MEMORY_MB, text="0")
@example(var=env.COOKIE_SECRET, text="")  # an empty secret is none: serve makes one
def test_serve_checks_every_variable_before_it_starts_anything(var, text):
    argv = ["--processes", "1", "--address", "127.0.0.1", "--port", str(PORT), "--haproxy", sys.executable]
    with environment(var.name, text):
        code, out, err = run(serve_main, argv, start=False)
    assert one_line(err) and out == "", err
    if bad(var, text):
        assert code == EXIT_BAD_INPUT, err
        assert err.startswith(f"linviz serve: The environment variable {var.name} is "), err
    else:
        assert code == EXIT_OK and "nothing started" in err, err
