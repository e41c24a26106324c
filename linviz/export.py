""""Show me the code": a standalone script (numpy + torch only, in the tutorial's style) for a RunConfig.

The script makes the same data (same seed, same generator calls) and the same initial weights, then trains
with the tutorial's literal loop (autograd, nn.MSELoss, torch.optim): tests/test_export.py runs it in a
subprocess and compares its final weights with linviz's to 1e-5. Only the settings in use are written out.
"""
from .config import RunConfig
from .query import to_query
from .text import fmt_number


def _list(v) -> str:
    return "[" + ", ".join(fmt_number(x) for x in v) + "]"


def standalone_script(cfg: RunConfig) -> str:
    """Python source that reproduces `cfg`'s run (a single lr) and prints its final weights as JSON last."""
    if cfg.is_sweep:
        raise ValueError("export one learning rate at a time")
    D, seed = cfg.n_weights, cfg.seed
    query = "&".join(f"{k}={v}" for k, v in to_query(cfg).items()) or "(the tutorial's defaults)"
    optimizer = {"sgd": "torch.optim.SGD(model.parameters(), lr=lr)",
                 "momentum": f"torch.optim.SGD(model.parameters(), lr=lr, momentum={fmt_number(cfg.momentum)})",
                 "adam": "torch.optim.Adam(model.parameters(), lr=lr)"}[cfg.optimizer]
    out = [f'"""The linviz run {query}, as a standalone script: numpy + torch only.', "",
           "It makes the same data and initial weights as linviz and trains with the PyTorch tutorial's loop.",
           '"""', "import json", "", "import numpy as np", "import torch", "from torch import nn", "",
           f"true_weights = {_list(cfg.true_weights)}",
           f"n_samples, lr, epochs, batch_size = {cfg.n_samples}, {fmt_number(cfg.lr)}, {cfg.epochs}, {cfg.batch_size}",
           "", "# Data: integer features, targets y = x . w, all from one seeded generator",
           f"rng = np.random.default_rng({seed})",
           f"X = rng.integers({cfg.feature_min}, {cfg.feature_max + 1}, size=(n_samples, {D}))",
           "y = X @ np.array(true_weights)"]
    if cfg.noise_std > 0:
        out.append(f"y = y + {fmt_number(cfg.noise_std)} * rng.standard_normal(n_samples)  # label noise")
    if cfg.n_test:
        out += [f"order = rng.permutation(n_samples)  # hold out {cfg.n_test} samples for testing",
                f"train = np.sort(order[{cfg.n_test}:])", "X, y = X[train], y[train]"]
    out.append(f"scale = np.ones({D})")
    if cfg.standardize:
        out += ["# Standardise: features to mean 0, std 1; targets to mean 0 (no bias in the model)",
                "mean, scale = X.mean(0), X.std(0)", "scale[scale == 0] = 1.0",
                "X, y = (X - mean) / scale, y - y.mean()"]
    out += ["inputs = torch.tensor(X.astype(np.float32))", "targets = torch.tensor(y.astype(np.float32))", "",
            "", "class Model(nn.Module):", "    def __init__(self):", "        super().__init__()",
            f"        self.w = nn.Parameter(torch.randn({D}, generator=torch.Generator().manual_seed({seed})))",
            "", "    def forward(self, x):", "        return x @ self.w", "", "",
            "model = Model()", "criterion = nn.MSELoss()", f"optimizer = {optimizer}"]
    if cfg.shuffle:
        out.append(f"shuffler = np.random.default_rng([{seed}, 1])")
    out += ["", "for epoch in range(epochs):"]
    if cfg.schedule != "constant":
        decay = ("epoch // " if cfg.schedule == "step" else "epoch / ") + str(cfg.step_size)
        out += [f"    optimizer.param_groups[0]['lr'] = lr * {fmt_number(cfg.gamma)} ** ({decay})  # {cfg.schedule} decay"]
    out.append("    order = shuffler.permutation(len(targets))" if cfg.shuffle else "    order = np.arange(len(targets))")
    out += ["    for start in range(0, len(order), batch_size):",
            "        batch = torch.as_tensor(order[start:start + batch_size])",
            "        prediction = model(inputs[batch])", "        loss = criterion(prediction, targets[batch])",
            "        optimizer.zero_grad()", "        loss.backward()", "        optimizer.step()",
            "    if (epoch + 1) % 10 == 0:",
            "        print(f'Epoch [{epoch + 1}/{epochs}], Loss: {loss.item():.4f}')",
            "print('training done')",
            "print(json.dumps({'weights': (model.w.detach().numpy() / scale).tolist()}))  # in the raw features' units",
            ""]
    return "\n".join(out)
