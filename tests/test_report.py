import csv
import io
import json

import numpy as np
from pytest import approx

from linviz import RunConfig, from_query, make_dataset, train
from linviz.fit import least_squares
from linviz.history import History
from linviz.report import history_csv, outcome, result_json, status_line


def run(cfg, capacity=2000):
    h = History(cfg.n_weights, capacity)
    for s in train(cfg):
        h.append(s)
    return h


def test_history_stays_bounded_and_keeps_the_first_and_latest_epoch():
    h = run(RunConfig(epochs=3000), capacity=100)
    v = h.view()
    assert len(v["epoch"]) <= 100
    assert v["epoch"][0] == 0
    assert v["epoch"][-1] == 3000
    assert np.all(np.diff(v["epoch"]) > 0)
    np.testing.assert_array_equal(v["weights"][-1], h.last.run(0).weights)


def test_csv_has_every_epoch_and_the_exact_weights():
    cfg = RunConfig(epochs=20, n_samples=20, test_fraction=0.2)
    states = [s.run(0) for s in train(cfg)]
    rows = list(csv.DictReader(io.StringIO(history_csv(run(cfg)))))
    assert [int(r["epoch"]) for r in rows] == list(range(21))
    assert rows[0]["last_loss"] == ""
    assert float(rows[5]["last_loss"]) == states[5].last_loss
    assert [float(rows[-1][f"w{i}"]) for i in range(1, 5)] == list(states[-1].weights)
    assert float(rows[-1]["test_loss"]) == states[-1].test_loss


def test_json_holds_settings_that_rebuild_the_config_and_the_result():
    cfg = RunConfig(lr=3e-5, epochs=40, seed=3)
    h = run(cfg)
    doc = json.loads(result_json(cfg, h.last))
    assert from_query(doc["settings"]) == cfg
    result = doc["result"]
    assert result["epoch"] == 40
    assert result["kind"] == "converged"
    assert result["weights"] == list(h.last.run(0).weights)
    assert result["diverged"] is False
    assert result["diverged_epoch"] is None


def test_json_of_a_diverged_run_names_its_epoch():
    cfg = RunConfig(lr=1e-3)
    result = json.loads(result_json(cfg, list(train(cfg))[-1]))["result"]
    assert result["diverged"] is True
    assert result["diverged_epoch"] == 1
    assert result["kind"] == "diverged"


def test_outcomes_in_words():
    cfg = RunConfig(lr=1e-3)
    last = list(train(cfg))[-1]
    kind, text = outcome(cfg, last)
    assert kind == "diverged"
    assert "Diverged at epoch 1 with lr 1e-3" in text
    assert "smaller learning rate" in text
    ok = RunConfig(epochs=100)
    assert outcome(ok, list(train(ok))[-1])[0] == "converged"
    short = RunConfig(epochs=5)
    assert outcome(short, list(train(short))[-1])[0] == "not-converged"
    assert "Epoch 5 of 5" in status_line(short, list(train(short))[-1])


def test_outcome_judges_the_run_it_is_asked_about():
    cfg = RunConfig(lr=(1e-5, 1e-3))
    last = list(train(cfg))[-1]
    assert outcome(cfg, last, r=0)[0] == "converged"
    assert outcome(cfg, last, r=1)[0] == "diverged"


def test_with_label_noise_converging_to_the_least_squares_fit_counts_as_converged():
    cfg = RunConfig(n_samples=40, noise_std=20.0, standardize=True, lr=0.05, epochs=300, batch_size=40)
    data = make_dataset(cfg)
    best = least_squares(data)
    X = data.X.astype(np.float64) / 1.0
    resid = X @ (best * data.scale) - data.y  # normal equations: residual orthogonal to the features
    assert np.abs(X.T @ resid).max() < 1e-6 * np.abs(X.T @ data.y).max()  # oracle check of the solve itself
    last = list(train(cfg))[-1]
    kind, text = outcome(cfg, last, best=best)
    assert kind == "converged"
    assert "best fit of the noisy data" in text
    assert outcome(cfg, last)[0] == "not-converged"  # judged against the true weights alone, it is not


def test_json_and_status_line_of_a_diverged_run_name_the_epoch_whose_numbers_they_show():
    from oracle import first_blown_epoch, tutorial_epochs

    from linviz.model import initial_weights
    from linviz.report import last_finite_epoch
    for lr in (1e-4, 1e-2):
        cfg = RunConfig(lr=lr)
        data = make_dataset(cfg)
        ref = tutorial_epochs(data.X, data.y, initial_weights(4, cfg.seed).numpy(), lr, 10)
        de = first_blown_epoch(ref)
        last = list(train(cfg))[-1]
        result = json.loads(result_json(cfg, last))["result"]
        assert (result["epoch"], result["diverged_epoch"], result["last_finite_epoch"]) == (de, de, de - 1)
        assert last_finite_epoch(last.run(0)) == de - 1
        np.testing.assert_allclose(result["weights"], ref[de - 1][0], rtol=1e-9)
        assert result["loss"] == approx(ref[de - 1][2])
        assert result["last_loss"] == (None if de == 1 else approx(ref[de - 1][1]))  # the start has no step's loss
        assert status_line(cfg, last) == f"Epoch {de - 1:,} of 100 · loss {ref[de - 1][2]:.4g}"
