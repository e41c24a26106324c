"""What a run came to, in words and as files: the status line and the CSV / JSON downloads."""
import io
import json

import numpy as np

from .analysis import TOL, too_few
from .config import RunConfig
from .data import Dataset
from .fit import least_squares, reachable_solution, start_weights
from .fixed_point import SettlePoint, settle_points
from .history import COLUMNS, History
from .query import to_query
from .say import Msg
from .state import RunState, TrainState
from .text import fmt_number

CONVERGED_TOL = TOL  # |w - w*| below this on every weight reads as "converged" (the tutorial's 0.01)


def outcome_targets(cfg: RunConfig, data: Dataset) -> tuple[np.ndarray | None, np.ndarray | None]:
    """`outcome()`'s targets for `cfg` trained on `data`: (best, reachable), raw units, each None when it does not
    apply; (R, D), one row per lr, for a sweep where they differ by lr. The one place this is decided: the page
    (linviz_app/live.py) and the CLI (cli.py) both ask here, so they judge a run against the same point.

    best: with label noise (cfg.noise_std > 0), where training ends instead of the true weights: for in-order SGD
    or momentum, the fixed point of its epoch map at the run's lr (fixed_point.settle_points: per-sample SGD at a
    constant lr settles off the least-squares fit, the more so the larger the lr), else (shuffled, Adam, or some
    weights fit every sample) the least-squares fit (fit.least_squares; None for data too large to solve).
    reachable: when the samples do not determine the weights, the fit training ends at (fit.reachable_solution, or
    with noise that no weights fit, the fixed point on the samples' span); None when they do.

    >>> from linviz.data import make_dataset
    >>> cfg = RunConfig(n_samples=2)
    >>> best, reachable = outcome_targets(cfg, make_dataset(cfg))
    >>> best is None, reachable.shape
    (True, (4,))
    """
    reachable = reachable_solution(cfg, data)
    if cfg.noise_std <= 0:
        return None, reachable
    settle = settle_points(cfg, data)
    if settle is None:
        return least_squares(data), reachable
    settle = settle if cfg.is_sweep else settle[0]
    return settle, None if reachable is None else settle


def outcome(cfg: RunConfig, state: TrainState, running: bool = False, best=None, reachable=None,
            r: int = 0) -> tuple[str, str]:
    """(kind, sentence) for run r of `state` (a single run's only one by default): kind is one of running,
    diverged, converged, not-converged, initial; the sentence is a Msg (English as a str, any language on the page).

    `best`, `reachable`: what `outcome_targets` gives for cfg and its data.
    `best`: the least-squares weights (fit.least_squares); with label noise, training converges to
    those rather than to the true weights, and the sentence says so.
    `reachable`: when the samples do not determine the weights (Analysis.determined is False), the fit
    training ends at (Analysis.reachable, or fit.reachable_solution): reaching it counts as converged,
    and the sentence says that the samples cannot pin down the true weights."""
    s = state.run(r)
    best, reachable = _row(best, r), _row(reachable, r)
    err = float(np.max(np.abs(s.weights - np.asarray(cfg.true_weights))))
    if s.diverged:
        return "diverged", Msg("core.outcome.diverged", epoch=s.diverged_epoch, lr=fmt_number(s.lr),
                               before=s.diverged_epoch - 1)
    if running:
        return "running", Msg("core.outcome.running", err=err)
    if s.epoch == 0:
        return "initial", Msg("core.outcome.initial")
    if err < CONVERGED_TOL:
        return "converged", Msg("core.outcome.converged", err=err)
    away = _moving_away(cfg, s, best if best is not None else reachable)
    if away is not None:
        return "not-converged", Msg("core.outcome.diverging_slowly", err=away[0], start=away[1], lr=fmt_number(s.lr))
    if reachable is not None:
        return _underdetermined(cfg, s, err, np.asarray(reachable))
    fit = None if best is None else float(np.max(np.abs(s.weights - best)))
    at = "settle" if isinstance(best, SettlePoint) else "noisy"  # where this lr settles, or the least-squares fit
    if fit is not None and fit < CONVERGED_TOL:
        return "converged", Msg(f"core.outcome.converged_{at}", fit=fit, err=err)
    if fit is not None:
        return "not-converged", Msg(f"core.outcome.near_{at}", fit=fit, err=err)
    return "not-converged", Msg("core.outcome.not_converged", err=err)


