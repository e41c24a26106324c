"""Shared by the analysis tests: Hypothesis strategies over RunConfig, and independent oracles.

`train64` is the obvious float64 NumPy loop (mini-batch SGD or torch-style momentum, in order), written
from the update rule alone; `step_product` multiplies an epoch's step matrices one by one; `span` is numpy's
SVD. None shares code with linviz's engine or analysis.
"""
from dataclasses import fields

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from linviz import RunConfig
from linviz.errors import ConfigError

KINDS = {"too slow", "converges smoothly", "oscillates but converges", "diverges"}


def share(fraction: float) -> settings:
    """Fewer examples than the profile's, in proportion: CI's 25 become 25 * fraction, deep's 400 likewise."""
    return settings(max_examples=max(1, round(settings.default.max_examples * fraction)))


def train64(X, y, w0, lrs, epochs, batch=1, momentum=None):
    """Per-epoch weights (epochs + 1, L, D), one run per lr, from w0 (in the features' units).

    A run whose weights pass 1e150 is stopped there (inf from then on), as it has clearly diverged."""
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64)
    lr = np.asarray(lrs, np.float64)[:, None]
    W = np.tile(np.asarray(w0, np.float64), (len(lr), 1))
    V = np.zeros_like(W)
    out = [W.copy()]
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for i in range(0, len(y), batch):
                Xb, yb = X[i:i + batch], y[i:i + batch]
                G = (W @ Xb.T - yb) @ Xb * (2.0 / len(yb))
                if momentum is None:
                    W = W - lr * G
                else:
                    V = momentum * V + G
                    W = W - lr * V
            gone = ~(np.abs(W).max(axis=1) < 1e150)
            W[gone], V[gone] = np.inf, 0.0
            out.append(W.copy())
            if gone.all():
                out += [W.copy()] * (epochs - len(out) + 1)
                break
    return np.array(out)


def span(X, rel=1e-5) -> np.ndarray:
    """Oracle: (D, r) orthonormal basis of the samples' span by numpy's SVD, singular values below `rel` x the
    largest counting as zero (the analysis's documented tolerance)."""
    X = np.asarray(X, np.float64)
    if not X.any():
        return np.zeros((X.shape[1], 0))
    _, sv, vt = np.linalg.svd(X, full_matrices=False)
    return vt[sv > rel * sv[0]].T


def _config(**kw):
    try:
        return RunConfig(**kw)
    except ConfigError:
        return None


@st.composite
def any_config(draw, max_cells=300_000):
    """A valid RunConfig from the whole space (sizes bounded by max_cells = samples x weights)."""
    d = draw(st.sampled_from([1, 2, 3, 4, 5, 7, 12, 60, 200, 1000]))
    n = draw(st.sampled_from([1, 2, 3, 4, 5, 8, 10, 30, 100, 1000, 5000, 100_000]).filter(lambda v: v * d <= max_cells))
    lo = draw(st.sampled_from([1, 0, -1, -3, -100, 10**6 - 10, -(10**6)]))
    width = draw(st.sampled_from([1, 2, 5, 99, 1000, 2 * 10**6]))
    weights = tuple(float(w) for w in draw(st.lists(st.integers(-20, 20), min_size=d, max_size=d)))
    base = _config(true_weights=weights, n_samples=n, feature_min=lo, feature_max=min(lo + width, 10**6),
                   test_fraction=draw(st.sampled_from([0.0, 0.0, 0.2, 0.5])))
    if base is None:
        return RunConfig()
    batch = draw(st.one_of(st.just(1), st.just(base.n_train), st.integers(1, base.n_train)))
    cfg = _config(**{**_fields(base), "batch_size": batch, "seed": draw(st.integers(0, 10_000)),
                     "optimizer": draw(st.sampled_from(["sgd", "sgd", "momentum", "adam"])),
                     "momentum": draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])), "shuffle": draw(st.booleans()),
                     "standardize": draw(st.booleans()), "noise_std": draw(st.sampled_from([0.0, 0.0, 1.0, 1e4])),
                     "epochs": draw(st.sampled_from([1, 100, 10**6]))})
    return cfg if cfg is not None else base


