"""The optimiser updates, without autograd: what `loss.backward(); optimizer.step()` does, in closed form.

For MSE on a batch b of a linear model the gradient is (2/|b|) * sum_i (w.x_i - y_i) x_i, so a step is
w -= lr * 2/|b| * E X_b with residuals E. All functions update W (R, D) in place, one row per run, and
return the residuals of the epoch's last batch (R, B) for the tutorial's "last-step" loss.

Plain SGD needs no loop over steps at all. Write e_i for sample i's residual at the moment its step runs.
Within a chunk of samples starting from weights W0,
    e_i = (W0.x_i - y_i) - sum over j in earlier batches of  lr * c_j * (x_j . x_i) * e_j,   c_j = 2/|b_j|,
that is (I + lr A) E = E0 with A strictly lower triangular: one triangular solve replaces the chunk's
sequential steps, and W0 - lr * sum_j c_j e_j x_j is the weight after them.

Why float64: the solve equals the steps exactly only in real arithmetic; in floating point the two round
differently. The engine (engine.py) runs in float64, which keeps the solve within ~1e-12 relative of the
literal loop (1e-16..1e-14 measured on the tutorial's data). MPS has no float64, so there it runs in float32
and gives that up: agreement only to ~1e-5 relative (1e-7..1e-6 measured over 30 epochs near the threshold),
worse for longer chunks and larger lr * |x|^2.

Two samples, batch 1: one chunk gives what two explicit steps `w -= lr * 2 * (w.x - y) * x` give.

>>> X = torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=torch.float64)
>>> y = torch.tensor([5.0, 1.0], dtype=torch.float64)
>>> lr = 0.01
>>> w = torch.zeros(2, dtype=torch.float64)
>>> w = w - lr * 2 * (w @ X[0] - y[0]) * X[0]  # step 1: sample 0
>>> w = w - lr * 2 * (w @ X[1] - y[1]) * X[1]  # step 2: sample 1, from the weights step 1 left
>>> W = torch.zeros(1, 2, dtype=torch.float64)  # one run
>>> _ = sgd(W, SgdChunks(X, y, batch=1), torch.tensor([[lr]], dtype=torch.float64))
>>> w.round(decimals=12).tolist(), W[0].round(decimals=12).tolist()  # [0.1, 0.2] + 0.018 * [3, -1]
([0.154, 0.182], [0.154, 0.182])
>>> bool((W[0] - w).abs().max() < 1e-15)
True
"""
from typing import NamedTuple

import torch

CHUNK = 128  # samples per triangular solve: amortises per-call overhead, keeps the k x k Gram cheap
MAX_CACHED_GRAM_BYTES = 64 * 2**20  # the masked Grams cost ~1 KB a sample: above this, rebuild them each epoch


class SgdChunk(NamedTuple):
    """k consecutive samples (whole batches) that one triangular solve steps through."""

    X: torch.Tensor               # (k, D) features
    neg_y: torch.Tensor           # (1, k) minus the targets
    gram: torch.Tensor | None     # (k, k) the masked Gram A (see SgdChunks.gram); None: built when needed
    coef: torch.Tensor            # (1, k) 2 / |batch| of each sample's batch


class Batch(NamedTuple):
    """One optimiser step's samples, for momentum and Adam."""

    x: torch.Tensor               # (B, D) features
    xt: torch.Tensor              # (D, B) the same, transposed once here rather than every step
    neg_y: torch.Tensor           # (1, B) minus the targets
    coef: float                   # 2 / B


