"""A server shared by a class: one student's clicks never break another's run (issue 24).

The race it guards against: on a fresh server, student B trains while student A opens the Data tab for the first
time. A's st.dataframe imported pandas lazily in A's script thread while Plotly's validators in B's thread found
the half-imported module (`AttributeError: partially initialized module 'pandas'`): B's run froze, its status
still saying Running. linviz_app/preload.py now imports all of that once per process, before any page runs.
"""
import re
import time

import pytest
from browser_helpers import shot, wait_idle
from conftest import dashboard_server
from test_browser import STATUS, click, epoch_on_screen, wait_for_epoch

pytestmark = pytest.mark.e2e
TRIALS = 3  # a fresh server each: the race is only open while the first imports happen
TABS = ("Data", "Loss landscape", "Learning-rate ladder", "Compare runs", "Show me the code", "Training")


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.locator("[data-testid=stException]").all()]


@pytest.mark.parametrize("trial", range(TRIALS))
def test_opening_every_tab_never_breaks_another_students_run(chromium, trial):
    with dashboard_server(f"streamlit-race-{trial}.log") as (url, _):
        ctx_b = chromium.new_context(viewport={"width": 1280, "height": 900})
        ctx_a = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            b = ctx_b.new_page()
            b.goto(url + "/?epochs=1000000&weights=5,6")  # B trains first, on a server nobody used yet
            wait_idle(b)
            click(b, "btn_train")
            start = wait_for_epoch(b, 5)
            a = ctx_a.new_page()
            a.goto(url + "/")
            wait_idle(a)
            for name in TABS:  # A opens every tab while B's run is drawing
                a.get_by_role("tab", name=re.compile(name)).first.click()
                wait_idle(a)
                assert not exceptions(a), f"student A, tab {name}: {exceptions(a)}"
            later = wait_for_epoch(b, start + 20)  # B's run goes on ...
            assert not exceptions(b), f"student B: {exceptions(b)}"  # ... with no exception on its page
            assert "Running" in b.locator("[data-testid=stAlert]").filter(has_text=STATUS).first.inner_text()
            assert later > start
            shot(b, f"race-{trial}-b-still-training")
            click(b, "btn_stop")
            b.locator("[data-testid=stAlert]").filter(has_text="· Stopped:").wait_for(timeout=10_000)
            assert epoch_on_screen(b) >= later
        finally:
            ctx_a.close()
            ctx_b.close()


def test_stop_takes_effect_mid_epoch_on_a_million_sample_adam_run(open_page):
    """One epoch of Adam over 1M samples at batch 1 is a million steps (20-60 s here). Stop used to wait for the epoch
    to end (23-31 s measured); the epoch now trains in slices of a few ms, so Stop acts within a slice and the run
    stops in its first epoch, with the status saying so. The latency is printed (timings belong in benchmarks)."""
    page = open_page("?samples=1000000&optimizer=adam&batch_size=1&lr=1e-3&epochs=2")
    click(page, "btn_train")
    page.locator("[data-testid=stAlert]").filter(has_text="Running").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # well inside the first epoch
    t0 = time.monotonic()
    click(page, "btn_stop")
    page.locator("[data-testid=stAlert]").filter(has_text="· Stopped:").wait_for(timeout=20_000)
    latency = time.monotonic() - t0
    wait_idle(page)
    status = page.locator("[data-testid=stAlert]").filter(has_text=STATUS).first.inner_text()
    assert epoch_on_screen(page) == 0, status  # stopped inside the first epoch, not at its end
    assert not exceptions(page)
    print(f"Stop on a 1M-sample Adam run: the page said stopped {latency:.2f} s after the click")
    shot(page, "stop-1m-adam")
    page.wait_for_timeout(1500)
    assert epoch_on_screen(page) == 0  # and it really stopped
