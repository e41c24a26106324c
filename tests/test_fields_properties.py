"""Generated tests for the field table and its text doors: any valid config round-trips through text, any
text gives a RunConfig or one ConfigError naming the field (never another exception), at a readable length."""
from hypothesis import example, given
from strategies import configs, query_texts

from linviz import ConfigError, RunConfig, from_query, parse_config, parse_lenient, to_query
from linviz.fields import BY_ATTR, BY_KEY


@given(configs(max_cells=10**6))
def test_every_valid_config_round_trips_through_a_link(cfg):
    assert from_query(to_query(cfg)) == cfg
    assert from_query(to_query(cfg, full=True)) == cfg


@given(configs(max_cells=10**6))
def test_every_valid_config_opens_exactly_as_written_leniently(cfg):
    assert parse_lenient(to_query(cfg)) == (cfg, {})


@given(query_texts())
@example({"samples": "20", "batch_size": "20"})  # once refused: each field was checked against the defaults
@example({"feature_min": "-1", "feature_max": "1"})
@example({"samples": "100", "test_fraction": "0.95"})
@example({"epochs": "²"})
@example({"seed": "9" * 5000})
@example({"weights": "x" * 80_000})
def test_any_text_gives_a_config_or_a_named_error(values):
    try:
        cfg = parse_config(values)
    except ConfigError as e:
        assert e.errors
        assert all(len(m) < 400 for m in e.errors.values()), e.errors
        for attr, message in e.errors.items():
            field = BY_ATTR.get(attr)
            assert message.startswith(field.name if field else "Unknown setting"), message
        return
    assert isinstance(cfg, RunConfig)
    for key, text in values.items():  # what was written is what was read
        assert getattr(cfg, BY_KEY[key].attr) == BY_KEY[key].read(text)


@given(query_texts())
def test_a_lenient_link_always_gives_a_valid_config_and_names_each_change(values):
    cfg, messages = parse_lenient(values)
    assert isinstance(cfg, RunConfig)
    for key, text in values.items():
        field = BY_KEY.get(key)
        if field is None:
            assert messages, "an unknown key is named"
        elif getattr(cfg, field.attr) != _read_or_none(field, text):
            assert field.attr in messages, f"{key}={text!r} was changed without a word"


def _read_or_none(field, text):
    try:
        return field.read(text)
    except ConfigError:
        return None
