"""The tutorial's training loop, literally: autograd, nn.MSELoss and torch.optim.SGD, one sample at a time.

This is what linviz teaches and the oracle its fast engine is tested against (tests/test_fidelity.py).
It is slow on purpose: every step pays for autograd and the optimiser (see benchmarks/bench_core.py).
"""
import numpy as np
import torch
from torch import nn


class TutorialModel(nn.Module):
    def __init__(self, initial_weights: torch.Tensor):
        super().__init__()
        self.w = nn.Parameter(initial_weights.detach().clone())  # (D,)

    def forward(self, x):
        return self.w @ x


def tutorial_train(X, y, initial_weights, lr=1e-5, epochs=100, device="cpu"):
    """Yield (epoch, weights, last-sample loss) after each epoch, exactly as the tutorial trains.

    X (N, D) and y (N,) are array-likes; initial_weights (D,). Epoch 0 is the start (loss None)."""
    model = TutorialModel(torch.as_tensor(initial_weights, dtype=torch.float32)).to(device)
    inputs = torch.tensor(np.asarray(X), dtype=torch.float32, device=device)
    targets = torch.tensor(np.asarray(y), dtype=torch.float32, device=device)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    yield 0, model.w.detach().cpu().numpy().copy(), None
    for epoch in range(1, epochs + 1):
        for i in range(len(inputs)):
            prediction = model(inputs[i])
            loss = criterion(prediction, targets[i])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        yield epoch, model.w.detach().cpu().numpy().copy(), loss.item()
