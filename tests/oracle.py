"""Independent reference implementations the tests compare linviz against.

`reference_train` is the tutorial's loop generalised the obvious way (autograd, nn.MSELoss, torch.optim,
mini-batches in a given order): it shares no code with linviz's engine.
"""
import numpy as np
import torch
from torch import nn


def reference_train(X, y, w0, lr, epochs, batch=1, optimizer="sgd", momentum=0.9, orders=None, lrs=None):
    """Per-epoch weights (epochs + 1, D) from autograd + torch.optim in float32, as the tutorial trains.

    orders: optional per-epoch sample orders; lrs: optional per-epoch learning rates (a schedule)."""
    w = nn.Parameter(torch.tensor(w0, dtype=torch.float32))
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    opt = {"sgd": lambda: torch.optim.SGD([w], lr=lr),
           "momentum": lambda: torch.optim.SGD([w], lr=lr, momentum=momentum),
           "adam": lambda: torch.optim.Adam([w], lr=lr)}[optimizer]()
    criterion = nn.MSELoss()
    out = [w.detach().numpy().copy()]
    for epoch in range(epochs):
        if lrs is not None:
            opt.param_groups[0]["lr"] = lrs[epoch]
        order = np.arange(len(yt)) if orders is None else orders[epoch]
        for start in range(0, len(order), batch):
            idx = torch.as_tensor(order[start:start + batch])
            loss = criterion(Xt[idx] @ w, yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append(w.detach().numpy().copy())
    return np.array(out)


def mse64(X, y, w):
    """Training loss in float64 NumPy."""
    r = np.asarray(X, np.float64) @ np.asarray(w, np.float64) - np.asarray(y, np.float64)
    return float(np.mean(r**2))


def tutorial_epochs(X, y, w0, lr, epochs, dtype=torch.float64):
    """The tutorial's loop, literally (nn.MSELoss, torch.optim.SGD, one sample per step, in order), epoch by epoch:
    a list of (weights, loss of the epoch's last step as the tutorial prints it, mean loss over the samples), index
    k for epoch k; epoch 0 is the start (no step: last-step loss None). It goes on past any blow-up (inf, NaN)."""
    w = nn.Parameter(torch.tensor(w0, dtype=dtype))
    Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y, dtype=dtype)
    opt, criterion = torch.optim.SGD([w], lr=lr), nn.MSELoss()
    mean = lambda: float(criterion(Xt @ w.detach(), yt))
    out = [(w.detach().numpy().copy(), None, mean())]
    for _ in range(epochs):
        for i in range(len(yt)):
            loss = criterion(Xt[i] @ w, yt[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append((w.detach().numpy().copy(), loss.item(), mean()))
    return out


def first_blown_epoch(epochs, factor=1e10):
    """The first epoch whose mean loss is not finite or over `factor` times the start's (at least 1): what linviz
    calls diverging. None if none is."""
    limit = factor * max(epochs[0][2], 1.0)
    return next((k for k, (_, _, mean) in enumerate(epochs) if not mean <= limit), None)
