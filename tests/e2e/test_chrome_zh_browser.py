"""Streamlit's own words on the Chinese page (linviz_app/chrome_zh.py), in a real Chromium, mid-run: the running
indicator's Stop button and the main menu show no English, and say 停止 and 打印 instead."""
import re

import pytest
from browser_helpers import shot

pytestmark = pytest.mark.e2e

# The text a person sees inside `root`: text nodes that are rendered (not display:none, font-size above 0), and what
# the pseudo-elements (::before, ::after) say in their place.
SEEN_JS = """root => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (parseFloat(s.fontSize) > 0 && s.visibility !== 'hidden' && s.opacity !== '0') out.push(node.textContent);
  }
  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (!el.getClientRects().length) continue;
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c !== 'none' && c !== 'normal' && c.startsWith('"')) out.push(c.slice(1, -1));
    }
  }
  return out.join(' ');
}"""


def seen(page, selector: str) -> str:
    return page.locator(selector).first.evaluate(SEEN_JS)


def english(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", text)


def test_the_chinese_page_shows_no_streamlit_english_mid_run(open_page):
    page = open_page("?lang=zh&epochs=5000")
    page.locator(".st-key-btn_train button").first.click()
    widget = "[data-testid=stStatusWidget]"
    page.locator(f"{widget} button").wait_for(timeout=30_000)  # Streamlit shows it half a second into a script run
    page.wait_for_timeout(300)
    shot(page, "zh-chrome-running")
    text = seen(page, widget)
    assert "停止" in text
    assert english(text) == [], text  # no "Stop", no "Running..."
    header = seen(page, "[data-testid=stHeader]")
    assert not re.search(r"Stop|Running", header), header
    page.locator("[data-testid=stMainMenu] button").click()
    menu = "[data-testid=stMainMenuPopover]"
    page.locator(menu).wait_for()
    shot(page, "zh-chrome-menu")
    text = seen(page, menu)
    assert "打印" in text
    assert english(text) == [], text  # no "Print", "Record screen", "Made with Streamlit"
    page.keyboard.press("Escape")
    page.locator(".st-key-btn_stop button").first.click()  # the page's own Stop: the run ends with the test
