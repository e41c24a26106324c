"""What the lr analysis may spend: its work caps, and the memory it allocates (arithmetic only, no data).

The spectrum needs N D min(N, D) + 4 min(N, D)^3 operations (the Gram of the smaller side, then its
eigenvalues); beyond SPECTRUM_WORK it is taken from a prefix of the samples (`spectrum_rows`). The epoch
map's cost per lr follows `map_cost`; beyond MAP_BUDGET for the whole analysis the map of a prefix of whole
batches stands in (`map_rows`; sgd_map.py says how it is scaled to an epoch). `analysis_memory(cfg)` says
what all this allocates, so the server can refuse settings before it runs anything.
"""
import numpy as np

from .epoch_map import MAX_BYTES, per_chunk
from .stability import EVAL_COUNT, GRID

SPECTRUM_WORK = 1e9   # multiply-adds for the Gram and its eigenvalues; beyond it, a prefix of the samples
MAP_BUDGET = 2e8      # ns (map_cost's model) for every epoch-map evaluation of one analysis: ~0.2 s
LSTSQ_WORK = 2e7      # N D min(N, D): below it least squares uses the SVD (numpy.linalg.lstsq)
CHUNK_BYTES = 16 * 2**20  # float64 rows made at a time (the Gram, the bound below)


def spectrum_rows(n: int, d: int) -> int:
    """Samples the spectrum is computed from: all n, or the largest prefix within SPECTRUM_WORK."""
    work = lambda rows: rows * d * min(rows, d) + 4 * min(rows, d) ** 3  # the Gram, then eigh
    if work(n) <= SPECTRUM_WORK:
        return n
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if work(mid) <= SPECTRUM_WORK else (lo, mid - 1)
    return lo


def map_cost(rows: int, s: int, batch: int, momentum: bool) -> float:
    """Model of the ns one lr costs EpochMap.spectrum on `rows` samples of rank s (fitted on 2 cores)."""
    if s == 0 or rows == 0:
        return 0.0
    d = 2 * s if momentum else s
    k = -(-rows // batch)
    if batch >= s:  # H_b P per batch, then K - 1 products
        per_batch, chunks = 0.3 * s * s * d + 6.0 * s * d + 250.0, k
    else:  # two thin products per batch, then one product per chunk
        per_batch, chunks = 1.0 * batch * s * d + 6.0 * s * d + 200.0, -(-k // per_chunk(s, batch))
    calls = k // chunks + 2 * np.log2(chunks + 1)  # numpy calls per evaluation, ~3 us each, 1/3 unshared
    return k * per_batch + chunks * (0.3 * d**3 + 20.0 * d * d + 100.0) + 5.0 * d**3 + 1000.0 * calls + 20_000.0


def map_rows(n: int, rank: int, batch: int, momentum: bool) -> int:
    """Samples (whole batches) whose epoch map fits MAP_BUDGET: n when exact; 0 when not even one batch does."""
    cost = lambda rows: EVAL_COUNT * map_cost(rows, min(rank, rows), batch, momentum)
    if cost(n) <= MAP_BUDGET:
        return n
    lo, hi = 0, -(-n // batch)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if cost(mid * batch) <= MAP_BUDGET else (lo, mid - 1)
    return min(lo * batch, n)


def chunk_rows(d: int) -> int:
    """Rows of D float64 features that fit CHUNK_BYTES: how many samples are converted at a time."""
    return max(1, CHUNK_BYTES // (8 * d))


def lstsq_small(n: int, d: int) -> bool:
    """Whether numpy.linalg.lstsq (an SVD of the whole float64 X) is cheap enough for n samples of d weights."""
    return n * d * min(n, d) <= LSTSQ_WORK and n * d <= 2e5


def analysis_memory(cfg) -> int:
    """Bytes `analyze(cfg)` allocates besides the data set itself (an upper estimate; arithmetic only)."""
    n, d, b = cfg.n_train, cfg.n_weights, cfg.batch_size
    rows = spectrum_rows(n, d)
    side, chunk = min(rows, d), chunk_rows(d)
    spectrum = 8 * (min(rows, chunk) * d + rows * d * (rows < d) + 3 * side * side + 2 * d * side)
    lstsq = 8 * 3 * n * d if lstsq_small(n, d) else 0
    bound = 12 * min(n, chunk)  # safe_lr: squared norms of one pass
    p = min(map_rows(n, side, b, cfg.optimizer == "momentum"), rows)
    s = min(p, side)
    layout = 8 * (-(-p // b)) * s * s if b >= s else 8 * 2 * (p + 2 * max(s, 4)) * s
    prefix = 8 * (p * d + p * side + 3 * s * s) + layout
    e = 2 * s if cfg.optimizer == "momentum" else s  # the chain's state, for each lr of a group (<= MAX_BYTES)
    chain = 3 * min(MAX_BYTES, GRID * 8 * ((-(-p // b)) * (3 * e * e + min(b, p) * e + 8) + 4 * e * e))
    return int(spectrum + lstsq + bound + prefix + chain + 2**20)
