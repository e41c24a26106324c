"""Hypothesis strategies for the whole settings space, shared by the generated tests of every door.

`configs()` draws any valid RunConfig: weights 1..1000, samples 1..10^5, every optimizer, schedule, batch size,
feature range, noise, split, standardisation, lr from 1e-30 to 1e3 (one or a list). `max_cells` bounds
samples x weights and `max_epochs` the epochs, so that tests which train stay fast.
"""
from hypothesis import strategies as st

from linviz import RunConfig
from linviz.fields import FIELDS, OPTIMIZERS, SCHEDULES

WEIGHT = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def log_uniform_lr() -> st.SearchStrategy:
    """lr spread evenly over its 33 decades (plain floats() would crowd near 1e3)."""
    return st.builds(lambda e, m: m * 10.0 ** e, st.integers(-30, 2), st.floats(1.0, 9.99))


@st.composite
def configs(draw, max_cells: int = 4000, max_epochs: int = 3, max_weights: int = 1000,
            sweeps: bool = True) -> RunConfig:
    d = draw(st.one_of(st.integers(1, 8), st.integers(1, max_weights)))
    weights = tuple(draw(st.lists(st.one_of(st.integers(-20, 20).map(float), WEIGHT), min_size=d, max_size=d)))
    n = draw(st.integers(1, max(1, min(100_000, max_cells // d))))
    fraction = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.99)))
    n_test = max(1, round(n * fraction)) if fraction > 0 else 0
    if n - n_test < 1:
        fraction, n_test = 0.0, 0
    lo = draw(st.integers(-1_000_000, 999_999) | st.integers(-5, 100))
    hi = draw(st.integers(lo + 1, min(1_000_000, lo + draw(st.sampled_from([1, 2, 10, 100, 10_000])))))
    one = log_uniform_lr()
    lr = draw(st.one_of(one, st.lists(one, min_size=1, max_size=4).map(tuple))) if sweeps else draw(one)
    return RunConfig(
        true_weights=weights, n_samples=n, lr=lr, epochs=draw(st.integers(1, max_epochs)),
        batch_size=draw(st.integers(1, n - n_test)), seed=draw(st.integers(0, 2**32 - 1)),
        device=draw(st.sampled_from(["auto", "cpu"])), optimizer=draw(st.sampled_from(OPTIMIZERS)),
        momentum=draw(st.floats(0.0, 0.9999)), schedule=draw(st.sampled_from(SCHEDULES)),
        step_size=draw(st.integers(1, 50)), gamma=draw(st.floats(1e-3, 1.0)), shuffle=draw(st.booleans()),
        noise_std=draw(st.sampled_from([0.0, 0.0, 0.1, 10.0, 1e6])), test_fraction=fraction,
        standardize=draw(st.booleans()), feature_min=lo, feature_max=hi)


KEYS = [f.key for f in FIELDS]
GARBAGE = st.one_of(
    st.text(max_size=30), st.sampled_from(["", " ", "-1", "0", "1e400", "nan", "inf", "²", "٣", "１０", "1,2,,3",
                                           "[1e-5]", "[]", "true", "maybe", "9" * 5000, "<b>x</b>",
                                           "![x](http://example.invalid/x.png)", "[a](javascript:alert(1))"]),
    st.integers(-10**6, 10**12).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr))


def query_texts() -> st.SearchStrategy:
    """Any dict of URL/CLI-style text values: known keys mostly, some unknown; values valid or garbage."""
    key = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12))
    return st.dictionaries(key, GARBAGE, max_size=6)
