"""`python -m linviz`: train from the command line and print what the tutorial prints.

The flags and how text becomes a RunConfig are in cli_flags.py; this module runs and prints.

After training it says what the run came to in the page's own sentence (report.outcome, sweeps.sweep_outcome for
a sweep, against report.outcome_targets): converged, diverged, not there yet, many weights fitting the samples, the
noise floor. It is the line after "training done" (for a single run that diverged, the line that says so), just
above the weights' table; with --json the last record also holds "outcome": {"kind": ..., "sentence": ...}.

Exit status (the same for `python -m linviz analyze`):
  0    done
  2    bad input: one line on stderr naming the setting and what is allowed
  3    a run diverged (the line names the lr and the epoch)
  4    internal error: a bug in linviz, one line on stderr (LINVIZ_DEBUG=1 shows the traceback instead)
  74   the output cannot be written: stdout is closed (`>&-`) or full (`> /dev/full`); one line on stderr
  130  interrupted (Ctrl-C)
  141  the reader closed the pipe (`python -m linviz --json | head -1`): stops quietly, as `yes | head` does

Bad input includes an environment variable it reads that is not allowed (LINVIZ_DEBUG: linviz/env.py).
"""
import json
import os
import signal
import sys
import threading

import numpy as np
import torch

from .analyze_cli import analysis_text
from .checks import check_machine
from .cli_flags import EXIT_BAD_INPUT, BadFlag, one_line, parse
from .data import Dataset, make_dataset
from .engine import DIVERGE_FACTOR, train
from .env import EXIT_OUTPUT, EnvError, GuardedStdout, OutputError, discard_stdout
from .env import check as check_env
from .env import debug as debug_on
from .errors import ConfigError
from .estimate import long_run_warning
from .report import outcome, outcome_targets
from .state import TrainState
from .sweeps import sweep_outcome
from .text import fmt_number

EXIT_OK, EXIT_DIVERGED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE = 0, 3, 4, 130, 141
JSON_KEYS = ("epoch", "weights", "loss", "last_loss", "test_loss", "lr", "grad_norm", "diverged", "diverged_epoch",
             "elapsed", "steps")
GONE = ("weights", "loss", "last_loss", "test_loss", "grad_norm")  # a diverged run has none of its own any more


def _say(message: str) -> None:
    if sys.stderr is not None:  # closed too (`2>&-`): nowhere to say it, and print(file=None) would use stdout
        print(f"linviz: {one_line(message)}", file=sys.stderr, flush=True)


def _fmt_loss(v: float) -> str:
    return f"{v:.4f}" if v < 1e6 else f"{v:.4e}"  # the tutorial's 4 decimals, readable when it explodes


BLEW_UP = (f"the loss stopped being a finite number or grew over {fmt_number(DIVERGE_FACTOR)} times its start (or "
           f"past {fmt_number(DIVERGE_FACTOR)}, from a start below 1)")  # the engine's rule: engine.DIVERGE_FACTOR


def _fmt_losses(cfg, s: TrainState) -> str:
    """One loss per run: a single run's alone, a sweep's each with its lr; a run that diverged says so, since its
    numbers are those of its last finite epoch, not this one's."""
    if not cfg.is_sweep:
        return _fmt_loss(s.last_loss[0])
    return ", ".join(f"diverged at epoch {e} (lr {fmt_number(lr)})" if e >= 0 else f"{_fmt_loss(v)} (lr {fmt_number(lr)})"
                     for v, lr, e in zip(s.last_loss, cfg.lrs, s.diverged_epoch))


