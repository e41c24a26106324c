""""Show me the code": a standalone script (numpy + torch only, in the tutorial's style) for a RunConfig.

The script makes the same data (same seed, same generator calls) and the same initial weights, then trains
with the tutorial's literal loop (autograd, nn.MSELoss, torch.optim): tests/test_export.py runs it in a
subprocess and compares its final weights with linviz's to 1e-5. Only the settings in use are written out.

A run that diverges ends as linviz's does: the script checks the engine's rule after every epoch (the mean loss
over the training samples, in float64, not finite or over engine.DIVERGE_FACTOR times its start, or past it from a
start below 1), stops there, prints the CLI's divergence line (cli._diverged_line, word for word: the same
sentence in every language, like the tutorial's line) and exits with the CLI's status 3. Its final JSON is strict:
the last finite epoch's weights and `diverged_epoch` (null, or the epoch it diverged at, numbered as the CLI does).

The comments (and the docstring, and the "training done" line) are in `lang` (linviz/locales/, keys
`code.script.*`); the code is the same in every language.
"""
from .cli import BLEW_UP, EXIT_DIVERGED
from .config import RunConfig
from .engine import DIVERGE_FACTOR
from .query import to_query
from .say import Msg, say
from .text import fmt_number


def _list(v) -> str:
    return "[" + ", ".join(fmt_number(x) for x in v) + "]"


def standalone_script(cfg: RunConfig, *, lang: str = "en") -> str:
    """Python source that reproduces `cfg`'s run (a single lr) and prints its final weights as JSON last; its
    comments in `lang`."""
    if cfg.is_sweep:
        raise ValueError(Msg("code.one_lr"))

    def s(key, **values):
        return say(lang, key, **values)

    D, seed = cfg.n_weights, cfg.seed
    query = "&".join(f"{k}={v}" for k, v in to_query(cfg).items()) or s("code.script.defaults")
    factor = fmt_number(DIVERGE_FACTOR)
    optimizer = {"sgd": "torch.optim.SGD(model.parameters(), lr=lr)",
                 "momentum": f"torch.optim.SGD(model.parameters(), lr=lr, momentum={fmt_number(cfg.momentum)})",
                 "adam": "torch.optim.Adam(model.parameters(), lr=lr)"}[cfg.optimizer]
    out = ['"""' + s("code.script.title", query=query), "", s("code.script.about"),
           '"""', "import json", "import sys", "", "import numpy as np", "import torch", "from torch import nn", "",
           f"true_weights = {_list(cfg.true_weights)}",
           f"n_samples, lr, epochs, batch_size = {cfg.n_samples}, {fmt_number(cfg.lr)}, {cfg.epochs}, {cfg.batch_size}",
           "", "# " + s("code.script.data"),
           f"rng = np.random.default_rng({seed})",
           f"X = rng.integers({cfg.feature_min}, {cfg.feature_max + 1}, size=(n_samples, {D}))",
           "y = X @ np.array(true_weights)"]
    if cfg.noise_std > 0:
        out.append(f"y = y + {fmt_number(cfg.noise_std)} * rng.standard_normal(n_samples)  # " + s("code.script.noise"))
    if cfg.n_test:
        out += ["order = rng.permutation(n_samples)  # " + s("code.script.hold_out", n=cfg.n_test),
                f"train = np.sort(order[{cfg.n_test}:])", "X, y = X[train], y[train]"]
    out.append(f"scale = np.ones({D})")
    if cfg.standardize:
        out += ["# " + s("code.script.standardize"),
                "mean, scale = X.mean(0), X.std(0)", "scale[scale == 0] = 1.0",
                "X, y = (X - mean) / scale, y - y.mean()"]
    out += ["inputs = torch.tensor(X.astype(np.float32))", "targets = torch.tensor(y.astype(np.float32))", "",
            "", "class Model(nn.Module):", "    def __init__(self):", "        super().__init__()",
            f"        self.w = nn.Parameter(torch.randn({D}, generator=torch.Generator().manual_seed({seed})))",
            "", "    def forward(self, x):", "        return x @ self.w", "", "",
            "model = Model()", "criterion = nn.MSELoss()", f"optimizer = {optimizer}", "", "",
            "def mean_loss():  # " + s("code.script.mean_loss"),
            "    with torch.no_grad():",
            "        return criterion(inputs.double() @ model.w.double(), targets.double()).item()", "", "",
            "def fmt(value):  # " + s("code.script.fmt"),
            "    return f'{value:.4f}' if value < 1e6 else f'{value:.4e}'", "", "",
            "# " + s("code.script.limit", factor=factor),
            f"limit = {factor} * max(mean_loss(), 1.0)",
            f"why = {BLEW_UP!r}",
            "# " + s("code.script.last"),
            "last_w, last_loss, last_mse = model.w.detach().clone(), None, mean_loss()",
            "diverged_epoch = None"]
    if cfg.shuffle:
        out.append(f"shuffler = np.random.default_rng([{seed}, 1])")
    out += ["", "for epoch in range(epochs):"]
    if cfg.schedule != "constant":
        decay = ("epoch // " if cfg.schedule == "step" else "epoch / ") + str(cfg.step_size)
        out += [f"    optimizer.param_groups[0]['lr'] = lr * {fmt_number(cfg.gamma)} ** ({decay})  # "
                + s("code.script.decay", schedule=cfg.schedule)]
    out.append("    order = shuffler.permutation(len(targets))" if cfg.shuffle else "    order = np.arange(len(targets))")
    # the CLI's line (cli._diverged_line), word for word; tests/test_export.py compares the two
    said = f'            print(f"diverged at epoch {{epoch + 1}} (lr {fmt_number(cfg.lr)}): {{why}}'
    out += ["    for start in range(0, len(order), batch_size):",
            "        batch = torch.as_tensor(order[start:start + batch_size])",
            "        prediction = model(inputs[batch])", "        loss = criterion(prediction, targets[batch])",
            "        optimizer.zero_grad()", "        loss.backward()", "        optimizer.step()",
            "    mse = mean_loss()",
            "    if not mse <= limit:  # " + s("code.script.diverged"),
            "        diverged_epoch = epoch + 1",
            "        if epoch == 0:",
            said + ' in its very first epoch. "',
            "                  \"No epoch ended with a finite loss; the last finite one is the start's \"",
            '                  f"(epoch 0, before any step): {fmt(last_mse)}, the mean over the training samples")',
            "        else:",
            said + '. The last finite loss was at epoch {epoch}: "',
            "                  f\"{fmt(last_loss)} (its last sample's, as the tutorial prints; the mean over the training \"",
            '                  f"samples: {fmt(last_mse)})")',
            "        break",
            "    last_w, last_loss, last_mse = model.w.detach().clone(), loss.item(), mse",
            "    if (epoch + 1) % 10 == 0:",
            "        print(f'Epoch [{epoch + 1}/{epochs}], Loss: {loss.item():.4f}')",
            "if diverged_epoch is None:",
            f"    print({s('code.script.done')!r})",
            "# " + s("code.script.result"),
            "result = {'weights': (last_w.numpy() / scale).tolist(), 'diverged_epoch': diverged_epoch}  # "
            + s("code.script.raw_units"),
            "print(json.dumps(result, allow_nan=False))",
            "if diverged_epoch is not None:",
            f"    sys.exit({EXIT_DIVERGED})  # " + s("code.script.exit", status=EXIT_DIVERGED),
            ""]
    return "\n".join(out)
