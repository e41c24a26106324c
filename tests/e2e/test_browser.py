"""The dashboard in a real Chromium: train, stop, change lr mid-run, download. Screenshots land in
artifacts/screenshots/ for a person to look at."""
import csv
import io
import re
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from browser_helpers import CHART, shot, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
STATUS = re.compile(r"Epoch ([\d,]+) of ([\d,]+)")


def epoch_on_screen(page) -> int:
    text = page.locator("[data-testid=stAlert]").filter(has_text=STATUS).first.inner_text()
    return int(STATUS.search(text).group(1).replace(",", ""))


def wait_for_epoch(page, at_least: int, timeout_s: float = 30) -> int:
    for _ in range(int(timeout_s * 10)):
        box = page.locator("[data-testid=stAlert]").filter(has_text=STATUS)
        if box.count():  # between redraws the status box may be absent for a moment
            e = epoch_on_screen(page)
            if e >= at_least:
                return e
        page.wait_for_timeout(100)
    raise AssertionError(f"epoch {at_least} never showed up")


def click(page, key: str, tries: int = 3) -> None:
    """Click a button as a student would: on a page still settling (a chart above it loading on a loaded
    machine), a click that does not land in 15 s is tried again once the page is idle."""
    for attempt in range(tries):
        try:
            page.locator(f".st-key-{key} button").first.click(timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            wait_idle(page)


def set_text(page, key: str, value: str) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(value)
    box.press("Enter")


def test_train_and_see_both_charts(open_page):
    page = open_page()
    shot(page, "01-first-load")
    page.get_by_text("Its weights start random").wait_for()
    click(page, "btn_train")
    wait_for_epoch(page, 30)
    shot(page, "02-training")
    page.get_by_text("Epoch 100 of 100").wait_for(timeout=30_000)
    wait_idle(page)
    charts = page.locator(CHART)
    expect(charts.filter(has_text="w4 → 7")).to_have_count(1)  # the weights chart
    expect(charts.filter(has_text="training loss (mean)")).to_have_count(1)  # the loss chart
    expect(page.get_by_text(re.compile(r"Converged: max \|w - w\*\| = "))).to_have_count(1)
    shot(page, "03-done")


def test_stop_mid_run_keeps_the_partial_run(open_page):
    page = open_page("?epochs=2000")
    click(page, "btn_train")
    wait_for_epoch(page, 15)
    click(page, "btn_stop")
    page.locator("[data-testid=stAlert]").filter(has_text="· Stopped:").wait_for(timeout=10_000)
    wait_idle(page)
    stopped_at = epoch_on_screen(page)
    assert 15 <= stopped_at < 2000
    page.wait_for_timeout(1000)
    assert epoch_on_screen(page) == stopped_at  # it really stopped
    charts = page.locator(CHART)  # and it kept what it had
    expect(charts.filter(has_text="training loss (mean)")).to_have_count(1)
    expect(charts.filter(has_text="w4 → 7")).to_have_count(1)
    shot(page, "04-stopped")


def test_changing_lr_mid_run_continues_the_run(open_page):
    page = open_page("?epochs=400")
    click(page, "btn_train")
    before = wait_for_epoch(page, 20)
    set_text(page, "cfg_lr", "3e-5")
    page.get_by_text(re.compile(r"Learning rate changed to 3e-5 from epoch \d+ on")).wait_for(timeout=10_000)
    after = wait_for_epoch(page, before + 20)
    assert after > before  # the same run carried on: the epoch count did not restart
    assert "lr=3e-5" in page.url
    shot(page, "05-lr-changed")
    click(page, "btn_stop")


def test_download_the_history_as_csv(open_page):
    page = open_page("?epochs=60")
    click(page, "btn_train")
    page.get_by_text("Epoch 60 of 60").wait_for(timeout=30_000)
    wait_idle(page)
    with page.expect_download() as info:
        page.locator(".st-key-dl_csv button").click()
    download = info.value
    assert download.suggested_filename == "linviz-history.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [int(r["epoch"]) for r in rows] == list(range(61))
    final = np.array([float(rows[-1][f"w{i}"]) for i in range(1, 5)])
    assert np.abs(final - [2, 3, 4, 7]).max() < 0.5
    assert float(rows[-1]["loss"]) < float(rows[0]["loss"]) / 1000


def test_a_students_tour_of_the_learning_rate_tools(open_page):
    page = open_page()
    expect(page.get_by_text("the divergence threshold")).to_be_visible()  # the hint beside the lr field
    click(page, "btn_fastest_lr")
    wait_idle(page)
    expect(page.locator(".st-key-cfg_lr input")).not_to_have_value("1e-5")
    shot(page, "06-fastest-lr")
    page.get_by_role("tab", name="Learning-rate ladder").click()
    click(page, "btn_ladder")
    wait_idle(page)
    charts = page.locator(CHART)
    expect(charts.filter(has_text="Ladder: loss per epoch")).to_have_count(1)
    expect(charts.filter(has_text="diverges above")).to_have_count(1)
    shot(page, "07-ladder")
    page.get_by_role("tab", name="Training").click()
    click(page, "btn_train")
    page.get_by_text(re.compile(r"Epoch 100 of 100")).first.wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("tab", name="Loss landscape").click()
    expect(charts.filter(has_text="Loss over w1 and w2")).to_have_count(1)
    expect(charts.filter(has_text="training path")).to_have_count(1)
    shot(page, "08-landscape")
    page.get_by_role("tab", name="Show me the code").click()
    expect(page.get_by_text("optimizer.step()")).to_be_visible()
    shot(page, "09-code")


@pytest.mark.parametrize("text", ["[click me](http://example.invalid)", "see http://example.invalid now",
                                  "www.example.invalid", "me@example.invalid"])
def test_echoed_input_never_becomes_a_link(open_page, text):
    """GitHub-flavoured Markdown links bare URLs even when each character is escaped: the page breaks them."""
    page = open_page("?" + urlencode({"weights": text}))
    warning = page.locator("[data-testid=stAlert]").filter(has_text="True weights (weights)")
    expect(warning).to_have_count(1)
    assert "example" in warning.inner_text()  # the value is echoed, as text
    expect(page.locator("[data-testid=stAlert] a")).to_have_count(0)
