"""`python -m linviz`: train from the command line and print what the tutorial prints.

Exit status (the same for `python -m linviz analyze`):
  0    done
  2    bad input: one line on stderr naming the setting and what is allowed
  3    a run diverged (the line names the lr and the epoch)
  4    internal error: a bug in linviz, one line on stderr (LINVIZ_DEBUG=1 shows the traceback instead)
  130  interrupted (Ctrl-C)
  141  the reader closed the pipe (`python -m linviz --json | head -1`): stops quietly, as `yes | head` does
"""
import argparse
import json
import os
import re
import signal
import sys
import threading

import numpy as np
import torch

from .checks import check_machine
from .engine import TrainState, train
from .errors import ConfigError, fmt_number
from .estimate import long_run_warning
from .fields import FIELDS
from .query import DEFAULTS, parse_config, parse_field, to_query

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE = 0, 2, 3, 4, 130, 141
_BOOLS = ("shuffle", "standardize")
_MAX_ECHO = 60  # characters of a user's value repeated in a message


class _Parser(argparse.ArgumentParser):
    def parse_args(self, args=None, namespace=None):
        namespace, extra = self.parse_known_args(args, namespace)
        extra = [a for a in extra if a != "--"]  # a bare `--` ends the flags; what follows it is left over
        if extra:  # name the first one, cut to a readable length (argparse lists them all, in full)
            self.error(f"unrecognized argument {_shown(extra[0])}" + (f" (and {len(extra) - 1} more)" if extra[1:] else ""))
        return namespace

    def error(self, message):  # one line, no usage dump: the student should see what to fix
        message = re.sub(rf"\S{{{_MAX_ECHO + 1},}}", lambda m: m.group()[:_MAX_ECHO - 3] + "...", _one_line(message))
        self.exit(EXIT_BAD_INPUT, f"linviz: {message[:300]} (see python -m linviz --help)\n")


