"""A server shared by a class: one student's clicks never break another's run (issue 24).

The race it guards against: on a fresh server, student B trains while student A opens the Data tab for the first
time. A's st.dataframe imported pandas lazily in A's script thread while Plotly's validators in B's thread found
the half-imported module (`AttributeError: partially initialized module 'pandas'`): B's run froze, its status
still saying Running. linviz_app/preload.py now imports all of that once per process, before any page runs.
"""
import re

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
            b.locator("[data-testid=stAlert]").filter(has_text="· stopped ·").wait_for(timeout=10_000)
            assert epoch_on_screen(b) >= later
        finally:
            ctx_a.close()
            ctx_b.close()
