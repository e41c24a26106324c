"""Generated tests for the page (Streamlit's AppTest): any valid config, opened as a link, shows exactly its
settings, trains, stops and draws charts; any link, valid or not, opens without an exception and names what
it could not use."""
from urllib.parse import urlencode

from helpers_page import app, live_figures
from hypothesis import example, given, settings
from strategies import configs, query_texts
from streamlit.testing.v1 import AppTest

from linviz import RunConfig, parse_lenient, to_query

PAGE = settings(max_examples=max(6, settings.default.max_examples // 4))  # each example runs the page ~4 times


def no_exception(at: AppTest, what) -> None:
    assert not at.exception, f"{what}: {at.exception[0].message}"


@PAGE
@given(configs(max_cells=1500, max_epochs=3))
@example(RunConfig(n_samples=100))  # once a LinAlgError traceback instead of the page
@example(RunConfig(optimizer="momentum", momentum=0.9995))  # once silently trained with momentum 0
@example(RunConfig(n_samples=20, batch_size=20))  # once refused: checked against the default sample count
@example(RunConfig(lr=(1e-5, 2e-5, 4e-5), epochs=3))
@example(RunConfig(n_samples=2, true_weights=(2.0, 3.0, 4.0, 7.0), epochs=3))
def test_any_valid_link_opens_as_written_trains_stops_and_draws(cfg):
    link = to_query(cfg)
    at = app(link)
    no_exception(at, f"opening ?{urlencode(link)}")
    assert not any("not usable" in w.value for w in at.warning), " ".join(w.value for w in at.warning)
    assert dict(at.query_params) == link or not link  # the address bar keeps the link
    assert at.session_state["live"].cfg is None
    at.button(key="btn_step").click().run()  # one epoch, paused
    no_exception(at, "Step")
    live = at.session_state["live"]
    assert live.cfg == cfg, "the page trains exactly the settings of the link"
    assert live.state.epoch == 1
    assert live.status in ("paused", "done")
    if live.status == "paused":  # a one-epoch run is already done
        at.button(key="btn_stop").click().run()
        no_exception(at, "Stop")
        assert live.status == "stopped"
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_train").click().run()
    no_exception(at, "Train")
    assert live.status == "done"
    assert live.state.epoch in range(1, cfg.epochs + 1)
    assert len(live_figures(at)) == 2, "both live charts are drawn"


@PAGE
@given(query_texts())
@example({"samples": "96"})
@example({"optimizer": "momentum", "momentum": "0.9995"})
@example({"samples": "4600000"})
@example({"weights": "[x](http://example.invalid)", "lr": "**bold**"})
def test_any_link_opens_without_an_exception_and_names_what_it_changed(query):
    at = app(query)
    no_exception(at, f"opening ?{urlencode(query)}")
    _, messages = parse_lenient(query)
    warnings = " ".join(w.value for w in at.warning)
    for attr in messages:
        assert "not usable" in warnings, f"{attr} was changed without a word"
    assert all("](" not in w.value for w in at.warning), "user text stays text"
    assert not at.button(key="btn_train").disabled  # what the link could not give, the defaults stand in for
