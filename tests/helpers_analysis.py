"""Shared by the analysis tests: Hypothesis strategies over RunConfig, and independent oracles.

`train64` is the obvious float64 NumPy loop (mini-batch SGD or torch-style momentum, in order), written
from the update rule alone; `step_product` multiplies an epoch's step matrices one by one; `span` is numpy's
SVD. None shares code with linviz's engine or analysis.
"""
import functools
import itertools
from dataclasses import dataclass, fields

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from linviz import RunConfig, make_dataset
from linviz.errors import ConfigError
from linviz.fit import start_weights

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


# ---- Independent oracles of the epoch map, for tests/test_analysis_oracle.py and test_analysis_regressions.py ----
# Written from the update rule alone in float64 NumPy, sharing no code with linviz's epoch_map / matrix_chain /
# stability / sgd_map / fit: the epoch's step matrices are multiplied one by one (as step_product does) for many
# lrs, and many data sets, at once; the spectrum is numpy.linalg.eigvals', or enclosed by repeated squaring.

RANK_REL = 3e-7      # singular values of X below this x the largest count as zero: exact zeros sit below 1e-15, the
                     # float32 rounding of standardised features' means at 1e-10 .. 1e-8, genuine directions of
                     # the generated data above 1e-6 (measured over 20000 configs)
RANK_GAP = (1e-7, 1e-6)  # a singular value ratio in here: the rank is a matter of tolerance (such data is left out)


def coordinates(X, rel=RANK_REL):
    """(Z, V): the samples in an orthonormal basis V (D, r) of their span (numpy SVD, singular values below `rel`
    x the largest counting as zero), Z = X V (N, r) in training order. Training moves only within the span, so
    the epoch map restricted to it carries every eigenvalue that matters (the others are exactly 1, or mu)."""
    V = span(X, rel)
    return np.asarray(X, np.float64) @ V, V


def step_products(Z, batch, lrs, momentum=None):
    """(T, logs): the epoch map's linear part for each data set and lr, transposed, normalised, with log scales.

    Z (N, s) or (S, N, s): S data sets of the same shape; lrs (L,) for all, or (S, L). Returns T (S, L, d, d) with
    T^T exp(logs) = A_K ... A_1, A_b the step matrix of batch b (d = s; d = 2s for momentum, in the (w, lr v) state:
    A_b = [[I - lr H_b, -mu I], [lr H_b, mu I]], as step_product), logs (S, L); S = 1 for a 2-D Z. Kept transposed
    so that each step is a right product by H_b, batched over (S, L) (NumPy's loop of small products: a reshaped
    (L d, d) x (d, d) BLAS product can be 20x slower, OpenBLAS threads fighting over two cores); renormalised
    whenever a bound on its growth since the last time (the product of the steps' 1-norms) passes e^200."""
    Z = np.asarray(Z, np.float64)
    Z = Z[None] if Z.ndim == 2 else Z
    S, n, s = Z.shape
    lr = np.broadcast_to(np.asarray(lrs, np.float64), (S, np.shape(lrs)[-1]))
    L = lr.shape[1]
    mu = momentum
    d = 2 * s if mu is not None else s
    T = np.broadcast_to(np.eye(d), (S, L, d, d)).copy()
    logs, grown = np.zeros((S, L)), 0.0
    lr4 = lr[:, :, None, None]
    for i in range(0, n, batch):
        Zb = Z[:, i:i + batch]
        H = 2.0 / Zb.shape[1] * np.swapaxes(Zb, 1, 2) @ Zb  # (S, s, s)
        if mu is None:  # P <- (I - lr H) P, i.e. T <- T - lr T H
            T -= lr4 * (T @ H[:, None])
        else:  # U' = mu U + lr H W, W' = W - U' on P = [W; U], i.e. on T = [W^T, U^T]
            U = mu * T[..., s:] + lr4 * (T[..., :s] @ H[:, None])
            T[..., :s] -= U
            T[..., s:] = U
        grown += np.log1p((mu or 0.0) + 2 * float(lr.max() * np.abs(H).sum(axis=1).max()))
        if grown > 200 or i + batch >= n:
            big = np.abs(T).max(axis=(2, 3))
            big[~(big > 0)] = 1.0
            T /= big[..., None, None]
            logs += np.log(big)
            grown = 0.0
    return T, logs


