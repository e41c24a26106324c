"""What the data says about learning rates, before training: `analyze(cfg)` gathers it into an `Analysis`.

- what the samples determine (fit.py): the Hessian H = (2/N) X^T X's eigenvalues, the rank, the
  least-squares weights and, when many weights fit, the fit training reaches from its start;
- the full-batch divergence threshold 2/lambda_max and fastest full-batch lr 2/(lambda_min+ + lambda_max);
- the lrs where the training as configured converges, from its epoch map (sgd_map.py, epoch_map.py) searched
  by stability.py: the threshold (where the first stable range ends), every stable range, the fastest lr,
  and a classifier for any lr.
All quantities are for the features the model sees (standardised when asked); weights are reported in the
raw features' units. The work is bounded (analysis_cost.py): results computed from part of the data say
`exact=False` and what they are in `note`. The loss landscape slice is in landscape.py.
"""
from dataclasses import dataclass, field

import numpy as np

from .analysis_cost import spectrum_rows
from .config import RunConfig
from .data import Dataset, make_dataset
from .epoch_map import EpochMap, FullBatchMap
from .fit import Fit, fit_data, fits_every_sample, start_weights
from .fixed_point import MEASURE_EPOCHS, FixedPoint, affordable, epochs_within, measurable, settles
from .say import Msg
from .sgd_map import safe_lr, training_map
from .stability import DIVERGES, OSCILLATES, SMOOTH, TOO_SLOW, VISIBLE, Regime, regime, search

TOL = 1e-2  # "reached the weights": within 0.01, as the tutorial's result is (raw features' units)
LADDER = (0.1, 0.3, 0.6, 0.9, 1.05, 1.5)  # multiples of the divergence threshold worth comparing


def ladder(cfg: RunConfig, a: "Analysis", factors=LADDER) -> RunConfig:
    """One sweep over lrs placed relative to the threshold: same data, same initial weights, one batched run."""
    return cfg.replace(lr=tuple(float(f"{f * a.threshold:.3g}") for f in factors))


