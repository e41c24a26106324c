import os
import sys
from pathlib import Path

import torch
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
torch.set_num_threads(1)  # as the server and CLI do: one thread is faster for these tiny tensors

# Generated tests: CI runs a fixed, bounded, deterministic profile (same examples every run, no deadline:
# CI is a busy 2-core machine). `python -m pytest --hypothesis-profile=deep` explores far more.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("ci", max_examples=25, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("deep", max_examples=400, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
