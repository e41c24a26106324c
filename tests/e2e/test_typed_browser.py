"""Typed numbers in a real Chromium (issue 18): the boxes are text boxes read on the server by the field table, so
`1e6` is a million samples (a browser number box read it as 1), `0` epochs is named under its box with Train off
(a number box turned red without words and trained 100 epochs), and a Chinese input method's `。` is a decimal
point. Screenshots land in artifacts/screenshots/typed-*.png."""
import re

import pytest
from browser_helpers import shot, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def type_into(page, key: str, text: str) -> None:
    """Type as a student does: select the box's text, type over it, press Enter."""
    box = page.locator(f".st-key-{key} input")
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially(text)
    box.press("Enter")
    wait_idle(page)


def sidebar_error(page, text: str):
    return page.locator("[data-testid=stSidebar] [data-testid=stAlert]").filter(has_text=text)


def test_typed_numbers_are_read_as_written_or_refused_with_words(open_page):
    page = open_page()
    type_into(page, "cfg_n_samples", "1e6")
    expect(page).to_have_url(re.compile(r"[?&]samples=1000000(&|$)"), timeout=15_000)
    expect(page.locator(".st-key-cfg_n_samples input")).to_have_value("1e6")  # the box keeps what was typed
    expect(page.get_by_text(re.compile(r"1,000,000 samples x 4 weights"))).to_be_visible()  # the long-run estimate
    expect(page.locator(".st-key-btn_train button").first).to_be_enabled()
    shot(page, "typed-1-samples-1e6")

    type_into(page, "cfg_epochs", "0")
    expect(sidebar_error(page, "Epochs (epochs): got '0'. Use a whole number from 1 to 1,000,000.")).to_be_visible()
    expect(page.locator(".st-key-btn_train button").first).to_be_disabled()
    expect(page.locator(".st-key-btn_step button").first).to_be_disabled()
    expect(page).to_have_url(re.compile(r"[?&]samples=1000000(&|$)"))  # the refused value never reached the link
    assert "epochs=" not in page.url
    shot(page, "typed-2-epochs-0")

    type_into(page, "cfg_epochs", "1e3")
    expect(sidebar_error(page, "Epochs (epochs)")).to_have_count(0)
    expect(page.locator(".st-key-btn_train button").first).to_be_enabled()
    expect(page).to_have_url(re.compile(r"[?&]epochs=1000(&|$)"))


def test_a_chinese_input_methods_full_stop_is_a_decimal_point(open_page):
    page = open_page("?lang=zh")
    type_into(page, "cfg_lr", "０。００００２")  # what Chinese input methods type for 0.00002
    expect(page).to_have_url(re.compile(r"[?&]lr=2e-5(&|$)"), timeout=15_000)
    expect(sidebar_error(page, "学习率")).to_have_count(0)
    type_into(page, "cfg_n_samples", "1,5")
    expect(sidebar_error(page, "样本数（samples）：填写的是 '1,5'。逗号只能用作千位分隔符")).to_be_visible()
    expect(page.locator(".st-key-btn_train button").first).to_be_disabled()
    shot(page, "typed-3-zh")