def poly_products(Z, batch, lrs, momentum=None):
    """What step_products returns for plain SGD (momentum must be None), the same matrices formed another way: the
    product of the K step matrices is a polynomial of degree K in lr, prod_b (I - lr H_b) = sum_k (-lr)^k C_k, C_k
    the sum of the ordered k-fold products of the H_b (built step by step, C_k <- C_k + H_b C_(k-1)); the products
    for all L lrs are then one matrix product. Exact algebra, ~10x cheaper for many lrs; its rounding grows with
    (1 + lr ||H_b||)^K, so it is for few steps and moderate lrs (the tutorial's 10 samples up to 3x the full-batch
    threshold: 2e-12 of the largest entry, checked against step_products by the test that uses it)."""
    assert momentum is None
    Z = np.asarray(Z, np.float64)
    Z = Z[None] if Z.ndim == 2 else Z
    S, n, s = Z.shape
    lr = np.broadcast_to(np.asarray(lrs, np.float64), (S, np.shape(lrs)[-1]))
    c = lr.max(axis=1)  # lrs as fractions u = lr / c <= 1 of the largest, so no power overflows
    K = -(-n // batch)
    C = np.zeros((S, K + 1, s, s))
    C[:, 0] = np.eye(s)
    for i in range(0, n, batch):
        Zb = Z[:, i:i + batch]
        H = (2.0 / Zb.shape[1]) * c[:, None, None] * (np.swapaxes(Zb, 1, 2) @ Zb)
        C[:, 1:] = C[:, 1:] + H[:, None] @ C[:, :-1]
    u = (-lr / c[:, None])[:, :, None, None]
    P = np.broadcast_to(C[:, K, None], (S, lr.shape[1], s, s))
    for k in range(K - 1, -1, -1):  # Horner: elementwise, no BLAS call (its threads are slow on small matrices)
        P = C[:, k, None] + u * P
    big = np.abs(P).max(axis=(2, 3))
    big[~(big > 0)] = 1.0
    return P / big[..., None, None], np.log(big)


def spectra(Z, batch, lrs, momentum=None):
    """(log |eigenvalue|, angle), each (L, d) with the largest modulus first: the epoch map's whole spectrum
    for every lr of one data set, by numpy.linalg.eigvals of the step-by-step product."""
    lrs = np.atleast_1d(np.asarray(lrs, np.float64))
    if np.asarray(Z).shape[1] == 0:
        return np.full((len(lrs), 1), -np.inf), np.zeros((len(lrs), 1))
    T, logs = step_products(Z, batch, lrs, momentum)
    ev = np.linalg.eigvals(T[0])
    with np.errstate(divide="ignore"):
        mod = np.log(np.abs(ev)) + logs[0][:, None]
    order = np.argsort(-mod, axis=1, kind="stable")
    return np.take_along_axis(mod, order, 1), np.take_along_axis(np.angle(ev), order, 1)


def log_rho64(Z, batch, lrs, momentum=None, group=4096):
    """log rho (L,) of one data set's epoch map for every lr (eigvals of the step-by-step product), in groups."""
    lrs = np.atleast_1d(np.asarray(lrs, np.float64))
    parts = [spectra(Z, batch, lrs[g:g + group], momentum)[0][:, 0] for g in range(0, len(lrs), group)]
    return np.concatenate(parts) if parts else np.zeros(0)


def rho_enclosure(T, logs, squarings=6):
    """Certified (lower, upper) bounds of log rho for each product (T, logs as step_products gives them), from its
    powers P^k, k = 2^(squarings - 2) .. 2^squarings, by repeated squaring: rho^k <= ||P^k||_F (a norm bounds the
    spectral radius) and |tr P^k| = |sum_i lambda_i^k| <= d rho^k, the best of each over those three powers (a
    trace can cancel for one k, hardly for all). Far cheaper than eigvals; where they leave a question open, ask
    eigvals."""
    Q, lg = T.copy(), logs.copy()
    d = T.shape[-1]
    lower, upper = np.full(logs.shape, -np.inf), np.full(logs.shape, np.inf)
    with np.errstate(divide="ignore"):
        for j in range(1, squarings + 1):
            Q = Q @ Q
            big = np.abs(Q).max(axis=(-2, -1))
            zero = ~(big > 0)
            big[zero] = 1.0
            Q /= big[..., None, None]
            lg = 2 * lg + np.log(big)
            lg[zero] = -np.inf
            if j >= squarings - 2:
                k = 2.0**j
                upper = np.minimum(upper, (lg + 0.5 * np.log((Q * Q).sum(axis=(-2, -1)))) / k)
                lower = np.maximum(lower, (lg + np.log(np.abs(np.trace(Q, axis1=-2, axis2=-1)) / d)) / k)
    return np.minimum(lower, upper), upper


def epoch_affine(X, y, lr, batch=1, momentum=None):
    """(A, b): one in-order epoch as an affine map of the state, in float64, composed step by step from the update
    rule: w <- w - lr g (plain SGD), or torch's momentum v <- mu v + g, w <- w - lr v, kept as the state (w, u = lr v)
    (so the map's blocks are of one size: u <- mu u + lr g, w <- w - u), with g = (2/|b|) X_b^T (X_b w - y_b).
    A is (D, D) or (2D, 2D)."""
    X, y = np.asarray(X, np.float64), np.asarray(y, np.float64)
    n, D = X.shape
    k = D if momentum is None else 2 * D
    A, b = np.eye(k), np.zeros(k)
    eye = np.eye(D)
    for i in range(0, n, batch):
        Xb, yb = X[i:i + batch], y[i:i + batch]
        H, g = 2.0 / len(yb) * Xb.T @ Xb, 2.0 / len(yb) * Xb.T @ yb  # gradient = H w - g
        if momentum is None:
            S, c = eye - lr * H, lr * g
        else:  # u' = mu u + lr (H w - g); w' = w - u' = (I - lr H) w - mu u + lr g
            S = np.block([[eye - lr * H, -momentum * eye], [lr * H, momentum * eye]])
            c = np.concatenate([lr * g, -lr * g])
        A, b = S @ A, S @ b + c
    return A, b


def fixed_point64(X, y, w0, lr, batch=1, momentum=None, rel=RANK_REL, with_cond=False):
    """Oracle: the weights where constant-lr training from w0 (velocity 0) settles if it converges, as the fixed
    point of the epoch's affine map within the reachable set w0 + span(samples) (velocity in the span): solved
    by numpy's lstsq, in the features' units. The span is numpy's SVD (`span`, singular values below `rel` x the
    largest counting as zero). with_cond: also the condition number of the system solved (its rounding: ~1e-16 x
    that, relative)."""
    X = np.asarray(X, np.float64)
    D = X.shape[1]
    V = span(X, rel)
    w0 = np.asarray(w0, np.float64)
    A, b = epoch_affine(X, y, lr, batch, momentum)
    if momentum is None:
        Q, start = V, w0
    else:
        Q = np.block([[V, np.zeros_like(V)], [np.zeros_like(V), V]])
        start = np.concatenate([w0, np.zeros(D)])
    # state = start + Q z with A state + b = state:  (A - I) Q z = start - A start - b
    M = (A - np.eye(len(A))) @ Q
    z = np.linalg.lstsq(M, start - A @ start - b, rcond=None)[0]
    w = (start + Q @ z)[:D]
    return (w, float(np.linalg.cond(M)) if M.size else 1.0) if with_cond else w


def growth(W, centre, first, last):
    """Least-squares slope of log ||W_k - centre|| over epochs first..last (inclusive): log of the factor the
    distance changes by per epoch (nan where the run blew up or sits exactly on the centre)."""
    k = np.arange(first, last + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.linalg.norm(W[first:last + 1] - centre, axis=-1))
    if not np.all(np.isfinite(logs)):
        return float("nan")
    return float(np.polyfit(k, logs, 1)[0])



SIGN_BAND = 1e-9     # |log rho| below this: too close to 1 for the brute force to call the sign (left out, counted)
EDGE_SLACK = 1e-6    # a scan point within this relative distance of a reported edge is held to neither side
NEAR_ONE = 0.01      # a scan cell whose ends both have |log rho| below this is scanned FINER times finer
FINER = 16
BEST_RTOL = 1e-3     # "fastest": no lr's log rho beats it by more than this fraction (epochs within 0.1 %)


def sgd_safe_lr(X, batch):
    """Below this lr every plain-SGD step is a contraction, so rho < 1 (a theorem, not a scan): the step matrix
    I - lr H_b has norm <= 1 while lr <= 2 / lambda_max(H_b), and lambda_max(H_b) <= tr H_b = 2 ||X_b||_F^2 / |b|;
    a vector of the span kept at full length by every step would be orthogonal to every sample."""
    X = np.asarray(X, np.float64)
    top = max(np.sum(X[i:i + batch] ** 2) / len(X[i:i + batch]) for i in range(0, len(X), batch))
    return 1.0 / top if top > 0 else np.inf


def det_bound(Z, batch, lrs, momentum=None):
    """A lower bound of log rho for each lr, free of any product: rho^d >= |det M| = prod_b |det A_b|, with
    det(I - lr H_b) from H_b's eigenvalues, and det A_b = mu^s for momentum (its blocks commute)."""
    Z, lrs = np.asarray(Z, np.float64), np.asarray(lrs, np.float64)
    n, s = Z.shape
    if momentum is not None:
        k = -(-n // batch)
        return np.full(len(lrs), 0.5 * k * np.log(momentum) if momentum > 0 else -np.inf)
    mu = np.concatenate([np.linalg.eigvalsh(2.0 / len(Z[i:i + batch]) * Z[i:i + batch].T @ Z[i:i + batch])
                         for i in range(0, n, batch)])
    mu = mu[mu > 0]  # a zero eigenvalue's factor is 1
    with np.errstate(divide="ignore"):
        return np.log(np.abs(1.0 - lrs[:, None] * mu[None, :])).sum(axis=1) / s


def dense_scan(Zs, batch, lrs, momentum=None, safe=None, squarings=6, products=step_products, low_stride=1):
    """Brute-force log rho on a grid of lrs, for S data sets of one shape at once (Zs (S, N, s) or (N, s); lrs
    (L,) or (S, L), ascending). Returns (lower, upper, sign), each (S, L): bounds of log rho (equal where eigvals was
    asked) and -1 stable / +1 divergent / 0 too close to 1 to call (|log rho| <= SIGN_BAND). Enclosures come
    from repeated squaring (`rho_enclosure`) and `det_bound`; eigvals settles every sign they leave open. Below
    `safe` (per data set: plain SGD's `sgd_safe_lr`) the sign is the theorem's, and products are formed only
    where `det_bound` leaves room for a smaller rho than the scan has found elsewhere (for the fastest lr).
    products: step_products, or poly_products (the same matrices, cheaper where it is accurate). low_stride: below
    safe, only every low_stride-th grid point is held to the fastest lr (the others' lower bound is nan)."""
    Zs = np.asarray(Zs, np.float64)
    Zs = Zs[None] if Zs.ndim == 2 else Zs
    lrs = np.array(np.broadcast_to(np.asarray(lrs, np.float64), (len(Zs), np.shape(lrs)[-1])))
    L = lrs.shape[1]
    lower = np.array([det_bound(Z, batch, lr, momentum) for Z, lr in zip(Zs, lrs)])
    upper = np.full(lrs.shape, np.inf)
    theorem = lrs < np.asarray(safe, np.float64).reshape(-1, 1) if safe is not None else np.zeros(lrs.shape, bool)
    if Zs.shape[2] == 0:
        return np.full(lrs.shape, -np.inf), np.full(lrs.shape, -np.inf), -np.ones(lrs.shape, int)

    def bound(rows, cols, settle_sign):
        T, logs = products(Zs[rows], batch, lrs[rows, cols], momentum)
        lo, up = rho_enclosure(T, logs, squarings)
        lo = np.maximum(lower[rows, cols], lo)
        if settle_sign:
            idx = np.nonzero((lo <= SIGN_BAND) & (up >= -SIGN_BAND) & ~theorem[rows, cols])
            if len(idx[0]):
                with np.errstate(divide="ignore"):
                    lo[idx] = up[idx] = np.log(np.abs(np.linalg.eigvals(T[idx])).max(axis=-1)) + logs[idx]
        lower[rows, cols], upper[rows, cols] = lo, up

    todo = ~theorem.all(axis=0)
    i0 = int(np.argmax(todo)) if todo.any() else L
    if i0 < L:
        bound(slice(None), slice(i0, L), True)
    reach = np.min(upper, axis=1)  # a rho the scan attains, for each data set
    for j in range(len(Zs)):  # below safe: only where det_bound leaves room for a smaller rho than `reach`
        need = theorem[j] & (lower[j] < reach[j]) & ~np.isfinite(upper[j])
        cols = np.flatnonzero(need & (np.arange(L) % low_stride == 0))
        lower[j, need & (np.arange(L) % low_stride != 0)] = np.nan
        if len(cols):
            bound(slice(j, j + 1), cols, False)
    sign = np.where(theorem | (upper < -SIGN_BAND), -1, np.where(lower > SIGN_BAND, 1, 0))
    return lower, upper, sign


def refine_near_one(Z, batch, lrs, lower, upper, sign, momentum=None, safe=None):
    """One data set's scan with FINER - 1 more points inside each cell whose ends both have |log rho| <
    NEAR_ONE and the same sign (where a narrow window could hide between two points; cells below `safe`, stable
    by theorem, excepted), by eigvals. Returns (lrs, lower, upper, sign, extra points)."""
    near = (np.maximum(np.abs(lower), np.abs(upper)) < NEAR_ONE) & (sign != 0) & (lrs >= (safe or 0.0))
    cells = np.flatnonzero(near[:-1] & near[1:] & (sign[:-1] == sign[1:]))
    if not len(cells):
        return lrs, lower, upper, sign, 0
    t = np.linspace(0, 1, FINER + 1)[1:-1]
    extra = np.exp(np.log(lrs[cells])[:, None] + np.log(lrs[cells + 1] / lrs[cells])[:, None] * t).ravel()
    val = log_rho64(Z, batch, extra, momentum)
    sgn = np.where(val < -SIGN_BAND, -1, np.where(val > SIGN_BAND, 1, 0))
    order = np.argsort(np.concatenate([lrs, extra]), kind="stable")
    cat = lambda u, v: np.concatenate([u, v])[order]
    return cat(lrs, extra), cat(lower, val), cat(upper, val), cat(sign, sgn), len(extra)


def scan(Z, batch, lrs, momentum=None, safe=None):
    """`dense_scan` and `refine_near_one` of one data set: (lrs, lower, upper, sign, extra points)."""
    lower, upper, sign = dense_scan(Z, batch, lrs, momentum, safe)
    return refine_near_one(Z, batch, np.asarray(lrs, np.float64), lower[0], upper[0], sign[0], momentum, safe)


def inside(lrs, intervals):
    """Whether each lr lies in one of the (lo, hi) ranges (open ends)."""
    lrs = np.asarray(lrs, np.float64)
    out = np.zeros(lrs.shape, bool)
    for lo, hi in intervals:
        out |= (lrs > lo) & (lrs < hi)
    return out


def compare_with_scan(a, Z, batch, lrs, lower, sign, momentum=None, best_rtol=BEST_RTOL):
    """Hold an analysis's stable ranges, threshold and fastest lr to a brute-force scan of one data set (Z in its
    span's coordinates; the scan's lrs ascending, lower its lower bounds of log rho, nan where a point is not held
    to the fastest lr, sign its calls). Returns (problems, facts): problems, (claim, sentence) pairs, claim one of
    "ranges", "edges", "threshold", "fastest" (none: it agrees); facts, counts and the narrowest windows.

    - every scan point whose sign the brute force calls and that lies farther than EDGE_SLACK from every
      reported edge is stable exactly when it lies in a reported range: every sign change of the scan lies within
      one scan step of a reported edge, and no reported range holds a point the scan calls divergent;
    - every finite reported edge is a crossing: the brute force (eigvals, step by step) at edge x (1 -+ 1e-6) has
      the signs the ranges say there;
    - the threshold is the end of the first range, and that range starts at 0;
    - the fastest lr lies in a reported range and no scan point's log rho beats its own by more than best_rtol
      (relative; scan points whose lower bound could are settled by eigvals, step by step)."""
    problems, facts = [], {"edges": 0, "edges_unresolved": 0, "points_unresolved": int(np.sum(sign == 0))}
    say = lambda claim, text: problems.append((claim, text))
    iv = [(float(lo), float(hi)) for lo, hi in a.stable_intervals]
    edges = sorted({e for p in iv for e in p if 0 < e < np.inf})
    facts["edges"] = len(edges)
    lrs = np.asarray(lrs, np.float64)
    far = np.ones(len(lrs), bool)
    for e in edges:
        far &= np.abs(lrs / e - 1) > EDGE_SLACK
    held = inside(lrs, iv)
    wrong = far & (((sign < 0) & ~held) | ((sign > 0) & held))
    for i in np.flatnonzero(wrong)[:4]:
        found = "stable" if sign[i] < 0 else "divergent"
        say("ranges", f"lr {lrs[i]:.10g}: the brute force finds it {found} (log rho >= {lower[i]:.3g}), the "
                      f"analysis's ranges {iv} do not")
    if wrong.sum() > 4:
        say("ranges", f"... {int(wrong.sum())} such scan points in all")
    if edges:
        side = np.array([[e * (1 - 1e-6), e * (1 + 1e-6)] for e in edges])
        val = log_rho64(Z, batch, side.ravel(), momentum).reshape(-1, 2)
        for e, (left, right), (wl, wr) in zip(edges, val, inside(side, iv)):
            if wl == wr:
                say("edges", f"edge {e:.10g} separates nothing: ranges {iv}")
            elif min(abs(left), abs(right)) <= SIGN_BAND:
                facts["edges_unresolved"] += 1
            elif (left < 0) != wl or (right < 0) != wr:
                say("edges", f"edge {e:.10g} is no crossing: brute-force log rho {left:.4g} just below it, "
                             f"{right:.4g} just above; ranges {iv}")
    first = iv[0][1] if iv and iv[0][0] == 0.0 else np.nan
    if not (a.threshold == first or (np.isnan(a.threshold) and np.isnan(first))):
        say("threshold", f"threshold {a.threshold} is not the end of a first range starting at 0: {iv}")
    if np.any(sign < 0):
        if not (np.isfinite(a.best_lr) and inside([a.best_lr], iv)[0]):
            say("fastest", f"fastest lr {a.best_lr} lies outside the stable ranges {iv}")
        else:
            best = float(log_rho64(Z, batch, [a.best_lr], momentum)[0])
            bar = best - best_rtol * abs(best) - SIGN_BAND
            maybe = (sign < 0) & (lower < bar)
            facts["best_settled"] = int(maybe.sum())
            exact = log_rho64(Z, batch, lrs[maybe], momentum) if maybe.any() else np.zeros(0)
            if exact.size and exact.min() < bar:
                k = int(np.argmin(exact))
                say("fastest", f"fastest lr {a.best_lr:.10g} (log rho {best:.10g}) is beaten by lr "
                               f"{lrs[maybe][k]:.10g} (log rho {exact[k]:.10g})")
    facts["narrowest_stable"] = min([hi / lo - 1 for lo, hi in iv if lo > 0 and np.isfinite(hi)], default=np.inf)
    facts["narrowest_gap"] = min([iv[i + 1][0] / iv[i][1] - 1 for i in range(len(iv) - 1)], default=np.inf)
    called = np.flatnonzero(sign != 0)  # the scan's own windows: runs of one sign between runs of the other
    s, x = sign[called], lrs[called]
    cuts = np.flatnonzero(s[1:] != s[:-1]) + 1
    for name, side in (("scan_narrowest_stable", -1), ("scan_narrowest_gap", 1)):
        inner = [(i, j) for i, j in itertools.pairwise(cuts) if s[i] == side]  # bounded on both sides
        facts[name] = min([x[j] / x[i - 1] - 1 for i, j in inner], default=np.inf)  # from the last point outside
    return problems, facts


# ---- The model's view of a config, and regimes by brute force (test_analysis_oracle.py, test_analysis_regressions.py)


@dataclass(frozen=True)
class Case:
    """A config's data as the model sees it, with the references' view of it (model units throughout)."""

    cfg: RunConfig
    X: np.ndarray          # (N, D) float64 of the model's float32 features
    y: np.ndarray
    scale: np.ndarray      # raw weight = model weight / scale
    w0: np.ndarray         # the start, as the engine draws it
    Z: np.ndarray          # (N, r): the samples in an orthonormal basis of their span (numpy SVD)
    rank: int
    ambiguous: bool        # a singular value sits in RANK_GAP: the rank is a matter of tolerance
    momentum: float | None
    fb: float              # 2 / lambda_max of H = (2/N) X^T X: the full-batch threshold (inf: no span)
    safe: float | None     # plain SGD: rho < 1 below it by theorem (sgd_safe_lr)


@functools.lru_cache(maxsize=64)
def case(cfg: RunConfig) -> Case:
    """The config's Case: its data drawn by make_dataset, its start by linviz.fit.start_weights (what training uses),
    the rest by numpy."""
    data = make_dataset(cfg)
    X, y = data.X.astype(np.float64), data.y.astype(np.float64)
    sv = np.linalg.svd(X, compute_uv=False)
    ratio = sv / sv[0] if sv.size and sv[0] > 0 else np.zeros(0)
    Z, _ = coordinates(X)
    lam = np.linalg.eigvalsh(2.0 / len(X) * Z.T @ Z) if Z.shape[1] else np.zeros(1)
    momentum = cfg.momentum if cfg.optimizer == "momentum" else None
    return Case(cfg, X, y, data.scale, start_weights(cfg, cfg.n_weights), Z, Z.shape[1],
                bool(np.any((ratio > RANK_GAP[0]) & (ratio < RANK_GAP[1]))), momentum,
                2.0 / lam[-1] if lam[-1] > 0 else np.inf, sgd_safe_lr(Z, cfg.batch_size) if momentum is None else None)


TIE = 2.0  # a mode still within e^-2 of the dominant one's size when the run reaches the tolerance ties with it


def brute_regimes(c: Case, a, lrs):
    """From the brute-force spectrum at each lr: a dict of arrays over lrs. diverges (None where |log rho| <=
    SIGN_BAND); epochs, log(tol / distance of w0 from fixed_point64) / log rho with tol = a.tol; for two notions
    of "tied for the largest size", exact (within 1e-9 of log rho) and visible (a mode still within e^-TIE of the
    dominant one's size when the run reaches the tolerance, or within 5 % of log rho): whether every tied
    eigenvalue turns by more than 60 degrees (every_*), whether any does (some_*); robust: no visibly tied
    eigenvalue turns within 2 degrees of 60."""
    mod, ang = spectra(c.Z, c.cfg.batch_size, lrs, c.momentum)
    top = mod[:, 0]
    e0 = np.array([np.linalg.norm(c.w0 - fixed_point64(c.X, c.y, c.w0, lr, c.cfg.batch_size, c.momentum))
                   if t < 0 else np.inf for lr, t in zip(lrs, top)])
    with np.errstate(divide="ignore", invalid="ignore"):
        epochs = np.where(e0 <= a.tol, 0.0, np.log(a.tol / e0) / top)
    gap = top[:, None] - mod  # inf for a zero eigenvalue
    with np.errstate(over="ignore", invalid="ignore"):
        seen = gap * np.minimum(np.nan_to_num(epochs, nan=1e6), 1e6)[:, None] <= TIE
    out = {"diverges": np.where(np.abs(top) <= SIGN_BAND, None, top > 0), "epochs": epochs}
    turns = np.abs(ang) > np.pi / 3
    for name, tied in [("exact", gap <= 1e-9 * np.abs(top)[:, None]),
                       ("visible", seen | (gap <= 0.05 * np.abs(top)[:, None]))]:
        out[f"every_{name}"] = np.all(turns | ~tied, axis=1)
        out[f"some_{name}"] = np.any(turns & tied, axis=1)
    near60 = np.abs(np.abs(ang) - np.pi / 3) < np.radians(2)
    out["robust"] = ~np.any(near60 & (seen | (gap <= 0.05 * np.abs(top)[:, None])), axis=1)
    return out


def changes(seq) -> int:
    return int(sum(1 for p, q in itertools.pairwise(seq) if p != q))


def runs(mask) -> int:
    """Maximal runs of True."""
    m = np.asarray(mask, bool)
    return int(np.sum(m[1:] & ~m[:-1]) + (m[0] if len(m) else 0))


VISIBLE = 5  # a run that reaches the tolerance within this many epochs may be called smooth whatever its turn


def genuine_boundaries(b: dict, budget: int) -> int:
    """How often a regime label may change along a grid of lrs, from brute_regimes' b: the most label changes of
    any labelling that follows the brute-force spectrum by a consistent rule,
        diverges if rho > 1, else too slow if epochs > f x budget, else oscillates if the dominant eigenvalue turns
        by more than 60 degrees and epochs >= v (a run done within an epoch or two shows no back and forth),
        else converges smoothly,
    over the choices a sound analysis may make: f in 0.9, 1, 1.1 (rounding of the epoch counts), v in 1 .. VISIBLE,
    and, where eigenvalues tie for the largest size (exactly, or visibly: see brute_regimes), "turns" meaning the
    most turning of the tied or the least. Plus 2 for each run of lrs where the brute force cannot tell whether
    rho > 1, and 2 to spare. A rule that flickers between tied eigenvalues (whichever eigvals lists first) changes
    far more often."""
    unknown = np.array([d is None for d in b["diverges"]])
    div = np.array([bool(d) for d in b["diverges"]])
    most = 0
    for f in (0.9, 1.0, 1.1):
        slow = b["epochs"] > f * budget
        for v in range(1, VISIBLE + 1):
            for key in ("every_exact", "some_exact", "every_visible", "some_visible"):
                labels = np.where(div, 3, np.where(slow, 2, np.where(b[key] & (b["epochs"] >= v), 1, 0)))
                most = max(most, changes(list(labels[~unknown])))
    return most + 2 * runs(unknown) + 2


def label_changes(cfg, a, lrs):
    """(kinds, label changes along lrs, genuine_boundaries' bound, [(lr, kind, the brute force's kind)] where the
    brute force's label is beyond doubt and the analysis gives another)."""
    kinds = [r.kind for r in a.classify_many(lrs)]
    b = brute_regimes(case(cfg), a, lrs)
    mismatched = []  # where the brute force's label is beyond doubt, the analysis must give it
    for i, kind in enumerate(kinds):
        diverges, epochs, every = b["diverges"][i], b["epochs"][i], b["every_visible"][i]
        if diverges is None or not b["robust"][i] or every != b["some_visible"][i]:
            continue
        if diverges:
            want = "diverges"
        elif epochs >= 3 * cfg.epochs:
            want = "too slow"
        elif VISIBLE <= epochs <= cfg.epochs / 3:
            want = "oscillates but converges" if every else "converges smoothly"
        else:
            continue
        if kind != want:
            mismatched.append((float(lrs[i]), kind, want))
    return kinds, changes(kinds), genuine_boundaries(b, cfg.epochs), mismatched