class SgdChunks:
    """The samples of one epoch order cut into `SgdChunk`s for `sgd`, with the masked Grams cached when small."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor, batch: int):
        n = len(y)
        per = batch * max(1, CHUNK // batch)  # a chunk holds whole batches; big batches are a chunk each
        self.earlier = None  # (per, per): j's batch comes before i's; None when a chunk is a single batch
        if per > batch:
            pos = torch.arange(per, device=X.device)
            self.earlier = (pos[:, None] // batch) > (pos[None, :] // batch)
        cache = self.earlier is not None and n * per * X.element_size() <= MAX_CACHED_GRAM_BYTES
        size = torch.full((n,), float(batch), dtype=X.dtype, device=X.device)
        if n % batch:
            size[n - n % batch:] = n % batch  # the short last batch
        coef = 2.0 / size  # (N,)
        self.chunks: list[SgdChunk] = []
        for start in range(0, n, per):
            Xc, c = X[start:start + per], coef[start:start + per][None, :]  # (k, D), (1, k)
            # -y, so that addmm(neg_y, W, X.T) gives the residuals W.x - y in one call
            neg_y = -y[start:start + per][None, :]
            self.chunks.append(SgdChunk(Xc, neg_y, self.gram(Xc, c) if cache else None, c))
        self.last_batch = n % batch or batch

    def gram(self, Xc: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """(k, k) A: c_j (x_i . x_j) where sample j's batch comes before sample i's, else 0 (so the diagonal
        is 0: a sample's own step does not change the residual it was computed from)."""
        k = len(Xc)
        return (Xc @ Xc.T) * (self.earlier[:k, :k] * c)


def sgd(W: torch.Tensor, chunks: SgdChunks, lr: torch.Tensor, start: int = 0, stop: int | None = None) -> torch.Tensor:
    """Plain SGD through chunks[start:stop] (the whole epoch by default). lr: (R, 1). Returns the residuals of the
    epoch's last batch (R, B) when the epoch's last chunk was trained, else those of the last chunk trained."""
    lr3 = lr[:, :, None]  # (R, 1, 1)
    stop = len(chunks.chunks) if stop is None else stop
    for chunk in chunks.chunks[start:stop]:
        E = torch.addmm(chunk.neg_y, W, chunk.X.T)  # (R, k) residuals W0.x - y at the chunk's starting weights
        A = chunk.gram
        if A is None and chunks.earlier is not None:  # too big to have been kept: build it now
            A = chunks.gram(chunk.X, chunk.coef)
        if A is not None:  # later samples see the updates of earlier ones: solve (I + lr A) E = E0
            # unitriangular=True supplies the identity: lr A holds only the strictly lower part, the unit
            # diagonal is implied and never stored or read
            E = torch.linalg.solve_triangular(A * lr3, E[:, :, None], upper=False, unitriangular=True)[:, :, 0]
        W.addmm_(E * (chunk.coef * -lr), chunk.X)
    return E[:, -chunks.last_batch:] if stop >= len(chunks.chunks) else E


class Batches:
    """(X, y) cut into the epoch's steps for momentum and Adam, made a block at a time as views of X and y.

    Never all at once for a long epoch: a list of a million one-sample views (three tensors each) took 2.3 GB,
    seven times the data it viewed. Up to CACHED_STEPS steps are made once and kept (the tutorial's ten)."""

    BLOCK = 512  # steps made at a time at most (a few ms of training: also the engine's slice, Trainer.advance)
    CACHED_STEPS = 4096

    def __init__(self, X: torch.Tensor, y: torch.Tensor, size: int, block: int | None = None):
        self.X, self.neg_y, self.size = X, -y[None, :], size  # -y, so that addmm(neg_y, W, xt) gives residuals
        self.count = -(-len(y) // size)
        self.block_steps = max(1, min(self.BLOCK, block or self.BLOCK))  # fewer for big batches (the engine's)
        self._kept = self._make(0, self.count) if self.count <= self.CACHED_STEPS else None

    def __len__(self) -> int:
        return self.count

    def block(self, start: int, stop: int) -> list[Batch]:
        """Steps start..stop-1, in order."""
        return self._kept[start:stop] if self._kept is not None else self._make(start, stop)

    def _make(self, start: int, stop: int) -> list[Batch]:
        a, b = start * self.size, stop * self.size
        xs, ys = self.X[a:b].split(self.size), self.neg_y[:, a:b].split(self.size, dim=1)
        return [Batch(xb, xb.T, yb, 2.0 / len(xb)) for xb, yb in zip(xs, ys)]


def momentum(W, steps: list[Batch], lr, buf, mu: float) -> torch.Tensor:
    """One epoch of torch.optim.SGD(momentum=mu, dampening=0, nesterov=False)."""
    for b in steps:
        E = torch.addmm(b.neg_y, W, b.xt)  # (R, B) residuals
        buf.mul_(mu).add_(torch.mm(E, b.x), alpha=b.coef)
        W.addcmul_(buf, -lr)
    return E


ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam's defaults


def adam(W, steps: list[Batch], lr, m, v, t: int) -> torch.Tensor:
    """One epoch of torch.optim.Adam (defaults); t is the number of steps taken before."""
    b1, b2 = ADAM_BETAS
    for b in steps:
        t += 1
        E = torch.addmm(b.neg_y, W, b.xt)  # (R, B) residuals
        g = torch.mm(E, b.x).mul_(b.coef)
        m.lerp_(g, 1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (v.sqrt() / (1 - b2**t) ** 0.5).add_(ADAM_EPS)
        W.addcdiv_(m * (-lr / (1 - b1**t)), denom)
    return E
