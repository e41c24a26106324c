"""The optimiser updates, without autograd: what `loss.backward(); optimizer.step()` does, in closed form.

For MSE on a batch b of a linear model the gradient is (2/|b|) * sum_i (w.x_i - y_i) x_i, so a step is
w -= lr * 2/|b| * E X_b with residuals E. All functions update W (R, D) in place, one row per run, and
return the residuals of the epoch's last batch (R, B) for the tutorial's "last-step" loss.

Plain SGD needs no loop over steps at all. Write e_i for sample i's residual at the moment its step runs.
Within a chunk of samples starting from weights W0,
    e_i = (W0.x_i - y_i) - sum over j in earlier batches of  lr * c_j * (x_j . x_i) * e_j,   c_j = 2/|b_j|,
a unit lower-triangular system: one triangular solve replaces the chunk's sequential steps exactly
(in real arithmetic), and W0 - lr * sum_j c_j e_j x_j is the weight after them. It runs in float64.
"""
import torch

CHUNK = 128  # samples per triangular solve: amortises per-call overhead, keeps the k x k Gram cheap
MAX_CACHED_GRAM_BYTES = 64 * 2**20  # the masked Grams cost ~1 KB a sample: above this, rebuild them each epoch


class SgdChunks:
    """Chunks of (X, y) for `sgd`: features, -targets, masked Gram (cached when small), step coefficients."""

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
        self.chunks = []
        for start in range(0, n, per):
            Xc, c = X[start:start + per], coef[start:start + per]  # (k, D), (k,)
            A = self.gram(Xc, c[None, :]) if cache else None
            self.chunks.append((Xc, -y[start:start + per][None, :], A, c[None, :]))
        self.last_batch = n % batch or batch

    def gram(self, Xc: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """(k, k): c_j (x_i . x_j) where sample j's batch comes before sample i's, else 0."""
        k = len(Xc)
        return (Xc @ Xc.T) * (self.earlier[:k, :k] * c)


def sgd(W: torch.Tensor, chunks: SgdChunks, lr: torch.Tensor) -> torch.Tensor:
    """One epoch of plain SGD. lr: (R, 1)."""
    lr3 = lr[:, :, None]  # (R, 1, 1)
    for Xc, neg_y, A, c in chunks.chunks:
        E = torch.addmm(neg_y, W, Xc.T)  # (R, k) residuals at the chunk's starting weights
        if A is None and chunks.earlier is not None:  # too big to have been kept: build it now
            A = chunks.gram(Xc, c)
        if A is not None:  # later samples see the updates of earlier ones
            E = torch.linalg.solve_triangular(A * lr3, E[:, :, None], upper=False, unitriangular=True)[:, :, 0]
        W.addmm_(E * (c * -lr), Xc)
    return E[:, -chunks.last_batch:]


def batches(X: torch.Tensor, y: torch.Tensor, size: int):
    """Views of (X, y) as steps: (xb (B, D), xb.T, -yb as (1, B), 2/B)."""
    return [(xb, xb.T, -yb[None, :], 2.0 / len(yb)) for xb, yb in zip(X.split(size), y.split(size))]


def momentum(W, steps, lr, buf, mu: float) -> torch.Tensor:
    """One epoch of torch.optim.SGD(momentum=mu, dampening=0, nesterov=False)."""
    for xb, xbt, neg_y, c in steps:
        E = torch.addmm(neg_y, W, xbt)
        buf.mul_(mu).add_(torch.mm(E, xb), alpha=c)
        W.addcmul_(buf, -lr)
    return E


ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam's defaults


def adam(W, steps, lr, m, v, t: int) -> torch.Tensor:
    """One epoch of torch.optim.Adam (defaults); t is the number of steps taken before."""
    b1, b2 = ADAM_BETAS
    for xb, xbt, neg_y, c in steps:
        t += 1
        E = torch.addmm(neg_y, W, xbt)
        g = torch.mm(E, xb).mul_(c)
        m.lerp_(g, 1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (v.sqrt() / (1 - b2**t) ** 0.5).add_(ADAM_EPS)
        W.addcdiv_(m * (-lr / (1 - b1**t)), denom)
    return E