@dataclass(frozen=True, kw_only=True)
class Analysis:
    """The lr analysis of one config: what the samples determine, and how training behaves at any lr."""

    cfg: RunConfig
    eigenvalues: np.ndarray           # of H = (2/N) X^T X, ascending (zeros outside the samples' span)
    rank: int                         # dimension of the samples' span
    least_squares: np.ndarray | None  # (D,) raw units, of minimum norm when many weights fit; None: too large
    reachable: np.ndarray | None      # (D,) raw units: the fit training ends at, equal to least_squares when
                                      # rank = D (None: Adam, which leaves the samples' span, or too large)
    threshold: float                  # where the training as configured starts to diverge: the first stable
                                      # range's end (nan: unknown; inf: nothing diverges)
    best_lr: float                    # the lr with the fastest convergence (nan: none converges)
    exact: bool                       # False: an estimate (shuffling, Adam, or data too large)
    note: str                         # how threshold was found, in words (a Msg, lower case: the page capitalises)
    error0: float                     # distance of the initial weights from where training ends, model units
    tol: float                        # TOL in model units: "reached" for the epoch counts
    epoch_map: EpochMap | FullBatchMap = field(repr=False, compare=False)  # rho and angle for any lr
    stable_intervals: tuple = ()      # ((lo, hi), ...) lr ranges where training converges; the first lo is 0
    safe_lr: float = float("nan")     # plain SGD: below it every step contracts (a guaranteed-stable bound)
    notes: tuple = ()                 # further facts in words (Msgs): rank, several stable ranges, estimates
    consistent: bool = True           # some weights fit every training sample (to float32 rounding): then
                                      # training at any stable lr settles at `reachable`
    settle: FixedPoint | None = field(default=None, repr=False, compare=False)  # where a stable lr settles
    units: np.ndarray = field(default=None, repr=False, compare=False)  # model weight / raw weight (data.scale)
    w0: np.ndarray = field(default=None, repr=False, compare=False)     # the initial weights, model units
    xy: tuple | None = field(default=None, repr=False, compare=False)   # (X, y) the model sees, for `measure`: small
                                                                        # in-order data only (MEASURE_CELLS)
    _measured: dict = field(default_factory=dict, repr=False, compare=False)  # lr -> epochs `measure` counted

    @property
    def determined(self) -> bool:
        """True when the samples pin down one weight vector (rank = number of weights)."""
        return self.rank == self.cfg.n_weights

    @property
    def _span_eigenvalues(self) -> np.ndarray:
        """H's nonzero eigenvalues, ascending: those on the samples' span."""
        return self.eigenvalues[len(self.eigenvalues) - self.rank:]

    @property
    def full_batch_threshold(self) -> float:
        """2 / lambda_max: full-batch gradient descent diverges above it (inf with no span)."""
        return 2.0 / self._span_eigenvalues[-1] if self.rank else float("inf")

    @property
    def full_batch_best(self) -> float:
        """2 / (lambda_min+ + lambda_max): the fastest full-batch lr, over nonzero lambdas (nan with no span)."""
        pos = self._span_eigenvalues
        return 2.0 / (pos[0] + pos[-1]) if self.rank else float("nan")

    @property
    def condition(self) -> float:
        """lambda_max / lambda_min over the samples' span (nan with no span at all)."""
        pos = self._span_eigenvalues
        if pos.size == 0 or pos[-1] <= 0:
            return float("nan")
        return float(pos[-1] / pos[0]) if pos[0] > pos[-1] * 1e-15 else float("inf")

    def spectrum(self, lrs) -> tuple[np.ndarray, np.ndarray]:
        """(log rho, angle) of the epoch map's dominant eigenvalue for each lr (log rho < 0 converges)."""
        return self.epoch_map.spectrum(np.atleast_1d(np.asarray(lrs, np.float64)))

    def classify(self, lr: float) -> Regime:
        """too slow / converges smoothly / oscillates but converges / diverges, with the epochs to `tol` (estimated
        from the spectral radius: the asymptotic rate; `measure` counts them)."""
        return self.classify_many([lr])[0]

    def measure(self, lr: float) -> Regime:
        """classify, with the epochs counted by iterating the exact epoch map from the initial weights (fixed_point.
        epochs_within): the epoch from which every weight stays within TOL of where lr settles, as the page's status
        judges a run. Falls back to classify's estimate where the data is too large, the order shuffled, or Adam."""
        r = self.classify(lr)
        w = self._fixed_model([lr]) if r.kind != DIVERGES and self.xy is not None else None
        if w is None or not np.all(np.isfinite(w[0])):
            return r
        key = float(lr)
        if key not in self._measured:
            X, y = self.xy
            mom = self.cfg.momentum if self.cfg.optimizer == "momentum" else None
            self._measured[key] = epochs_within(X, y, self.cfg.batch_size, key, mom, self.w0, w[0] / self.units,
                                                self.units, TOL)
        n = self._measured[key]
        if n is None:  # not there within MEASURE_EPOCHS: the estimate (beyond any run's budget) stands
            return Regime(TOO_SLOW, r.rho, max(r.epochs, float(MEASURE_EPOCHS)))
        kind = TOO_SLOW if n > self.cfg.epochs else SMOOTH if r.kind == TOO_SLOW else r.kind
        if kind == OSCILLATES and n < VISIBLE:
            kind = SMOOTH
        return Regime(kind, r.rho, float(n))

    def dominant(self, lrs) -> np.ndarray:
        """The epoch map's eigenvalue of largest modulus for each lr (complex): its size is the factor the
        error shrinks by per epoch, its angle how far the error turns each epoch."""
        log_rho, angle = self.spectrum(lrs)
        return np.exp(np.minimum(log_rho, 700.0)) * np.exp(1j * angle)

    def classify_many(self, lrs) -> list[Regime]:
        """classify for each lr; the epochs are counted to where each lr settles (fixed_point)."""
        log_rho, angle = self.spectrum(lrs)
        error0 = self._errors0(lrs)
        return [regime(r, a, e, self.tol, self.cfg.epochs) for r, a, e in zip(log_rho, angle, error0)]

    def fixed_point(self, lr: float) -> np.ndarray | None:
        """Where training at the constant lr settles, in raw units: the fixed point of its epoch map (fixed_point.py).
        The fit training reaches when some weights fit every sample; else it moves with lr (label noise).
        None: unknown (Adam, shuffled noisy data, data too large), or the lr diverges."""
        if self.classify_rho(lr) >= 1:
            return None
        w = self._fixed_model([lr])
        return None if w is None or not np.all(np.isfinite(w[0])) else w[0] / self.units

    def settle_note(self, lr: float) -> Msg | None:
        """Where training at lr settles, in words, when the targets are noisy (no weights fit every sample): how
        far from the least-squares fit and from the true weights (max over weights, raw units). None otherwise."""
        w = self.fixed_point(lr) if self.settles_off else None
        if w is None:
            return None
        gap = lambda v: float(np.max(np.abs(w - np.asarray(v, np.float64))))
        fit = self.least_squares if self.determined else self.reachable  # the fit nearest the start, when many fit
        return Msg("core.analysis.settle", lr=lr, ls=gap(fit), true=gap(self.cfg.true_weights))

    @property
    def settles_off(self) -> bool:
        """True when training settles off the least-squares fit, at a point that moves with the lr, and that point is
        known (noisy targets no weights fit, in-order SGD or momentum with several batches, data small enough)."""
        return self.settle is not None and not self.consistent

    def classify_rho(self, lr: float) -> float:
        """The epoch map's spectral radius at lr (inf where it overflows)."""
        return float(np.exp(min(self.spectrum([lr])[0][0], 709.0)))

    def _fixed_model(self, lrs) -> np.ndarray | None:
        """(L, D) fixed points in model units for the lrs, or None when unknown."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        if self.reachable is None:
            return None
        if self.consistent or self.cfg.batch_size >= self.cfg.n_train:  # full batch: at least squares, any lr
            return np.broadcast_to(self.reachable * self.units, (len(lrs), len(self.units)))
        return None if self.settle is None else self.settle.at(lrs)

    def _errors0(self, lrs) -> np.ndarray:
        """The initial weights' distance from where each lr settles (error0 where that is unknown), model units."""
        lrs = np.atleast_1d(np.asarray(lrs, np.float64))
        w = None if self.consistent or self.w0 is None else self._fixed_model(lrs)
        if w is None:
            return np.full(len(lrs), self.error0)
        out = np.linalg.norm(w - self.w0, axis=1)
        return np.where(np.isfinite(out), out, self.error0)


