"""The command line's flags (linviz/cli_flags.py): every field has one, negative values, usage errors, --help."""
import json

import pytest
from helpers_cli import assert_one_line_without_traceback

from linviz.cli import main


def test_every_runconfig_field_has_a_flag(capsys):
    argv = ["--weights", "1 2", "--samples", "20", "--lr", "0.05", "--epochs", "3", "--batch-size", "2",
            "--seed", "4", "--device", "cpu", "--optimizer", "momentum", "--momentum", "0.5", "--schedule", "step",
            "--step-size", "2", "--gamma", "0.5", "--shuffle", "--noise-std", "0.1", "--test-fraction", "0.2",
            "--standardize", "--feature-min", "0", "--feature-max", "10", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["test_loss"] is not None


def test_negative_values_follow_their_flag_directly(capsys):
    assert main(["--weights", "-2,3,4,7", "--feature-min", "-5", "--feature-max", "-1", "--epochs", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-4].split()[:2] == ["w1", "-2.0000"]
    assert main(["--weig", "-2,-3", "--epochs", "1"]) == 0  # an abbreviated flag, as argparse allows
    assert capsys.readouterr().out.splitlines()[-1].split()[:2] == ["w2", "-3.0000"]


@pytest.mark.parametrize("args, shown", [(["--lr", "-1"], "'-1'"), (["--lr", "-1e-5"], "'-1e-5'"),
                                         (["--lr", "-1e-5,2e-5"], "'-1e-5,2e-5'"), (["--samples", "-3"], "'-3'"),
                                         (["--shuffle", "-1"], "'-1'"), (["--print-every", "-2"], "'-2'")])
def test_a_negative_value_reaches_the_validator(args, shown, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert_one_line_without_traceback(err)
    assert f"got {shown}" in err


def test_a_flag_after_a_flag_is_not_taken_as_its_value(capsys):
    assert main(["--weights", "--lr", "-1"]) == 2  # --lr is a flag: --weights has no value
    assert "--weights: expected one argument" in capsys.readouterr().err
    assert main(["--", "--lr", "-1"]) == 2  # after --, nothing is glued to anything
    assert "unrecognized argument '--lr' (and 1 more)" in capsys.readouterr().err


def test_usage_errors_and_help_return_their_status_instead_of_raising(capsys):
    assert main(["x\ny" + "z" * 100, "--epochs", "2"]) == 2
    err = capsys.readouterr().err  # a newline in the user's text stays on one line; long text is cut
    assert_one_line_without_traceback(err)
    assert "unrecognized argument 'x\\ny" in err
    assert "z" * 60 not in err
    assert main(["--help"]) == 0


def test_help_shows_every_flags_label_default_and_allowed_values(capsys):
    from linviz.fields import FIELDS
    from linviz.query import DEFAULTS, to_query

    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    defaults = to_query(DEFAULTS, full=True)
    for f in FIELDS:
        flag = f.flag
        entry = text[text.index(flag + " ", text.index("options:")):]
        assert entry.split(" --")[0].count(f.label) == 1, flag
        assert f"Default: {defaults[f.key]}." in entry[:600], flag
    assert "one of: sgd, momentum, adam" in text
    assert "Default: 10." in text  # --print-every's
    assert "Default: 2,3,4,7." in text
    assert "Default: 1e-5." in text


def test_help_reads_new_table_columns_and_survives_a_percent_sign():
    from types import SimpleNamespace

    from linviz.cli_flags import field_help

    bare = SimpleNamespace(attr="lr", key="lr", label="Learning rate")  # the table before help/allowed existed
    assert field_help(bare) == "Learning rate. Default: 1e-5."
    rich = SimpleNamespace(attr="lr", key="lr", label="Learning rate", help="Step size, 100% of it",
                           allowed="a positive number", default="3e-5")
    text = field_help(rich)
    assert text == "Learning rate. Step size, 100%% of it. Allowed: a positive number. Default: 3e-5."
    assert (text % ()).count("%") == 1  # what argparse does to it


def test_text_that_cannot_be_read_at_all_is_bad_input(monkeypatch, capsys):
    """A ValueError or OverflowError from the field table (not a ConfigError) still names the flag, exit 2."""
    from linviz import cli_flags

    def broken(key, value):
        if key == "seed":
            raise OverflowError("int too large")
        return value

    monkeypatch.setattr(cli_flags, "parse_config", lambda values: [broken(k, v) for k, v in values.items()])
    monkeypatch.setattr(cli_flags, "parse_field", broken)
    assert main(["--seed", "9" * 80, "--epochs", "3"]) == 2
    err = capsys.readouterr().err
    assert_one_line_without_traceback(err)
    assert "Seed (seed): got '999" in err
    assert "9" * 70 not in err
