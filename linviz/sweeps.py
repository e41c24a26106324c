"""What an lr sweep came to: one sentence over every run, and the CSV / JSON downloads of a sweep.

Each run of a sweep is judged by the same `report.outcome` a single run is (its `r` picks the run).
"""
import io
import json

import numpy as np

from .analysis import listed
from .config import RunConfig
from .history import History, alive
from .query import to_query
from .report import outcome
from .say import Msg
from .state import TrainState
from .text import fmt_number

GROUPS = ("running", "converged", "not-converged", "diverged")  # the sentence's groups of runs, in this order
MAX_NAMED = 6  # runs named per group in the status line; the rest are counted


def run_kinds(cfg: RunConfig, s: TrainState, best=None, reachable=None) -> list[str]:
    """converged / not-converged / diverged / initial, per run (as report.outcome judges a finished run)."""
    return [outcome(cfg, s, best=best, reachable=reachable, r=r)[0] for r in range(len(cfg.lrs))]


def _listed(items: list, total: int) -> Msg:
    """The first items named, the rest (of `total`) counted: "lr 1e-5, lr 2e-5 and 3 more"."""
    shown = listed(items)
    return Msg("core.sweep.more", items=shown, n=total - len(items)) if total > len(items) else shown


def sweep_outcome(cfg: RunConfig, s: TrainState, running: bool = False, best=None,
                  reachable=None) -> tuple[str, str]:
    """(kind, sentence) for a whole sweep. kind: initial, running, converged (all), diverged (all), mixed.
    The sentence is a Msg (English as a str, any language on the page)."""
    if s.epoch == 0:
        return "initial", Msg("core.outcome.initial")
    kinds = run_kinds(cfg, s, best, reachable)
    err = np.max(np.abs(s.weights - np.asarray(cfg.true_weights)), axis=1)
    de = s.diverged_epoch
    groups = {}
    for r, kind in enumerate(kinds):
        kind = "running" if running and kind != "diverged" else kind
        groups.setdefault(kind, []).append(r)
    sentence = ""
    for kind in GROUPS:
        if kind in groups:
            items = [Msg(f"core.sweep.item.{kind}", lr=fmt_number(cfg.lrs[r]), err=err[r], epoch=de[r])
                     for r in groups[kind][:MAX_NAMED]]
            group = Msg("core.sweep.group", title=Msg(f"core.sweep.{kind}"), items=_listed(items, len(groups[kind])))
            sentence = Msg("core.sweep.then", a=sentence, b=group) if sentence else group
    if running:
        return "running", sentence
    overall = kinds[0] if len(set(kinds)) == 1 and kinds[0] in ("converged", "diverged") else "mixed"
    return overall, sentence


def sweep_csv(h: History) -> str:
    """One row per recorded epoch and run (runs that diverged end there): epoch, run, lr, losses, w1..wD."""
    v = h.view()
    d = v["weights"].shape[-1]
    out = io.StringIO()
    out.write(",".join(["epoch", "run", "lr", "loss", "last_loss", "test_loss", "elapsed"]
                       + [f"w{i + 1}" for i in range(d)]) + "\n")
    ok = alive(v)
    cell = lambda x: "" if np.isnan(x) else repr(float(x))
    for t, epoch in enumerate(v["epoch"]):
        for r in np.flatnonzero(ok[t]):
            values = [v[c][t, r] for c in ("lr", "loss", "last_loss", "test_loss")] + [v["elapsed"][t]]
            out.write(",".join([str(int(epoch)), str(r + 1)] + [cell(x) for x in [*values, *v["weights"][t, r]]]) + "\n")
    return out.getvalue()


def sweep_json(cfg: RunConfig, s: TrainState | None, best=None, reachable=None) -> str:
    """The settings (as URL parameters) and each run's result."""
    result = None
    if s is not None:
        kinds = run_kinds(cfg, s, best, reachable)
        runs = []
        for r, lr in enumerate(cfg.lrs):
            one = s.run(r)
            runs.append({"lr": lr, "lr_now": one.lr, "weights": one.weights.tolist(), "loss": one.loss,
                         "last_loss": one.last_loss, "test_loss": one.test_loss, "diverged": one.diverged,
                         "diverged_epoch": one.diverged_epoch, "kind": kinds[r]})
        result = {"epoch": s.epoch, "elapsed_s": s.elapsed, "runs": runs}
    return json.dumps({"settings": to_query(cfg, full=True), "true_weights": list(cfg.true_weights),
                       "result": result}, indent=2)

