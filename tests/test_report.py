import csv
import io
import json

import numpy as np

from linviz import RunConfig, from_query, train
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
    assert len(v["epoch"]) <= 100 and v["epoch"][0] == 0 and v["epoch"][-1] == 3000
    assert np.all(np.diff(v["epoch"]) > 0)
    np.testing.assert_array_equal(v["weights"][-1], h.last.weights)


def test_csv_has_every_epoch_and_the_exact_weights():
    cfg = RunConfig(epochs=20, n_samples=20, test_fraction=0.2)
    states = list(train(cfg))
    rows = list(csv.DictReader(io.StringIO(history_csv(run(cfg)))))
    assert [int(r["epoch"]) for r in rows] == list(range(21))
    assert rows[0]["last_loss"] == "" and float(rows[5]["last_loss"]) == states[5].last_loss
    assert [float(rows[-1][f"w{i}"]) for i in range(1, 5)] == list(states[-1].weights)
    assert float(rows[-1]["test_loss"]) == states[-1].test_loss


def test_json_holds_settings_that_rebuild_the_config_and_the_result():
    cfg = RunConfig(lr=3e-5, epochs=40, seed=3)
    h = run(cfg)
    doc = json.loads(result_json(cfg, h.last))
    assert from_query(doc["settings"]) == cfg
    assert doc["result"]["epoch"] == 40 and doc["result"]["kind"] == "converged"
    assert doc["result"]["weights"] == list(h.last.weights)


def test_outcomes_in_words():
    cfg = RunConfig(lr=1e-3)
    last = list(train(cfg))[-1]
    kind, text = outcome(cfg, last)
    assert kind == "diverged" and "Diverged at epoch 1 with lr 0.001" in text and "smaller learning rate" in text
    ok = RunConfig(epochs=100)
    assert outcome(ok, list(train(ok))[-1])[0] == "converged"
    short = RunConfig(epochs=5)
    assert outcome(short, list(train(short))[-1])[0] == "not-converged"
    assert "Epoch 5 of 5" in status_line(short, list(train(short))[-1])
