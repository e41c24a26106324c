"""Lecture controls in a real Chromium: each keyboard shortcut does what its button does, typing the same letters
into a text box does not, and the presenter link opens the page with the sidebar folded and larger text."""
import re

import pytest
from browser_helpers import shot, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
INTRO = "Its weights start random"


def status(page):
    """The status line above the tabs (the intro before any run)."""
    return page.locator(".stMain [data-testid=stAlert]").filter(has_text=re.compile(rf"Epoch [\d,]+ of|{INTRO}"))


def ready(page) -> None:
    """Wait until the buttons are drawn and enabled: a shortcut is bound by its button, once drawn."""
    expect(page.locator(".st-key-btn_step button").first).to_be_enabled(timeout=60_000)


def press(page, letter: str) -> None:
    ready(page)
    page.keyboard.press(letter)


def expect_status(page, pattern: str, timeout_ms: int = 30_000) -> None:
    expect(status(page).first).to_contain_text(re.compile(pattern), timeout=timeout_ms)


def epoch(page) -> int:
    return int(re.search(r"Epoch ([\d,]+) of", status(page).first.inner_text()).group(1).replace(",", ""))


def test_each_shortcut_does_what_its_button_does(open_page):
    page = open_page("?epochs=5000&seed=1")
    press(page, "s")  # Step: one epoch, then paused
    expect_status(page, r"Epoch 1 of 5,000 .* Paused:")
    press(page, "t")  # Train: a fresh run starts
    expect_status(page, r"Running")
    expect(page.locator(".st-key-btn_stop button").first).to_be_enabled()
    pause = page.locator(".st-key-btn_pause button").first
    press(page, "p")  # Pause
    expect_status(page, r"Paused:")
    expect(pause).to_contain_text("Resume")
    wait_idle(page)
    paused_at = epoch(page)
    page.wait_for_timeout(1000)
    assert epoch(page) == paused_at  # really paused
    press(page, "p")  # the same key resumes
    expect_status(page, r"Running")
    expect(pause).to_contain_text("Pause")
    page.locator(".st-key-btn_train button").first.hover()  # the tooltip names the shortcut
    expect(page.get_by_text("(shortcut: T)")).to_be_visible()
    shot(page, "issue10-shortcuts")
    press(page, "x")  # Reset
    expect_status(page, INTRO)


def test_typing_the_shortcut_letters_into_a_text_box_presses_no_button(open_page):
    page = open_page("?epochs=5000")
    ready(page)
    weights = page.locator(".st-key-cfg_true_weights input")
    weights.click()
    weights.press("End")
    page.keyboard.type(" tsx")
    expect(weights).to_have_value("2, 3, 4, 7 tsx")
    page.wait_for_timeout(1500)  # time for a wrongly pressed button's rerun to show
    expect_status(page, INTRO)  # no Train, no Step
    weights.fill("2, 3, 4, 7")
    weights.press("Enter")
    wait_idle(page)
    page.locator(".st-key-btn_train button").first.click()  # a run, whose Pause and Reset typing must not press
    expect_status(page, r"Running")
    lr = page.locator(".st-key-cfg_lr input")
    lr.click()
    lr.press("End")
    page.keyboard.type("pxs")
    expect(lr).to_have_value("1e-5pxs")
    page.wait_for_timeout(1500)
    expect_status(page, r"Running")  # not paused, not reset, not stepped


def test_the_presenter_link_folds_the_sidebar_and_enlarges_the_text(open_page):
    normal = open_page("?epochs=400")
    ready(normal)
    expect(normal.locator("[data-testid=stSidebar]")).to_be_visible()
    normal_size = normal.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    page = open_page("?view=presenter&epochs=400")
    ready(page)
    expect(page.locator("[data-testid=stSidebar]")).not_to_be_visible()
    expect(page.locator(".st-key-speed")).to_be_visible()  # the speed is reachable without the sidebar
    page.wait_for_function(  # the presenter's style sheet arrives with the page's elements: wait for it
        f"parseFloat(getComputedStyle(document.documentElement).fontSize) > {normal_size}", timeout=30_000)
    press(page, "t")
    try:
        expect_status(page, r"Running", timeout_ms=10_000)
    except AssertionError:  # on a loaded machine a key pressed while the page reran was lost once in CI: again,
        press(page, "t")    # as a lecturer would
        expect_status(page, r"Running")
    page.wait_for_timeout(3000)  # a few seconds into the run, for the screenshot
    shot(page, "issue10-presenter")
    page.locator(".st-key-presenter label").click()  # the toggle leaves it: the sidebar unfolds, the run goes on
    expect(page.locator("[data-testid=stSidebar]")).to_be_visible()
    expect(page).not_to_have_url(re.compile("view=presenter"))
    expect(status(page).first).to_contain_text(re.compile(r"Epoch [1-9][\d,]* of 400"))