def _diverged_line(cfg, prev: TrainState, r: int) -> str:
    """Run r blew up in the epoch after `prev`: which epoch, and its last finite loss, labelled with its own epoch.

    The state of the epoch it blew up in repeats `prev`'s numbers (the engine keeps the last finite weights);
    printed under the new epoch's number they would be the wrong epoch's."""
    one = prev.run(r)
    head = f"diverged at epoch {one.epoch + 1} (lr {fmt_number(cfg.lrs[r])}): {BLEW_UP}"
    if one.epoch == 0:
        return (f"{head} in its very first epoch. No epoch ended with a finite loss; the last finite one is the start's "
                f"(epoch 0, before any step): {_fmt_loss(one.loss)}, the mean over the training samples")
    return (f"{head}. The last finite loss was at epoch {one.epoch}: {_fmt_loss(one.last_loss)} (its last sample's, "
            f"as the tutorial prints; the mean over the training samples: {_fmt_loss(one.loss)})")


def final_outcome(cfg, s: TrainState, data: Dataset) -> tuple[str, str]:
    """(kind, sentence) for a finished run, as the page says it (linviz_app/board.py): report.outcome, or
    sweeps.sweep_outcome for a sweep, judged against report.outcome_targets(cfg, data). The sentence is a Msg:
    English as a str."""
    best, reachable = outcome_targets(cfg, data)
    judge = sweep_outcome if cfg.is_sweep else outcome
    return judge(cfg, s, best=best, reachable=reachable)