def _moving_away(cfg: RunConfig, s: RunState, target) -> tuple[float, float] | None:
    """(distance now, at the start) from where training should end, when it is now further than at the start: an
    lr just above the divergence threshold grows the error too slowly for the engine's 1e10-fold loss rule to stop
    it. None otherwise, or for standardised features (whose raw-unit start needs the data's scale)."""
    if cfg.standardize:
        return None
    goal = np.asarray(cfg.true_weights, np.float64) if target is None else np.asarray(target, np.float64)
    now = float(np.max(np.abs(s.weights - goal)))
    start = float(np.max(np.abs(start_weights(cfg, cfg.n_weights) - goal)))
    return (now, start) if now > 2 * start else None


def _row(v, r: int):
    """A target for run r: v itself, or its row r when it holds one per run (a sweep's fixed points)."""
    if v is None:
        return None
    v = np.asanyarray(v)
    return v[r] if v.ndim == 2 else v


def _underdetermined(cfg: RunConfig, s: RunState, err: float, reachable: np.ndarray) -> tuple[str, str]:
    """A finished run on samples that many weights fit: at the fit it can reach, or on its way there."""
    fit = float(np.max(np.abs(s.weights - reachable)))
    n = cfg.n_train
    why = too_few(n, cfg.n_weights) if n < cfg.n_weights else Msg("core.why.dependent")
    if fit < CONVERGED_TOL:
        more = Msg("core.outcome.more_samples") if n < cfg.n_weights else ""
        return "converged", Msg("core.outcome.fits", fit=fit, why=why, err=err, more=more)
    return "not-converged", Msg("core.outcome.not_at_fit", fit=fit, why=why, err=err)


def status_line(cfg: RunConfig, s: TrainState | RunState) -> str:
    """What a student reads first (a Msg): the epoch and, for a single run, its mean training loss.

    A run that diverged shows its last finite epoch, so the epoch named is the one whose loss is shown (the state
    of the epoch it blew up in repeats the epoch before). A sweep's runs each have their own loss: the epoch alone.
    The timing is `timing_line`'s, for the end of the line."""
    if cfg.is_sweep and isinstance(s, TrainState):
        return Msg("core.status.sweep", epoch=s.epoch, epochs=cfg.epochs)
    one = s.run(0) if isinstance(s, TrainState) else s
    return Msg("core.status", epoch=last_finite_epoch(one), epochs=cfg.epochs, loss=one.loss)


def last_finite_epoch(s: RunState) -> int:
    """The epoch whose numbers `s` holds: its own, or for a run that diverged the last one before it blew up."""
    return s.epoch if s.diverged_epoch is None else s.diverged_epoch - 1


def timing_line(s: TrainState | RunState) -> str:
    """Seconds spent training and steps per second (a Msg), or "" before the first step."""
    if not s.steps or s.elapsed <= 0:
        return ""
    return Msg("core.timing", elapsed=s.elapsed, rate=s.steps / s.elapsed)


def history_csv(h: History) -> str:
    """The recorded epochs as CSV: epoch, losses, lr, elapsed, then w1..wD."""
    v = h.view()
    d = v["weights"].shape[1]
    out = io.StringIO()
    out.write(",".join(COLUMNS + tuple(f"w{i + 1}" for i in range(d))) + "\n")
    table = np.column_stack([v[c] for c in COLUMNS] + [v["weights"]]) if len(v["epoch"]) else np.zeros((0, 0))
    for row in table:
        cells = [str(int(row[0]))] + ["" if np.isnan(x) else repr(float(x)) for x in row[1:]]
        out.write(",".join(cells) + "\n")
    return out.getvalue()


def result_json(cfg: RunConfig, s: TrainState | None, best=None, reachable=None) -> str:
    """The settings (as URL parameters) and the result of a single run, for a lecture's notes or a bug report.

    diverged_epoch is null while the run has not diverged (as in sweep_json and the CLI's --json). epoch is how far
    training went; the weights and losses are those of last_finite_epoch: epoch itself, or for a run that diverged
    the epoch before it blew up (diverged_epoch - 1; 0 is the start)."""
    result = None
    if s is not None:
        one = s.run(0)
        last = last_finite_epoch(one)  # 0 for a run that blew up in its first epoch: no step's loss to show
        result = {"epoch": one.epoch, "last_finite_epoch": last, "weights": one.weights.tolist(),
                  "loss": one.loss, "last_loss": one.last_loss if last else None, "test_loss": one.test_loss, "diverged": one.diverged,
                  "diverged_epoch": one.diverged_epoch, "elapsed_s": one.elapsed,
                  "kind": outcome(cfg, s, best=best, reachable=reachable)[0]}
    return json.dumps({"settings": to_query(cfg, full=True), "true_weights": list(cfg.true_weights),
                       "result": result}, indent=2)
