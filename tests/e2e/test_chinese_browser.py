"""The Chinese page (?lang=zh) in a real Chromium: the glyphs render (a CJK font is installed), every tab, a run, a
divergence and a bad input read in Chinese, a Chinese browser gets Chinese without ?lang=, and switching language
mid-run keeps the run. Screenshots land in artifacts/screenshots/zh-*.png for a person to look at."""
import re

import pytest
from browser_helpers import CHART, shot, wait_idle
from helpers_page import KEPT_WORDS
from playwright.sync_api import expect

from linviz.fields import FIELDS
from linviz.say import TEXTS

pytestmark = pytest.mark.e2e
ZH = TEXTS["zh"]
KEPT = KEPT_WORDS | {f.key.lower() for f in FIELDS} | {w for f in FIELDS for w in f.key.lower().split("_")}

# What a person reads: the page's text without code blocks, plus the charts' own words (titles, axes, legends).
READ_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]').cloneNode(true);
  // code stays code; Streamlit's own words: its icons' ligature names, the keyboard user's "Skip to main content",
  // its running man's "Stop"; and what a script run that is still going has not yet redrawn (data-stale, faded)
  app.querySelectorAll('[data-testid=stCode], pre, code, style, script, .modebar, [data-testid=stIconMaterial], '
                       + '[data-testid=stSkipToContent], [data-testid=stStatusWidget], [data-stale=true]')
     .forEach(e => e.remove());
  const svg = [...document.querySelectorAll('.gtitle, .xtitle, .ytitle, .legendtext, .annotation-text, .cbtitle')]
    .map(e => e.textContent);
  const shown = [...document.querySelectorAll('[data-testid=stApp] input')].map(e => e.value);  // a drop-down's choice
  return app.innerText + '\\n' + svg.join('\\n') + '\\n' + shown.join('\\n');
}"""
# Two different Chinese characters drawn on a canvas: identical pixels mean both fell back to the same empty box
# (no CJK font), so the screenshots would show boxes instead of Chinese.
GLYPHS_JS = """() => {
  const draw = ch => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = '48px sans-serif'; g.fillText(ch, 4, 52); return c.toDataURL(); };
  return draw('训') !== draw('练') && draw('训') !== draw('\\uffff');
}"""


def english_words(page) -> list[str]:
    text = page.evaluate(READ_JS)
    text = re.sub(r"https?://\S+|\?[\w=&,.\-]+|\b[A-Za-z]\w*\(\S*\)", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in KEPT})


def no_english_within(page, timeout_s: float) -> list[str]:
    """English words left on a page that is still redrawing (mid-run): polled until none or the time is up."""
    for _ in range(int(timeout_s * 4)):
        if not (left := english_words(page)):
            return left
        page.wait_for_timeout(250)
    return left


def wait_until_finished(page, timeout_s: float = 60) -> None:
    """The run's outcome sentence is on screen (the Train button is offered again)."""
    page.locator(".st-key-btn_train button:not([disabled])").first.wait_for(timeout=timeout_s * 1000)
    page.locator("[data-testid=stAlert]").first.wait_for(timeout=timeout_s * 1000)
    wait_idle(page)


def tab(page, key: str) -> None:
    page.get_by_role("tab", name=ZH[f"tab.{key}"]).click()
    wait_idle(page)
    page.wait_for_timeout(600)  # the charts draw on the next animation frames


def test_the_chinese_page_renders_chinese_glyphs_and_has_no_english_left(open_page):
    page = open_page("?lang=zh&epochs=150")
    assert page.evaluate(GLYPHS_JS), "no CJK font: install fonts-noto-cjk (see .ci/run)"
    shot(page, "zh-01-first-load")
    assert english_words(page) == []
    page.locator(".st-key-btn_train button").first.click()
    wait_until_finished(page)
    page.get_by_text("第 150 轮，共 150 轮").first.wait_for()
    page.locator(CHART).first.wait_for()
    shot(page, "zh-02-trained")
    assert english_words(page) == []
    for i, key in enumerate(("data", "landscape", "ladder", "compare", "code"), start=3):
        tab(page, key)
        shot(page, f"zh-0{i}-{key}")
        assert english_words(page) == [], key


def test_a_divergence_and_a_bad_input_read_in_chinese(open_page):
    page = open_page("?lang=zh&lr=1e-3&epochs=20")
    page.locator(".st-key-btn_train button").first.click()
    wait_until_finished(page)
    shot(page, "zh-08-diverged")
    assert "发散" in page.evaluate(READ_JS)
    assert english_words(page) == []
    box = page.locator(".st-key-cfg_true_weights input")
    box.fill("2, 3, x")
    box.press("Enter")
    wait_idle(page)
    page.get_by_text("真实权重（weights）：填写的是 '2, 3, x'。'x' 不是一个数。").first.wait_for()
    shot(page, "zh-09-bad-input")
    assert english_words(page) == []


def test_a_chinese_browser_gets_chinese_and_an_english_link_stays_english(chromium, dashboard_url):
    ctx = chromium.new_context(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    try:
        page = ctx.new_page()
        page.goto(dashboard_url + "/")
        wait_idle(page)
        page.get_by_role("tab", name=ZH["tab.training"]).wait_for()
        page.goto(dashboard_url + "/?lang=en")
        wait_idle(page)
        page.get_by_role("tab", name=TEXTS["en"]["tab.training"]).wait_for()
    finally:
        ctx.close()


def test_switching_language_mid_run_keeps_the_run(open_page):
    page = open_page("?epochs=400")
    page.locator(".st-key-btn_train button").first.click()
    page.get_by_text(re.compile(r"Epoch [1-9][\d,]* of 400")).first.wait_for()
    page.locator(".st-key-lang button", has_text="中文").click()
    page.get_by_role("tab", name=ZH["tab.training"]).wait_for()
    assert "lang=zh" in page.url
    assert no_english_within(page, 30) == []  # the sidebar and charts follow within a few redraws, mid-run
    chosen = {"timeout": 30_000}  # a chosen option's words follow too (a busy machine redraws slowly mid-run)
    expect(page.locator(".st-key-cfg_device input")).to_have_value(re.compile("自动"), **chosen)
    expect(page.locator(".st-key-preset input")).to_have_value("（自定义设置）", **chosen)
    wait_until_finished(page, 120)
    shot(page, "zh-10-switched-mid-run")
    page.get_by_text("第 400 轮，共 400 轮").first.wait_for()  # the run went on to its end in Chinese, not lost