@st.composite
def small_config(draw, optimizers=("sgd",), deficient=False):
    """A small, in-order, noise-free config (exact analysis), often with fewer samples than weights;
    `deficient`: never more samples than weights (so the samples rarely determine the weights)."""
    d = draw(st.integers(2 if deficient else 1, 5))
    n = draw(st.integers(1, d if deficient else 12))
    lo = draw(st.sampled_from([1, 0, -1, -3, -50]))
    weights = tuple(float(w) for w in draw(st.lists(st.integers(-9, 9), min_size=d, max_size=d)))
    base = _config(true_weights=weights, n_samples=n, feature_min=lo,
                   feature_max=lo + draw(st.sampled_from([1, 2, 5, 100])), standardize=draw(st.booleans()),
                   test_fraction=draw(st.sampled_from([0.0, 0.0, 0.25])), seed=draw(st.integers(0, 1000)))
    if base is None:
        base = RunConfig(n_samples=n, true_weights=weights)
    batch = draw(st.one_of(st.just(1), st.integers(1, base.n_train)))
    return base.replace(batch_size=batch, optimizer=draw(st.sampled_from(optimizers)))


def _fields(cfg: RunConfig) -> dict:
    return {f.name: getattr(cfg, f.name) for f in fields(cfg) if f.init}


def assert_sane(a, lrs=(1e-30, 1e-12, 1e-6, 1e-3, 1.0, 1e9)):
    """Finite numbers or explicit unknowns (nan / inf, with a note) everywhere in an analysis."""
    assert a.threshold > 0 or np.isnan(a.threshold), a.threshold
    assert np.isnan(a.best_lr) or 0 < a.best_lr < np.inf, a.best_lr
    assert np.all(np.isfinite(a.eigenvalues)), a.eigenvalues
    assert np.all(a.eigenvalues >= 0), a.eigenvalues
    assert 0 <= a.rank <= a.cfg.n_weights, a.rank
    assert a.note
    assert a.full_batch_threshold > 0, a.full_batch_threshold
    assert np.isfinite(a.error0), a.error0
    for lo, hi in a.stable_intervals:
        assert 0 <= lo < hi, a.stable_intervals
    for r in a.classify_many(list(lrs) + ([0.5 * a.threshold, 2 * a.threshold] if np.isfinite(a.threshold) else [])):
        assert r.kind in KINDS, r
        assert r.rho >= 0, r
        assert r.epochs >= 0, r
    for v in (a.least_squares, a.reachable):
        assert v is None or np.all(np.isfinite(v)), v


def step_product(Z, batch, lr, momentum=None):
    """Oracle: log |dominant eigenvalue| and angle of the epoch map, multiplying the step matrices one by one
    (renormalised as it goes, so nothing overflows), in the (w, lr v) state for momentum. The angle is None
    where two eigenvalues that are not a conjugate pair share the largest modulus (it is not defined then)."""
    n, s = Z.shape
    eye = np.eye(s)
    P, logs = np.eye(2 * s if momentum is not None else s), 0.0
    for i in range(0, n, batch):
        H = 2.0 / len(Z[i:i + batch]) * Z[i:i + batch].T @ Z[i:i + batch]
        A = eye - lr * H if momentum is None else np.block([[eye - lr * H, -momentum * eye], [lr * H, momentum * eye]])
        P = A @ P
        logs += np.log(np.abs(P).max())
        P /= np.abs(P).max()
    ev = np.linalg.eigvals(P)
    top = ev[np.argmax(np.abs(ev))]
    others = (np.abs(ev - top) > 1e-6 * abs(top)) & (np.abs(ev - np.conj(top)) > 1e-6 * abs(top))
    rivals = np.abs(ev[others])
    alone = not np.any(rivals > (1 - 1e-6) * abs(top))
    return np.log(np.abs(top)) + logs, np.angle(top) if alone else None
