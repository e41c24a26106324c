"""The epoch map against the oracle that multiplies an epoch's step matrices one by one
(tests/helpers_analysis.step_product), and against its first-order expansion for tiny lrs."""
import numpy as np
import pytest
from helpers_analysis import step_product

from linviz.epoch_map import EpochMap, FullBatchMap


@pytest.mark.parametrize("n, s, batch, momentum", [(10, 4, 1, None), (13, 4, 3, None), (7, 4, 4, None), (100, 4, 1, None),
                                                   (40, 6, 5, 0.9), (10, 4, 1, 0.9), (37, 3, 2, 0.5), (20, 20, 1, None)])
def test_epoch_map_matches_the_product_of_its_step_matrices(n, s, batch, momentum):
    """Chunks padded with empty batches once let momentum decay in them (37 samples, batch 2, momentum)."""
    Z = np.random.default_rng(n * s + batch).integers(-3, 10, size=(n, s)).astype(float)
    emap = EpochMap(Z, batch, momentum)
    top = 2.0 / np.linalg.eigvalsh(Z.T @ Z * 2 / n)[-1]
    lrs = top * np.geomspace(1e-6, 30, 13)
    log_rho, angle = emap.spectrum(lrs)
    for lr, got, ang in zip(lrs, log_rho, angle):
        want, want_angle = step_product(Z, batch, lr, momentum)
        assert got == pytest.approx(want, rel=1e-7, abs=1e-9), lr
        assert want_angle is None or abs(abs(ang) - abs(want_angle)) < 1e-6, lr


def test_epoch_map_keeps_1_minus_rho_for_tiny_lrs():
    """Near lr = 0 the map is I - lr S + O(lr^2): log rho = -lr s_min to full precision, not 0."""
    Z = np.random.default_rng(0).integers(1, 100, size=(10, 4)).astype(float)
    S = Z.T @ Z * 2.0
    s_min, s_max = np.linalg.eigvalsh(S)[[0, -1]]
    for lr in np.geomspace(1e-16, 1e-8, 5) / s_max:
        assert EpochMap(Z, 1).spectrum([lr])[0][0] == pytest.approx(-lr * s_min, rel=1e-4)


@pytest.mark.parametrize("momentum", [None, 0.5])
def test_full_batch_map_is_the_epoch_map_of_one_full_batch(momentum):
    """One step with all samples: the stand-in and the exact map are the same map."""
    Z = np.random.default_rng(1).integers(-3, 10, size=(12, 3)).astype(float)
    lam = np.linalg.eigvalsh(Z.T @ Z * 2 / len(Z))
    lrs = 2.0 / lam[-1] * np.geomspace(1e-3, 3, 9)
    exact, stand_in = EpochMap(Z, len(Z), momentum).spectrum(lrs), FullBatchMap(lam, 1, momentum).spectrum(lrs)
    np.testing.assert_allclose(stand_in[0], exact[0], rtol=1e-7, atol=1e-9)