def analyze(cfg: RunConfig, data: Dataset | None = None) -> Analysis:
    """Everything above for `cfg` (its lr is not used: the analysis covers every lr). Never raises for a
    valid RunConfig: what it cannot know is nan or inf, with a note.

    >>> a = analyze(RunConfig())
    >>> bool(5e-5 < a.threshold < 1.2e-4), a.classify(1e-5).kind, a.classify(1e-3).kind
    (True, 'converges smoothly', 'diverges')
    >>> b = analyze(RunConfig(n_samples=2))  # 2 samples, 4 weights: many weights fit them
    >>> b.rank, b.determined, b.classify(1e-25).kind
    (2, False, 'too slow')
    """
    # the first rows the spectrum reads: a data set too large to hold is never drawn whole (data.first_rows)
    data = data if data is not None else make_dataset(cfg, rows=spectrum_rows(cfg.n_train, cfg.n_weights))
    n, d = data.n_train, data.X.shape[1]
    w0 = start_weights(cfg, d)
    fit = fit_data(data.X, data.y, w0, centred=cfg.standardize)
    whole = fit.rows == n
    pos = fit.eigenvalues[d - fit.rank:]
    target = fit.w_reach if whole else np.asarray(cfg.true_weights, np.float64) * data.scale
    consistent = not whole or fits_every_sample(cfg.noise_std, fit.rank, n, cfg.standardize)
    settle, mom = None, cfg.momentum if cfg.optimizer == "momentum" else None
    if whole and not consistent and settles(cfg) and affordable(n, fit.rank, cfg.batch_size, mom is not None):
        settle = FixedPoint(data.X, data.y, cfg.batch_size, mom, w0, fit.basis)
    common = {"cfg": cfg, "eigenvalues": fit.eigenvalues, "rank": fit.rank, "tol": TOL * float(np.min(data.scale)),
              "least_squares": data.to_original(fit.w_ls) if whole else None,
              "reachable": data.to_original(fit.w_reach) if whole and cfg.optimizer != "adam" else None,
              "error0": float(np.linalg.norm(w0 - target)), "consistent": consistent, "settle": settle,
              "units": np.asarray(data.scale, np.float64), "w0": w0,
              "xy": (data.X, data.y) if whole and not cfg.shuffle and measurable(n, d, cfg.batch_size,
                                                                                 cfg.optimizer == "momentum") else None}
    facts = _facts(cfg, fit, n, whole)
    if fit.rank == 0:
        return Analysis(threshold=float("inf"), best_lr=float("nan"), exact=True, stable_intervals=((0.0, np.inf),),
                        note=Msg("core.analysis.all_zero"), notes=facts, epoch_map=FullBatchMap(pos, 1), **common)
    if cfg.optimizer == "adam":
        return Analysis(threshold=float("inf"), best_lr=float("nan"), exact=False, epoch_map=FullBatchMap(pos, 1),
                        note=Msg("core.analysis.adam"), notes=facts, **common)
    return _sgd(cfg, data.X, fit, common, facts, data.scale, data.offset)


def range_safe_lr(cfg: RunConfig, scale: np.ndarray, offset: np.ndarray) -> float:
    """1 / the largest ||x||^2 any sample can have, from the feature range (in model units): a safe lr for every
    batch of every data set these settings can draw, for when only the first rows were looked at."""
    edge = np.maximum(np.abs(cfg.feature_min - offset), np.abs(cfg.feature_max - offset)) / scale
    worst = float(np.square(edge).sum())
    return 1.0 / worst if worst > 0 else float("inf")


