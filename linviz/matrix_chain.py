"""Products of many step matrices kept finite, and the dominant eigenvalue of such a product.

A product of hundreds of factors overflows, and for a tiny lr it rounds to I. A running product P is
therefore kept in one of two forms:
- small steps: the deviation D = P - I, whose eigenvalues m give the product's as 1 + m with 1 - rho intact
  (the first-order part is carried exactly instead of being rounded away next to 1);
- otherwise: P / scale, renormalised (before it could overflow) with the log of the scale carried alongside,
  so the dominant eigenvalue is exp(log scale) * that of the normalised product: its modulus lives in log space.
Both forms multiply C factors pairwise (log2 C numpy calls) and hand back log |lambda| and its angle.
"""
import numpy as np


def normalise(P: np.ndarray, logs: np.ndarray) -> None:
    """In place: P /= max|P| per matrix, logs += log of it (-inf for a zero matrix)."""
    nrm = np.abs(P).max(axis=(-2, -1))
    zero = ~(nrm > 0)
    nrm[zero] = 1.0
    P /= nrm[..., None, None]
    logs += np.log(nrm)
    logs[zero] = -np.inf


def multiply_pairwise(P: np.ndarray, logs: np.ndarray | None):
    """The products M_C ... M_1 of (L, C, d, d) along axis 1, in order, as (L, d, d) and logs (L,): of deviations
    when logs is None ((I + b)(I + a) - I = a + b + b a), else of normalised matrices with their log scales."""
    while P.shape[1] > 1:
        if P.shape[1] % 2:
            pad = np.zeros_like(P[:, :1]) if logs is None else np.broadcast_to(np.eye(P.shape[-1]), P[:, :1].shape)
            P = np.concatenate([P, pad], axis=1)
            logs = None if logs is None else np.concatenate([logs, np.zeros_like(logs[:, :1])], axis=1)
        a, b = P[:, 0::2], P[:, 1::2]
        if logs is None:
            P = a + b + b @ a
        else:
            P, logs = b @ a, logs[:, 0::2] + logs[:, 1::2]
            normalise(P, logs)
    return P[:, 0], None if logs is None else logs[:, 0]


TIE = 0.01  # eigenvalues within 1 % of the largest modulus count as dominant too (they decay alike for ~100 epochs)


def dominant(P: np.ndarray, logs: np.ndarray | None):
    """(log |lambda|, angle) of the eigenvalue of largest modulus of I + P (logs None) or exp(logs) * P.

    The angle is the largest |angle| among the eigenvalues within TIE of that modulus: where several tie in size
    (momentum's complex pairs all have modulus sqrt(mu)) the error turns as much as the most turning of them, and
    the answer does not flip between neighbouring lrs as the ties trade places by rounding."""
    bad = ~np.isfinite(P).all(axis=(-2, -1))
    P = np.where(bad[:, None, None], 0.0, P)  # never hand eigvals an inf or a nan
    try:
        ev = np.linalg.eigvals(P)
    except np.linalg.LinAlgError:  # no convergence: fall back on the norm, an upper bound of the modulus
        nrm = np.linalg.norm(P, 2, axis=(-2, -1))
        ev = nrm[:, None] + 0j  # as m: |1 + m| <= 1 + ||D||; as lambda: |lambda| <= ||P||
    pick = np.arange(len(ev))
    if logs is None:  # |1 + m|^2 = 1 + 2 Re m + |m|^2, without forming 1 + m
        q = 2 * ev.real + np.abs(ev) ** 2
        k = np.argmax(q, axis=-1)
        with np.errstate(divide="ignore"):
            log_rho = 0.5 * np.log1p(np.maximum(q[pick, k], -1.0))
        size2, lam = 1.0 + q, 1.0 + ev  # |lambda|^2 (its 1 - rho part is only needed for the top one)
    else:
        size2, lam = np.abs(ev) ** 2, ev
        top = ev[pick, np.argmax(size2, axis=-1)]
        with np.errstate(divide="ignore"):
            log_rho = np.log(np.abs(top)) + logs
    tied = size2 >= (1.0 - TIE) ** 2 * size2.max(axis=-1, keepdims=True)
    angle = np.where(tied, np.abs(np.angle(lam)), 0.0).max(axis=-1)
    log_rho = np.where(bad | np.isnan(log_rho), np.inf, log_rho)
    return log_rho, angle
