"""What an lr sweep came to: one sentence over every run, and the CSV / JSON downloads of a sweep.

Each run of a sweep is judged by the same `report.outcome` a single run is (its `r` picks the run).
"""
import io
import json

import numpy as np

from .config import RunConfig
from .history import History, alive
from .query import to_query
from .report import outcome
from .state import TrainState
from .text import fmt_number

GROUPS = (("converged", "Converged"), ("not-converged", "Not converged yet, max |w - w*|"), ("diverged", "Diverged"))
MAX_NAMED = 6  # runs named per group in the status line; the rest are counted


def run_kinds(cfg: RunConfig, s: TrainState, best=None, reachable=None) -> list[str]:
    """converged / not-converged / diverged / initial, per run (as report.outcome judges a finished run)."""
    return [outcome(cfg, s, best=best, reachable=reachable, r=r)[0] for r in range(len(cfg.lrs))]


def _listed(items: list[str], at_most: int = MAX_NAMED) -> str:
    more = f" and {len(items) - at_most} more" if len(items) > at_most else ""
    return ", ".join(items[:at_most]) + more


def sweep_outcome(cfg: RunConfig, s: TrainState, running: bool = False, best=None,
                  reachable=None) -> tuple[str, str]:
    """(kind, sentence) for a whole sweep. kind: initial, running, converged (all), diverged (all), mixed."""
    if s.epoch == 0:
        return "initial", "Not trained yet: press Train."
    kinds = run_kinds(cfg, s, best, reachable)
    err = np.max(np.abs(s.weights - np.asarray(cfg.true_weights)), axis=1)
    de = s.diverged_epoch
    text = {"converged": lambda r, lr: f"lr {lr}", "not-converged": lambda r, lr: f"lr {lr} ({err[r]:.3g})",
            "diverged": lambda r, lr: f"lr {lr} at epoch {de[r]}",
            "running": lambda r, lr: f"{err[r]:.3g} (lr {lr})"}
    groups = {}
    for r, (lr, kind) in enumerate(zip(cfg.lrs, kinds)):
        kind = "running" if running and kind != "diverged" else kind
        groups.setdefault(kind, []).append(text[kind](r, fmt_number(lr)))
    titles = [("running", "Running · max |w - w*|"), *GROUPS]
    sentence = " · ".join(f"{title}: {_listed(groups[k])}" for k, title in titles if k in groups)
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


def sweep_json(cfg: RunConfig, s: TrainState | None, best=None) -> str:
    """The settings (as URL parameters) and each run's result."""
    result = None
    if s is not None:
        kinds = run_kinds(cfg, s, best)
        runs = []
        for r, lr in enumerate(cfg.lrs):
            one = s.run(r)
            runs.append({"lr": lr, "lr_now": one.lr, "weights": one.weights.tolist(), "loss": one.loss,
                         "last_loss": one.last_loss, "test_loss": one.test_loss, "diverged": one.diverged,
                         "diverged_epoch": one.diverged_epoch, "kind": kinds[r]})
        result = {"epoch": s.epoch, "elapsed_s": s.elapsed, "runs": runs}
    return json.dumps({"settings": to_query(cfg, full=True), "true_weights": list(cfg.true_weights),
                       "result": result}, indent=2)

