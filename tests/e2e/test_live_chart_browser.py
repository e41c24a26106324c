"""Live charts in a real Chromium: mounted once, updated in place many times a second, a zoom and a legend click
that survive more epochs of training and a pause, and plotly.js from this server.
Screenshot: issue10-zoom-kept-mid-run."""
import pytest
from browser_helpers import shot, wait_idle

pytestmark = pytest.mark.e2e

MOUNTS = """
window.__mounts = 0;
new MutationObserver(muts => { for (const m of muts) for (const n of m.addedNodes)
  if (n.nodeType === 1) window.__mounts += n.matches('.linviz-live-chart') + n.querySelectorAll('.linviz-live-chart').length;
}).observe(document, {childList: true, subtree: true});
"""
LOSS = "[...document.querySelectorAll('.linviz-live-chart')].find(d => d.layout && d.layout.title.text === 'Loss')"


def loss_chart(page, what: str):
    """`what`, a JS expression of the loss chart's element `d` (plotly.js's graph div), or None while not drawn."""
    return page.evaluate(f"(() => {{ const d = {LOSS}; return d && d._fullData ? {what} : null; }})()")


def epochs_drawn(page) -> int:
    return loss_chart(page, "d._fullData[0].x.length") or 0


def test_a_zoom_and_a_legend_click_survive_the_run_and_the_chart_stays_mounted(open_page):
    page = open_page("?epochs=400")
    page.add_init_script(MOUNTS)
    page.reload()
    wait_idle(page)
    page.locator(".st-key-speed input[type=range]").focus()
    page.keyboard.press("ArrowLeft")  # 10 epochs/s: 40 s of training, time enough to zoom and watch
    page.get_by_text("Speed (epochs per second)").first.wait_for()
    wait_idle(page)
    page.locator(".st-key-btn_train button").first.click()
    page.mouse.move(5, 995)  # away from the button: its tooltip would cover the page in the screenshot
    page.wait_for_function(f"(() => {{ const d = {LOSS}; return d && d._fullData && d._fullData.length "
                           "&& d._fullData[0].x.length > 20; })()", timeout=60_000)
    mounted = page.evaluate("window.__mounts")
    assert mounted == 2  # the loss and weights charts, each mounted once

    seen = set()  # the chart redraws in place: many different epoch counts, one element
    for _ in range(40):
        seen.add(epochs_drawn(page))
        page.wait_for_timeout(50)
    assert len(seen) >= 5, f"the loss chart showed {sorted(seen)} epochs in 2 s of a 10 epochs/s run"

    box = page.locator(".linviz-live-chart .nsewdrag").first.bounding_box()  # the loss chart's plot area
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.1 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.4 * box["width"], y, steps=8)
    page.mouse.up()  # a box zoom on the epoch axis, as a student drags one
    zoomed = loss_chart(page, "[...d.layout.xaxis.range]")
    assert loss_chart(page, "d.layout.xaxis.autorange") is False
    loss = page.locator(".linviz-live-chart").filter(has_text="training loss (mean)")
    loss.locator(".legend .traces").nth(1).locator(".legendtoggle").click()  # hide the last-sample loss
    page.wait_for_function(f"(() => {{ const d = {LOSS}; return d._fullData[1].visible === 'legendonly'; }})()")
    then = epochs_drawn(page)

    page.wait_for_function(f"(() => {{ const d = {LOSS}; return d._fullData[0].x.length >= {then + 30}; }})()",
                           timeout=60_000)  # three more seconds of training drawn into the same chart
    page.mouse.move(5, 995)
    shot(page, "issue10-zoom-kept-mid-run")
    assert page.evaluate("window.__mounts") == mounted, "the live charts were mounted again"
    assert loss_chart(page, "[...d.layout.xaxis.range]") == pytest.approx(zoomed)
    assert loss_chart(page, "d._fullData[1].visible") == "legendonly", "the legend click was undone"

    page.locator(".st-key-btn_pause button").first.click()  # a pause reruns the whole page: the zoom stays
    page.get_by_text("· Paused:").first.wait_for()
    wait_idle(page)
    assert loss_chart(page, "[...d.layout.xaxis.range]") == pytest.approx(zoomed)
    assert page.evaluate("window.__mounts") == mounted


def test_plotly_js_comes_from_this_server_never_a_cdn(chromium, dashboard_url):
    ctx = chromium.new_context(viewport={"width": 1600, "height": 1000})
    page = ctx.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(dashboard_url + "/?epochs=3")
    wait_idle(page)
    page.locator(".st-key-btn_train button").first.click()
    page.locator(".linviz-live-chart .main-svg").first.wait_for(timeout=60_000)
    plotly = [u for u in requested if "plotly" in u.lower()]  # Streamlit's own bundle, or app/static's copy
    assert plotly
    assert all(u.startswith(dashboard_url + "/") for u in plotly), plotly
    assert page.evaluate("typeof window.Plotly.react") == "function"
    ctx.close()
