"""`python -m linviz`: train from the command line and print what the tutorial prints.

Exit status: 0 done, 2 bad input (one line on stderr), 3 a run diverged, 130 interrupted.
"""
import argparse
import json
import sys

import numpy as np
import torch

from .analyze_cli import report
from .config import ConfigError
from .engine import TrainState, train
from .estimate import long_run_warning
from .fields import FIELDS, parse_config

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
_BOOLS = ("shuffle", "standardize")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump: the student should see what to fix
        self.exit(EXIT_BAD_INPUT, f"linviz: {message} (see python -m linviz --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m linviz [analyze]",
                description="Train y = w.x the way the PyTorch tutorial does, fast. With `analyze` first: print "
                            "what the data says about learning rates instead (thresholds, regimes, least squares).")
    for f in FIELDS:  # every RunConfig field, from the same table the dashboard and URLs use
        flag = "--" + f.key.replace("_", "-")
        extra = {"nargs": "?", "const": "true"} if f.attr in _BOOLS else {}
        p.add_argument(flag, dest=f.key, metavar="X", help=f"{f.label}", **extra)
    p.add_argument("--print-every", type=int, default=10, metavar="K", help="print every K epochs (default 10)")
    p.add_argument("--json", action="store_true", help="print one JSON object per epoch instead")
    return p


def _fmt_loss(v: float) -> str:
    return f"{v:.4f}" if v < 1e6 else f"{v:.4e}"  # the tutorial's 4 decimals, readable when it explodes


def _fmt_runs(values, lrs) -> str:
    if np.ndim(values) == 0:
        return _fmt_loss(values)
    return ", ".join(f"{_fmt_loss(v)} (lr {lr:g})" for v, lr in zip(values, lrs))


def _as_json(s: TrainState) -> str:
    clean = lambda v: v.tolist() if isinstance(v, np.ndarray) else v
    return json.dumps({k: clean(v) for k, v in vars(s).items()})


def _summary(cfg, s: TrainState) -> str:
    rows = [f"{'weight':>8} {'true':>12} " + " ".join(f"{'learned' if not cfg.is_sweep else f'lr {lr:g}':>12}"
                                                        for lr in cfg.lrs)]
    learned = np.atleast_2d(s.weights)
    for i, w in enumerate(cfg.true_weights):
        rows.append(f"{'w' + str(i + 1):>8} {w:>12.4f} " + " ".join(f"{v:>12.4f}" for v in learned[:, i]))
    return "\n".join(rows)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv[:1] == ["analyze"] else "train"
    args = build_parser().parse_args(argv)
    values = {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}
    try:
        cfg = parse_config(values)
        if args.print_every < 1:
            raise ConfigError("print_every", str(args.print_every), "Use a whole number of 1 or more.")
    except ConfigError as e:
        print(f"linviz: {' '.join(e.errors.values())}", file=sys.stderr)
        return EXIT_BAD_INPUT
    torch.set_num_threads(1)  # per-step work is tiny: a second thread only adds contention
    if command == "analyze":
        print(report(cfg))
        return EXIT_OK
    if long_run_warning(cfg):
        print(f"linviz: note: {long_run_warning(cfg)}", file=sys.stderr)
    state = None
    try:
        for state in train(cfg):
            if args.json:
                print(_as_json(state), flush=True)
            elif state.epoch and (state.epoch % args.print_every == 0 or state.epoch == cfg.epochs
                                  or np.all(state.diverged)):
                print(f"Epoch [{state.epoch}/{cfg.epochs}], Loss: {_fmt_runs(state.last_loss, cfg.lrs)}", flush=True)
    except KeyboardInterrupt:
        print(f"linviz: interrupted after epoch {state.epoch if state else 0}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.json:
        print("training done")
        print(_summary(cfg, state))
    diverged = np.atleast_1d(state.diverged_epoch if cfg.is_sweep else (state.diverged_epoch or -1))
    if (diverged >= 0).any():
        which = [f"lr {lr:g} at epoch {e}" for lr, e in zip(cfg.lrs, diverged) if e >= 0]
        print(f"linviz: diverged ({', '.join(which)}): the loss blew up, so training stopped there. "
              "Try a smaller learning rate.", file=sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK
