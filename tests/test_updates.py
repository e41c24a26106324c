"""The closed-form updates against steps written out one by one, as the tutorial takes them.

Whole runs are checked against the literal loop and torch.optim in tests/test_fidelity.py; here, single
chunks: where the triangular solve could go wrong (short batches, several runs, the returned residuals)."""
import torch

from linviz.updates import SgdChunks, sgd

F64 = torch.float64


def _steps(w, X, y, lr, batch):
    """Oracle: mini-batch SGD on MSE, one step after another: w -= lr * 2/|b| * sum (w.x - y) x."""
    for i in range(0, len(y), batch):
        xb, yb = X[i:i + batch], y[i:i + batch]
        w = w - lr * 2.0 / len(yb) * ((xb @ w - yb) @ xb)
    return w


def test_one_solve_equals_the_steps_for_several_runs_and_a_short_last_batch():
    gen = torch.Generator().manual_seed(0)
    X = torch.randint(-3, 10, (7, 3), generator=gen).to(F64)  # batches of 2, 2, 2 and 1
    y = X @ torch.tensor([2.0, -1.0, 0.5], dtype=F64)
    lrs = torch.tensor([[1e-3], [5e-3]], dtype=F64)  # two runs, one chunk
    W = torch.zeros(2, 3, dtype=F64)
    E = sgd(W, SgdChunks(X, y, batch=2), lrs)
    for r in range(2):
        want = _steps(torch.zeros(3, dtype=F64), X, y, float(lrs[r]), batch=2)
        torch.testing.assert_close(W[r], want, rtol=1e-13, atol=1e-13)
    assert E.shape == (2, 1)  # the residuals of the last batch: its one sample


def test_the_last_batch_residuals_are_those_its_step_was_computed_from():
    X = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 1.0]], dtype=F64)
    y = torch.tensor([5.0, 1.0, 2.0], dtype=F64)
    lr = 0.01
    W = torch.zeros(1, 2, dtype=F64)
    E = sgd(W, SgdChunks(X, y, batch=1), torch.tensor([[lr]], dtype=F64))
    before_last = _steps(torch.zeros(2, dtype=F64), X[:2], y[:2], lr, batch=1)
    torch.testing.assert_close(E[0, 0], before_last @ X[2] - y[2], rtol=1e-13, atol=1e-13)
