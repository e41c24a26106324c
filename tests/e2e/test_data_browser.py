"""The Data tab and the landscape's zig-zag in a real Chromium: the parity chart updates during a run and its
points walk onto the diagonal. Screenshots: issue10-data (mid-run), issue10-data-end, issue10-zigzag."""
import re

import pytest
from browser_helpers import CHART, shot, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PARITY = re.compile(r"Prediction vs target, epoch ([\d,]+)")
GAP_JS = """el => {  // mean |prediction - target| of the chart's sample points, as plotly.js holds them
  const t = el._fullData.find(d => d.name === 'prediction');
  let s = 0; for (let i = 0; i < t.x.length; i++) s += Math.abs(t.y[i] - t.x[i]);
  return s / t.x.length;
}"""


def parity_now(page) -> tuple[int, float] | None:
    """(epoch in the parity chart's title, mean distance of its points from the diagonal), or None while the
    chart is not drawn (plotly.js still loading, or the page rerunning)."""
    chart = page.locator("[class*=st-key-live_data_parity] .js-plotly-plot")
    try:
        if not chart.count():
            return None
        title = PARITY.search(chart.first.locator(".gtitle").text_content(timeout=500))
        return int(title.group(1).replace(",", "")), chart.first.evaluate(GAP_JS)
    except Exception:  # noqa: BLE001 - the page reran and replaced the element while it was being read
        return None


def train(page) -> None:
    page.locator(".st-key-btn_train button").first.click()
    page.mouse.move(5, 995)  # away from the button: its tooltip would cover the page in the screenshots


def test_the_parity_chart_follows_the_run_and_its_points_reach_the_diagonal(open_page):
    """A few Steps in, the chart shows that epoch with its points nearer the diagonal; during the run it follows
    the epochs in place; at the end its points are on the diagonal."""
    page = open_page("?epochs=300&lr=4e-5")
    page.get_by_role("tab", name="Data").click()
    wait_idle(page)
    page.locator("[class*=st-key-live_data_parity] .gtitle").wait_for()  # plotly.js loads once, then draws
    start = parity_now(page)
    assert start is not None
    assert start[0] == 0
    for _ in range(3):  # Step: one epoch, then paused
        page.locator(".st-key-btn_step button").first.click()
        wait_idle(page)
    mid = None
    for _ in range(100):  # plotly.js draws the paused state once the page is idle
        mid = parity_now(page)
        if mid is not None and mid[0] == 3:
            break
        page.wait_for_timeout(100)
    assert mid is not None, "the parity chart was not drawn while paused"
    assert mid[0] == 3
    assert mid[1] < start[1]  # the points moved towards the diagonal
    shot(page, "issue10-data")
    page.locator(".st-key-btn_pause button").first.click()  # Resume
    seen = set()
    while not page.get_by_text("Epoch 300 of 300").count() and len(seen) < 400:  # the live run, bounded
        now = parity_now(page)
        seen.add(now[0] if now else None)
        page.wait_for_timeout(50)
    assert len({e for e in seen if e and 3 < e < 300}) >= 3, f"the chart followed the live run: {sorted(seen, key=str)}"
    page.get_by_text("Epoch 300 of 300").first.wait_for(timeout=120_000)
    wait_idle(page)
    end = parity_now(page)
    assert end[0] == 300
    assert end[1] < 0.01 * start[1]
    shot(page, "issue10-data-end")


def test_the_landscape_shows_every_step_when_asked(open_page):
    page = open_page("?epochs=20&lr=4e-5")
    page.get_by_role("tab", name="Loss landscape").click()
    wait_idle(page)
    page.locator(".st-key-land_steps label").click()
    wait_idle(page)
    train(page)
    page.get_by_text("Epoch 20 of 20").first.wait_for(timeout=60_000)
    wait_idle(page)
    chart = page.locator(CHART).filter(has_text="Loss over w1 and w2")
    expect(chart.filter(has_text="training path: every step")).to_have_count(1)
    expect(page.get_by_text("every optimiser step (one per sample) of epochs 1 to 20")).to_be_visible()
    chart.scroll_into_view_if_needed()
    shot(page, "issue10-zigzag")
