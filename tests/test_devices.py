import numpy as np
import pytest
import torch

from linviz import RunConfig, Trainer, available_devices, resolve_device, train

has_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU; this machine has none")


def test_auto_picks_the_first_available_of_cuda_mps_cpu():
    devs = available_devices()
    assert devs[-1] == "cpu"
    assert devs == [d for d in ("cuda", "mps", "cpu") if d in devs]
    assert resolve_device("auto").type == devs[0]
    assert resolve_device("cpu") == torch.device("cpu")


def test_cpu_run_keeps_data_and_model_on_cpu_and_states_in_numpy():
    t = Trainer(RunConfig(device="cpu", epochs=2))
    assert t.X.device.type == "cpu"
    assert t.model.weight.device.type == "cpu"
    assert isinstance(t.step().weights, np.ndarray)


@has_cuda
def test_cuda_run_lives_on_the_gpu_and_matches_the_cpu_run():
    cfg = RunConfig(device="cuda", lr=(1e-5, 4e-5), epochs=100, true_weights=(2, 3, 4, 7, 11, 5, 13))
    t = Trainer(cfg)
    assert t.X.is_cuda
    assert t.y.is_cuda
    assert t.model.weight.is_cuda
    gpu = list(train(cfg))
    cpu = list(train(cfg.replace(device="cpu")))
    assert isinstance(gpu[-1].weights, np.ndarray)
    np.testing.assert_allclose(gpu[-1].weights, cpu[-1].weights, rtol=1e-6)


@has_cuda
def test_auto_uses_cuda_when_present():
    assert Trainer(RunConfig(epochs=1)).device.type == "cuda"
