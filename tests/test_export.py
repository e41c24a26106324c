"""The exported standalone script reproduces the run: run it in a subprocess, compare final weights to 1e-5."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linviz import RunConfig, train
from linviz.export import standalone_script


@pytest.mark.parametrize("cfg", [
    RunConfig(),
    RunConfig(true_weights=(2, 3, 4, 7, 11, 5, 13), lr=1.5e-5, epochs=200, seed=3),
    RunConfig(n_samples=30, batch_size=4, shuffle=True, optimizer="momentum", momentum=0.5, lr=2e-6, epochs=60,
              schedule="step", step_size=20, gamma=0.5, seed=5),
    RunConfig(n_samples=40, noise_std=3.0, test_fraction=0.25, standardize=True, lr=0.05, epochs=40,
              schedule="exp", step_size=10, gamma=0.5),
    RunConfig(optimizer="adam", lr=0.05, epochs=80, feature_min=-5, feature_max=5),
], ids=["tutorial", "seven", "momentum-shuffle-step", "noise-split-standardised", "adam"])
def test_exported_script_reproduces_the_run(cfg, tmp_path):
    script = tmp_path / "run.py"
    script.write_text(standalone_script(cfg))
    out = subprocess.run([sys.executable, str(script)], check=False, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "import linviz" not in script.read_text() and "training done" in out.stdout
    theirs = np.array(json.loads(out.stdout.strip().splitlines()[-1])["weights"])
    ours = list(train(cfg))[-1].weights
    assert np.abs(theirs - ours).max() <= 1e-5 * np.abs(ours).max()


def test_the_tutorial_export_reads_like_the_tutorial():
    text = standalone_script(RunConfig())
    for line in ["criterion = nn.MSELoss()", "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
                 "optimizer.zero_grad()", "loss.backward()", "optimizer.step()"]:
        assert line in text
    assert "shuffler" not in text and "scale = X.std" not in text  # settings not in use are not written out