def _sgd(cfg: RunConfig, X: np.ndarray, fit: Fit, common: dict, facts: tuple, scale=None, offset=None) -> Analysis:
    """The analysis of plain SGD or momentum: stable ranges, threshold and fastest lr from the epoch map."""
    momentum = cfg.momentum if cfg.optimizer == "momentum" else None
    safe = safe_lr(X, cfg.batch_size) if momentum is None else float("nan")
    if momentum is None and len(X) < cfg.n_train:  # X holds the first rows only: no sample may break the promise
        safe = min(safe, range_safe_lr(cfg, scale, offset))
    emap, how = training_map(X, fit, cfg.batch_size, momentum, safe, n=cfg.n_train)
    fb = 2.0 / fit.eigenvalues[-1]  # the full-batch threshold (rank > 0 here): the scan is centred on it
    lo = safe / 8 if np.isfinite(safe) else fb * 1e-3  # the fastest lr can sit at safe / 2 (a projection step)
    found = search(emap, lo, fb * 1e3)
    intervals = found.intervals if not how else coarse(found.intervals)
    threshold = intervals[0][1] if intervals and intervals[0][0] == 0.0 else float("nan")
    exact = not how and not cfg.shuffle and not found.bounded
    note = how or Msg("core.analysis.crosses" if momentum is None else "core.analysis.crosses_momentum")
    if found.bounded:
        note = Msg("core.analysis.bounded", note=note)
    if cfg.shuffle:
        note = Msg("core.analysis.shuffled", note=note)
    if len(intervals) > 1:
        ranges = listed([Msg("core.analysis.range", lo=lo, hi=hi) for lo, hi in map(distinct, intervals)])
        facts += (Msg("core.analysis.ranges", ranges=ranges, threshold=threshold, until=intervals[1][0]),)
    if not np.isfinite(threshold):
        facts += (Msg("core.analysis.no_stable"),)
    return Analysis(threshold=float(threshold), best_lr=found.best_lr, exact=exact, note=note,
                    stable_intervals=tuple(intervals), safe_lr=float(safe), notes=facts, epoch_map=emap, **common)


def _facts(cfg: RunConfig, fit: Fit, n: int, whole: bool) -> tuple:
    """Sentences about what the samples determine (and what was estimated for lack of time)."""
    d, out = cfg.n_weights, []
    if not whole:
        out.append(Msg("core.analysis.prefix", rows=fit.rows, n=n))
    if fit.rank < d and not whole:
        out.append(Msg("core.analysis.prefix_span", rows=fit.rows, rank=fit.rank, d=d, n=n))
    elif fit.rank < d:
        why = (too_few(n, d) if n < d else
               Msg("core.analysis.why_standardized", n=n, m=n - 1) if cfg.standardize and n <= d else
               Msg("core.analysis.why_dependent"))
        adam = Msg("core.analysis.not_adam") if cfg.optimizer == "adam" else ""
        out.append(Msg("core.analysis.rank", rank=fit.rank, d=d, why=why, adam=adam))
    return tuple(out)


ESTIMATE_RTOL = 0.05  # an estimated map (a prefix of the data) tells nothing narrower than this relative width


def coarse(intervals: list, rel: float = ESTIMATE_RTOL) -> list:
    """Stable ranges of an estimate without the detail it cannot vouch for: gaps narrower than `rel` (relative lr)
    closed, then ranges narrower than it (other than the first) dropped.

    >>> coarse([(0.0, 6.86e-5), (6.9166e-5, 6.9169e-5)])
    [(0.0, 6.9169e-05)]
    """
    out = []
    for lo, hi in intervals:
        if out and lo <= out[-1][1] * (1 + rel):
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return [iv for i, iv in enumerate(out) if i == 0 or iv[1] > iv[0] * (1 + rel)]


def distinct(interval) -> tuple[str, str]:
    """A range's ends to three significant digits, or as many more as it takes for them to differ.

    >>> distinct((6.9166e-5, 6.9169e-5)), distinct((0.0, 9.12e-5))
    (('6.9166e-05', '6.9169e-05'), ('0', '9.12e-05'))
    """
    lo, hi = interval
    for digits in range(3, 17):
        a, b = f"{lo:.{digits}g}", f"{hi:.{digits}g}"
        if a != b:
            return a, b
    return a, b


def too_few(n: int, d: int) -> Msg:
    """'3 samples cannot determine 4 weights' (for n < d), said in one language or another."""
    return Msg("core.why.few_one" if n == 1 else "core.why.few_many", n=n, d=d)


def listed(parts) -> Msg | str:
    """Several Msgs as one list: 'a, b, c' in English, 'a、b、c' in Chinese."""
    out = ""
    for p in parts:
        out = Msg("core.list.comma", a=out, b=p) if out else p
    return out
