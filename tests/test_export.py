"""The exported standalone script reproduces the run: run it in a subprocess, compare final weights to 1e-5."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linviz import RunConfig, train
from linviz.export import standalone_script

CONFIGS = {
    "tutorial": RunConfig(),
    "seven": RunConfig(true_weights=(2, 3, 4, 7, 11, 5, 13), lr=1.5e-5, epochs=200, seed=3),
    "momentum-shuffle-step": RunConfig(n_samples=30, batch_size=4, shuffle=True, optimizer="momentum", momentum=0.5,
                                       lr=2e-6, epochs=60, schedule="step", step_size=20, gamma=0.5, seed=5),
    "noise-split-standardised": RunConfig(n_samples=40, noise_std=3.0, test_fraction=0.25, standardize=True,
                                          lr=0.05, epochs=40, schedule="exp", step_size=10, gamma=0.5),
    "adam": RunConfig(optimizer="adam", lr=0.05, epochs=80, feature_min=-5, feature_max=5),
}


@pytest.fixture(scope="module")
def exported_runs(tmp_path_factory):
    """Every exported script, each run as its own `python run.py` process; all started at once (most of
    each process's time is importing torch, so they overlap well)."""
    procs = {}
    for name, cfg in CONFIGS.items():
        script = tmp_path_factory.mktemp(name) / "run.py"
        script.write_text(standalone_script(cfg))
        procs[name] = (script, subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                                stderr=subprocess.PIPE, text=True))
    yield {name: (script, proc.communicate(timeout=300), proc.returncode) for name, (script, proc) in procs.items()}


@pytest.mark.parametrize("name", CONFIGS)
def test_exported_script_reproduces_the_run(name, exported_runs):
    script, (stdout, stderr), returncode = exported_runs[name]
    assert returncode == 0, stderr
    assert "import linviz" not in script.read_text()
    assert "training done" in stdout
    theirs = np.array(json.loads(stdout.strip().splitlines()[-1])["weights"])
    ours = list(train(CONFIGS[name]))[-1].run(0).weights
    assert np.abs(theirs - ours).max() <= 1e-5 * np.abs(ours).max()


def test_the_tutorial_export_reads_like_the_tutorial():
    text = standalone_script(RunConfig())
    for line in ["criterion = nn.MSELoss()", "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
                 "optimizer.zero_grad()", "loss.backward()", "optimizer.step()"]:
        assert line in text
    assert "shuffler" not in text  # settings not in use are not written out
    assert "scale = X.std" not in text
