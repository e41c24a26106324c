"""What this machine can run is asked once, where a run starts (checks.check_machine), never by a RunConfig.

A CPU-only machine with 8 GiB free is simulated, so these hold on any machine, a GPU machine included.
"""
import pytest

from linviz import ConfigError, RunConfig, Trainer, available_devices, from_query, parse_config, parse_lenient, to_query
from linviz.checks import check_machine, memory_limit, memory_needed
from linviz.cli import main
from linviz.memory import Ledger

HUGE = {"n_samples": 10_000_000, "true_weights": (1.0,) * 1000}  # ~300 GiB of data


@pytest.fixture
def cpu_only(monkeypatch):
    """This machine, as far as linviz can tell, has only a CPU and 8 GiB of free memory."""
    monkeypatch.setattr("linviz.checks.available_devices", lambda: ["cpu"])
    monkeypatch.setattr("linviz.checks.available_memory", lambda: 8 * 2**30)
    monkeypatch.setattr("linviz.checks.ledger", quiet_ledger)


def quiet_ledger():
    """A process that holds nothing yet, with a budget larger than the machine (the machine's half decides)."""
    book = Ledger(budget=2**50)
    book.in_use = lambda: 0
    return book


def test_what_this_process_holds_counts_as_available_to_its_own_settings(monkeypatch):
    """A student's own run takes memory from the machine: the sidebar must not then refuse the settings it runs
    (seen in benchmarks/bench_shared.py: a 10M x 30 run's own page said its setting no longer fit)."""
    book = Ledger(budget=2**50)
    book.in_use = lambda: 6 * 2**30  # this process holds 6 GiB for sessions
    monkeypatch.setattr("linviz.checks.ledger", lambda: book)
    monkeypatch.setattr("linviz.checks.available_memory", lambda: 2 * 2**30)  # the machine has 2 GiB left
    assert memory_limit() == 4 * 2**30  # half of 2 + 6
    book.budget = 3 * 2**30
    assert memory_limit() == 3 * 2**30  # and never more than the budget


def test_a_cuda_config_is_a_plain_value_on_a_machine_without_cuda(cpu_only):
    cfg = RunConfig(device="cuda")
    assert from_query(to_query(cfg)) == cfg
    assert parse_config({"device": "cuda"}) == cfg


def test_a_config_too_big_for_memory_is_a_plain_value(cpu_only):
    cfg = RunConfig(**HUGE)
    assert from_query(to_query(cfg)) == cfg


def test_a_missing_device_is_refused_naming_the_field_and_the_reason(cpu_only):
    with pytest.raises(ConfigError) as info:
        check_machine(RunConfig(device="cuda"))
    assert info.value.field == "device"
    assert info.value.message.startswith("Device (device): got 'cuda'. Not available here: no CUDA GPU here")
    assert "Available: auto, cpu." in info.value.message


@pytest.mark.parametrize("device", ["cuda", "mps"])
def test_a_device_this_machine_really_lacks_is_refused(device):
    if device in available_devices():
        pytest.skip(f"this machine has {device}")
    with pytest.raises(ConfigError, match="Not available here"):
        check_machine(RunConfig(device=device))


def test_a_setting_too_big_for_memory_is_refused_naming_samples_and_weights(cpu_only):
    with pytest.raises(ConfigError) as info:
        check_machine(RunConfig(**HUGE))
    e = info.value
    assert e.field == "n_samples"
    assert e.fields == ("n_samples", "true_weights")
    assert e.message.startswith("Samples (samples): got '10000000'.")
    assert "10,000,000 samples x 1,000 weights (True weights (weights))" in e.message
    assert "one setting may use at most 4.0 GiB of this server's memory" in e.message  # half of the 8 GiB free


def test_what_fits_passes(cpu_only):
    check_machine(RunConfig())
    check_machine(RunConfig(device="cpu", n_samples=100_000, true_weights=(1.0,) * 100))


def test_the_memory_estimate_grows_with_samples_weights_and_runs():
    base = RunConfig(n_samples=10_000)
    for bigger in (base.replace(n_samples=20_000), base.replace(true_weights=(1.0,) * 8),
                   base.replace(lr=(1e-5, 2e-5))):
        assert memory_needed(bigger) > memory_needed(base)


def test_a_link_made_on_a_gpu_machine_opens_with_the_device_set_back(cpu_only):
    cfg, messages = parse_lenient({"device": "cuda", "epochs": "5"}, check=check_machine)
    assert cfg == RunConfig(epochs=5)
    assert messages["device"].endswith("So Device keeps 'auto'.")


def test_the_cli_exits_2_with_the_device_message(cpu_only, capsys):
    assert main(["--device", "cuda", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("linviz: Device (device): got 'cuda'. Not available here")
    assert err.count("\n") == 1


def test_the_cli_refuses_before_the_analysis_too(cpu_only, capsys):
    assert main(["analyze", "--samples", "10000000", "--weights", ",".join(["1"] * 1000)]) == 2
    assert "GiB" in capsys.readouterr().err


def test_a_trainer_refuses_what_this_machine_cannot_run(cpu_only):
    with pytest.raises(ConfigError, match="Device"):
        Trainer(RunConfig(device="cuda"))


def test_a_trainer_asks_the_machine_once_per_run(monkeypatch):
    asked = []
    monkeypatch.setattr("linviz.engine.check_machine", asked.append)
    t = Trainer(RunConfig(epochs=3))
    t.step()
    t.set_lr(2e-5)
    t.step()
    assert asked == [RunConfig(epochs=3)]