def _writable(text: str) -> str:
    """`text` as stdout can write it: the page's sweep sentence joins its groups with " · ", which an ASCII
    stdout (PYTHONIOENCODING=ascii) cannot write; there they are joined with "; " instead."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.replace(" · ", "; ").replace("·", "-").encode(encoding, "replace").decode(encoding)
    except LookupError:  # an encoding Python does not know: print() will say so as it always did
        pass
    return text


def _finished(cfg, s: TrainState) -> bool:
    """Whether `s` is the last state train() yields: the last epoch, or every run diverged (Trainer.done)."""
    return s.epoch >= cfg.epochs or bool(np.all(s.diverged))


def _as_json(cfg, s: TrainState, verdict: tuple[str, str] | None = None) -> str:
    """One epoch as strict JSON: a single run's numbers, or a list with one entry per run for a sweep.

    The last record (the run's end, `verdict` given) also has "outcome": {"kind": ..., "sentence": ...}, what the
    page says of the run (final_outcome); the records before it have no "outcome" key.

    diverged_epoch is null while a run has not diverged. A run that has diverged has no numbers of its own from
    that epoch on: its weights, losses and grad_norm are null there (its last finite ones are in the record of
    the epoch before diverged_epoch); a number too large to be finite is written as null too, never NaN or
    Infinity."""
    def clean(v):
        if isinstance(v, np.ndarray):
            return clean(v.tolist())
        if isinstance(v, list):
            return [clean(x) for x in v]
        return None if isinstance(v, float) and not np.isfinite(v) else v
    runs = [s.run(r) for r in range(len(cfg.lrs))]
    values = [{k: None if one.diverged and k in GONE else getattr(one, k) for k in JSON_KEYS} for one in runs]
    if cfg.is_sweep:
        values = {k: getattr(s, k) if k in ("epoch", "elapsed", "steps") else [v[k] for v in values] for k in JSON_KEYS}
    else:
        values = values[0]
    record = {k: clean(v) for k, v in values.items()}
    if verdict is not None:
        record["outcome"] = {"kind": verdict[0], "sentence": str(verdict[1])}
    return json.dumps(record, allow_nan=False)


def _summary(cfg, s: TrainState) -> str:
    """The true weights beside the learned ones; a run that diverged shows its last finite weights, and says so."""
    notes = []
    for r, e in enumerate(s.diverged_epoch):
        if e >= 0:
            which = "the initial ones (epoch 0)" if e == 1 else f"the last finite ones, epoch {e - 1}'s"
            run = f" of lr {fmt_number(cfg.lrs[r])}" if cfg.is_sweep else ""
            notes.append(f"weights{run}: {which}; it diverged at epoch {e}")
    if cfg.is_sweep:
        names = [f"lr {fmt_number(lr)}" for lr in cfg.lrs]
    else:
        names = ["learned" if not notes else "initial" if s.diverged_epoch[0] == 1 else "last finite"]
    rows = [f"{'weight':>8} {'true':>12} " + " ".join(f"{name:>12}" for name in names)]
    for i, w in enumerate(cfg.true_weights):
        rows.append(f"{'w' + str(i + 1):>8} {w:>12.4f} " + " ".join(f"{v:>12.4f}" for v in s.weights[:, i]))
    return "\n".join([*notes, *rows])


def _train(cfg, args) -> int:
    check_machine(cfg)  # as Trainer does, before the data is drawn: a run too large is named before it allocates
    data = make_dataset(cfg)  # the run's own data, so that its outcome is judged on what it trained on
    state = prev = verdict = None
    try:
        for state in train(cfg, data):
            if args.json:
                verdict = final_outcome(cfg, state, data) if _finished(cfg, state) else None
                print(_as_json(cfg, state, verdict), flush=True)
            elif state.epoch:
                for r in np.flatnonzero(state.diverged_epoch == state.epoch):  # blew up in this epoch
                    print(_diverged_line(cfg, prev, r), flush=True)
                if not np.all(state.diverged) and (state.epoch % args.print_every == 0 or state.epoch == cfg.epochs):
                    print(f"Epoch [{state.epoch}/{cfg.epochs}], Loss: {_fmt_losses(cfg, state)}", flush=True)
            prev = state
    except KeyboardInterrupt:
        _say(f"interrupted after epoch {state.epoch if state else 0}")
        return EXIT_INTERRUPTED
    if not args.json:
        if not np.all(state.diverged):
            print("training done")
        elif cfg.is_sweep:  # each run's own epoch is in the lines above and in the message below
            print(f"training stopped: every run diverged, the last at epoch {state.epoch}")
        # a single run that diverged has no line of its own here: the page's sentence says where it stopped
        print(_writable(str((verdict or final_outcome(cfg, state, data))[1])))
        print(_summary(cfg, state), flush=True)
    which = [f"lr {fmt_number(lr)} at epoch {e}" for lr, e in zip(cfg.lrs, state.diverged_epoch) if e >= 0]
    if which:
        _say(f"diverged ({', '.join(which)}): the loss blew up, so training stopped there. "
             "Try a smaller learning rate.")
        return EXIT_DIVERGED
    return EXIT_OK


def main(argv=None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]) and return its exit status; never raises,
    except BrokenPipeError and OutputError (see `run`) and, with LINVIZ_DEBUG set, an internal error."""
    try:
        check_env("cli")  # before anything: a bad variable is bad input, named in one line
        try:
            command, cfg, args = parse(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as e:  # argparse: --help (0) or a usage error (2, its line already printed)
            return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
        torch.set_num_threads(1)  # per-step work is tiny: a second thread only adds contention
        if command == "analyze":
            print(analysis_text(cfg), flush=True)
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
    except (BadFlag, EnvError) as e:
        _say(str(e))
        return EXIT_BAD_INPUT
    except (BrokenPipeError, OutputError):
        raise
    except Exception as e:  # a bug: say so in one line and exit with its own status
        if debug_on():
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
    """`main` for a process: also exits quietly when stdout's reader has gone (`| head`), and in one line when
    stdout is closed or full."""
    stdout = sys.stdout
    sys.stdout = GuardedStdout(stdout)  # a failed write raises OutputError (argparse's --help included)
    try:
        code = main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here at the latest
    except BrokenPipeError:
        discard_stdout(stdout)  # the interpreter's own final flush must not fail again
        code = EXIT_PIPE
    except OutputError as e:
        discard_stdout(stdout)
        _say(f"cannot write the output: {e.strerror}")
        code = EXIT_OUTPUT
    except KeyboardInterrupt:  # between main's handlers and here
        code = EXIT_INTERRUPTED
        _say("interrupted")
    finally:
        sys.stdout = stdout
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the status is decided: a late Ctrl-C adds no traceback
    return code