def _one_line(text: str) -> str:
    """`text` as one line: control characters (newlines included) written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", lambda m: repr(m.group())[1:-1], str(text))


def _shown(value: str) -> str:
    value = value if len(value) <= _MAX_ECHO else value[:_MAX_ECHO - 3] + "..."
    return repr(value)


def _say(message: str) -> None:
    print(f"linviz: {_one_line(message)}", file=sys.stderr, flush=True)


def _field_help(f) -> str:
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
                       "2 bad input, 3 a run diverged, 4 internal error, 130 interrupted (Ctrl-C), 141 the output pipe "
                       "closed (| head).", add_help=False)
    actions = [p.add_argument("-h", "--help", action="help", help="Show this help and exit.")]
    for f in FIELDS:  # every RunConfig field, from the same table the dashboard and URLs use
        flag = "--" + f.key.replace("_", "-")
        extra = {"nargs": "?", "const": "true"} if f.attr in _BOOLS else {}
        metavar = getattr(f, "metavar", None) or ("BOOL" if f.attr in _BOOLS else f.key.upper())
        actions.append(p.add_argument(flag, dest=f.key, metavar=metavar, help=_field_help(f), **extra))
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


class BadFlag(Exception):
    """Bad input that is not a RunConfig field (--print-every), or text the field table could not read."""


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


def _fmt_loss(v: float) -> str:
    return f"{v:.4f}" if v < 1e6 else f"{v:.4e}"  # the tutorial's 4 decimals, readable when it explodes


def _fmt_runs(values, lrs) -> str:
    if np.ndim(values) == 0:
        return _fmt_loss(values)
    return ", ".join(f"{_fmt_loss(v)} (lr {fmt_number(lr)})" for v, lr in zip(values, lrs))


def _as_json(s: TrainState) -> str:
    """One epoch as strict JSON: a number too large to be finite is written as null, never NaN or Infinity."""
    def clean(v):
        if isinstance(v, np.ndarray):
            return clean(v.tolist())
        if isinstance(v, list):
            return [clean(x) for x in v]
        return None if isinstance(v, float) and not np.isfinite(v) else v
    return json.dumps({k: clean(v) for k, v in vars(s).items()}, allow_nan=False)


def _summary(cfg, s: TrainState) -> str:
    rows = [f"{'weight':>8} {'true':>12} " + " ".join(f"{'learned' if not cfg.is_sweep else f'lr {fmt_number(lr)}':>12}"
                                                        for lr in cfg.lrs)]
    learned = np.atleast_2d(s.weights)
    for i, w in enumerate(cfg.true_weights):
        rows.append(f"{'w' + str(i + 1):>8} {w:>12.4f} " + " ".join(f"{v:>12.4f}" for v in learned[:, i]))
    return "\n".join(rows)


def _parse(argv: list[str]):
    """(command, cfg, args) from the command line; raises ConfigError or SystemExit (argparse, --help)."""
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
    check_machine(cfg)  # a valid setting this machine cannot run: no CUDA, or not enough memory
    return command, cfg, args


def _train(cfg, args) -> int:
    state = None
    try:
        for state in train(cfg):
            if args.json:
                print(_as_json(state), flush=True)
            elif state.epoch and (state.epoch % args.print_every == 0 or state.epoch == cfg.epochs
                                  or np.all(state.diverged)):
                print(f"Epoch [{state.epoch}/{cfg.epochs}], Loss: {_fmt_runs(state.last_loss, cfg.lrs)}", flush=True)
    except KeyboardInterrupt:
        _say(f"interrupted after epoch {state.epoch if state else 0}")
        return EXIT_INTERRUPTED
    if not args.json:
        print("training stopped: it diverged" if np.all(state.diverged) else "training done")
        print(_summary(cfg, state), flush=True)
    diverged = np.atleast_1d(state.diverged_epoch if cfg.is_sweep else (state.diverged_epoch or -1))
    if (diverged >= 0).any():
        which = [f"lr {fmt_number(lr)} at epoch {e}" for lr, e in zip(cfg.lrs, diverged) if e >= 0]
        _say(f"diverged ({', '.join(which)}): the loss blew up, so training stopped there. "
             "Try a smaller learning rate.")
        return EXIT_DIVERGED
    return EXIT_OK


def main(argv=None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]) and return its exit status; never raises,
    except BrokenPipeError (see `run`) and, with LINVIZ_DEBUG set, an internal error."""
    try:
        try:
            command, cfg, args = _parse(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as e:  # argparse: --help (0) or a usage error (2, its line already printed)
            return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
        torch.set_num_threads(1)  # per-step work is tiny: a second thread only adds contention
        if command == "analyze":
            from .analyze_cli import report  # here: training does not need the analysis
            print(report(cfg), flush=True)
            return EXIT_OK
        note = long_run_warning(cfg)
        if note:
            _say(f"note: {note}")
        return _train(cfg, args)
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except ConfigError as e:
        _say(" ".join(e.errors.values()))
        return EXIT_BAD_INPUT
    except BadFlag as e:
        _say(str(e))
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise
    except Exception as e:  # a bug: say so in one line and exit with its own status
        if os.environ.get("LINVIZ_DEBUG"):
            raise
        _say(internal_error(e))
        return EXIT_INTERNAL


def internal_error(e: BaseException) -> str:
    """One line for a bug: the exception, where it was raised, and how to see the traceback."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else ""
    return (f"internal error ({type(e).__name__}{where}: {str(e)[:200]}). This is a bug in linviz; "
            "LINVIZ_DEBUG=1 shows the traceback.")


def run(argv=None) -> int:
    """`main` for a process: also exits quietly when stdout's reader has gone (`| head`)."""
    try:
        code = main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here at the latest
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's own final flush must not fail again
        code = EXIT_PIPE
    except KeyboardInterrupt:  # between main's handlers and here
        code = EXIT_INTERRUPTED
        _say("interrupted")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the status is decided: a late Ctrl-C adds no traceback
    return code
