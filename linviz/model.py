"""The model: y = w . x, with no bias, as in the tutorial; R independent runs side by side."""
import torch
from torch import nn


class LinearModel(nn.Module):
    """R linear models at once: one row of `weight` per run.

    >>> m = LinearModel(torch.tensor([1.0, 2.0]), runs=3)
    >>> m(torch.tensor([3.0, 4.0]))  # w @ x for each run
    tensor([11., 11., 11.], grad_fn=<MvBackward0>)
    """

    def __init__(self, initial: torch.Tensor, runs: int = 1):
        super().__init__()
        self.weight = nn.Parameter(initial.detach().expand(runs, -1).clone())  # (R, D)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (D,) -> (R,); x (B, D) -> (R, B)."""
        return self.weight @ x.T if x.dim() == 2 else self.weight @ x


def initial_weights(d: int, seed: int) -> torch.Tensor:
    """torch.randn(D), as the tutorial initialises its weights, from a seeded generator (no global seeding)."""
    return torch.randn(d, generator=torch.Generator().manual_seed(seed))
