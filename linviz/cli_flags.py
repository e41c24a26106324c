"""The command line's flags, from the field table: the parser, `--help`, and text to a RunConfig.

Every RunConfig field is a flag (`--batch-size` for `batch_size`) whose help is its table entry: label, help,
allowed values, default. Bad input of any kind ends here as a ConfigError or a BadFlag, one line naming the
flag; argparse's own usage errors exit with status 2 (EXIT_BAD_INPUT) in one line too.
"""
import argparse
import re

from .checks import check_machine
from .errors import ConfigError
from .fields import FIELDS
from .query import DEFAULTS, parse_config, parse_field, to_query

EXIT_BAD_INPUT = 2  # argparse's own status for a usage error; the CLI uses it for every kind of bad input
_BOOLS = ("shuffle", "standardize")
_MAX_ECHO = 60  # characters of a user's value repeated in a message


class BadFlag(Exception):
    """Bad input that is not a RunConfig field (--print-every), or text the field table could not read."""


class _Parser(argparse.ArgumentParser):
    def parse_args(self, args=None, namespace=None):
        namespace, extra = self.parse_known_args(args, namespace)
        extra = [a for a in extra if a != "--"]  # a bare `--` ends the flags; what follows it is left over
        if extra:  # name the first one, cut to a readable length (argparse lists them all, in full)
            self.error(f"unrecognized argument {_shown(extra[0])}" + (f" (and {len(extra) - 1} more)" if extra[1:] else ""))
        return namespace

    def error(self, message):  # one line, no usage dump: the student should see what to fix
        message = re.sub(rf"\S{{{_MAX_ECHO + 1},}}", lambda m: m.group()[:_MAX_ECHO - 3] + "...", one_line(message))
        self.exit(EXIT_BAD_INPUT, f"linviz: {message[:300]} (see python -m linviz --help)\n")


def one_line(text: str) -> str:
    """`text` as one line: control characters (newlines included) written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", lambda m: repr(m.group())[1:-1], str(text))


def _shown(value: str) -> str:
    value = value if len(value) <= _MAX_ECHO else value[:_MAX_ECHO - 3] + "..."
    return repr(value)


def field_help(f) -> str:
    """The flag's help, from the field table: label, help, allowed values and default.

    Reads optional attributes (`help`, `allowed`, `choices`, `default`) with fallbacks, so new columns of
    the table show up here without a change."""
    parts = [getattr(f, "label", f.key).rstrip(".") + "."]
    text = getattr(f, "help", None)
    if text:
        parts.append(str(text).rstrip(".") + ".")
    allowed, choices = getattr(f, "allowed", None), getattr(f, "choices", None)
    if allowed:
        parts.append(f"Allowed: {str(allowed).rstrip('.')}.")
    elif choices:
        parts.append(f"One of: {', '.join(map(str, choices))}.")
    default = getattr(f, "default", None)
    parts.append(f"Default: {default if default is not None else to_query(DEFAULTS, full=True)[f.key]}.")
    return " ".join(parts).replace("%", "%%")  # argparse %-formats help strings


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m linviz [analyze]",
                description="Train y = w.x the way the PyTorch tutorial does, fast. With `analyze` first: print "
                            "what the data says about learning rates instead (thresholds, regimes, least squares).",
                epilog="Negative values can follow their flag directly (--weights -2,3,4,7). Exit status: 0 done, "
                       "2 bad input, 3 a run diverged, 4 internal error, 74 the output cannot be written (stdout closed or "
                       "full), 130 interrupted (Ctrl-C), 141 the output pipe closed (| head). To serve the dashboard to a lecture hall: python -m linviz serve --help.",
                add_help=False)
    actions = [p.add_argument("-h", "--help", action="help", help="Show this help and exit.")]
    for f in FIELDS:  # every RunConfig field, from the same table the dashboard and URLs use
        extra = {"nargs": "?", "const": "true"} if f.attr in _BOOLS else {}
        metavar = getattr(f, "metavar", None) or ("BOOL" if f.attr in _BOOLS else f.key.upper())
        actions.append(p.add_argument(f.flag, dest=f.key, metavar=metavar, help=field_help(f), **extra))
    actions.append(p.add_argument("--print-every", metavar="K",
                                  help="Print every K epochs (a whole number, 1 or more). Default: 10."))
    actions.append(p.add_argument("--json", action="store_true", help="Print one JSON object per epoch instead."))
    p.flags = {s: a for a in actions for s in a.option_strings}  # for _glue_negative_values
    return p


def _option(parser: argparse.ArgumentParser, token: str):
    """The action `token` names (exactly, or as an unambiguous --prefix as argparse allows), else None."""
    name = token.split("=", 1)[0] if token.startswith("--") else token
    actions = parser.flags
    if name in actions:
        return actions[name]
    if name.startswith("--") and len(name) > 2 and parser.allow_abbrev:
        hits = {a for s, a in actions.items() if s.startswith(name)}
        return hits.pop() if len(hits) == 1 else None
    return None


def _glue_negative_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`--weights -2,3` -> `--weights=-2,3`: argparse reads a value starting with '-' as a flag, unless it is
    a plain negative number. A value is glued to its flag when it is not itself a flag; `--` ends flags."""
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            out += argv[i:]
            break
        action = _option(parser, tok) if tok.startswith("-") and "=" not in tok else None
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if (action is not None and action.nargs != 0 and nxt is not None and nxt.startswith("-") and nxt != "--"
                and _option(parser, nxt) is None):
            out.append(f"{tok}={nxt}")
            i += 2
        else:
            out.append(tok)
            i += 1
    return out


def _print_every(text: str) -> int:
    t = text.strip()
    if not re.fullmatch(r"\+?[0-9]{1,18}", t) or int(t) < 1:
        raise BadFlag(f"Print every (print_every): got {_shown(text)}. Use a whole number of 1 or more.")
    return int(t)


def _unreadable(values: dict, error: Exception) -> BadFlag:
    """Name the flag whose text the field table failed on with `error` (a ValueError that is no ConfigError)."""
    for f in FIELDS:
        if f.key in values:
            try:
                parse_field(f.key, values[f.key])
            except (ValueError, OverflowError, ArithmeticError) as e:
                if not isinstance(e, ConfigError):
                    return BadFlag(f"{f.label} ({f.key}): got {_shown(values[f.key])}, which cannot be read. "
                                   "See python -m linviz --help for what it takes.")
    return BadFlag(f"The settings cannot be read ({type(error).__name__}). See python -m linviz --help.")


def parse(argv: list[str]):
    """(command, cfg, args) from the command line; raises ConfigError, BadFlag or SystemExit (argparse, --help).

    cfg is checked against this machine here (checks.check_machine: no CUDA, or not enough memory), before
    anything is printed or trained."""
    command = argv.pop(0) if argv[:1] == ["analyze"] else "train"
    parser = build_parser()
    args = parser.parse_args(_glue_negative_values(parser, argv))
    values = {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}
    try:
        cfg = parse_config(values)
    except ConfigError:
        raise
    except (ValueError, OverflowError, ArithmeticError) as e:  # the text could not be read at all
        raise _unreadable(values, e) from e
    args.print_every = 10 if args.print_every is None else _print_every(args.print_every)
    check_machine(cfg)
    return command, cfg, args
