"""The page fits the room it is shown in (issue 18): at the sizes of real projectors, laptops and phones, in the
normal and the presenter view, in English and Chinese, mid-run, every control (the folded sidebar's button too: issue
19's trial found the title over it on phones) is clickable at its centre (the
element the browser finds at that point is the control, not Streamlit's header above it), both charts of the
Training tab lie wholly inside the window (and above a phone's bar of controls), and the title collides with
nothing of Streamlit's header. Screenshots of each state: artifacts/screenshots/room-*.png.

Each check is a poll (the page settles: charts are fitted to the window after they are drawn) that fails with what
it last found. The buttons are pressed with real clicks at their centres, as a lecturer's mouse does.
"""
import pytest
from browser_helpers import shot, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PHONES = [(360, 740), (390, 844), (430, 932)]
SCREENS = [(1024, 768), (1280, 720), (1280, 800), (1366, 768), (1920, 1080)]  # projectors, laptops, a 1080p screen
SETTLE_MS = 15_000
RUN = "epochs=3000"  # 150 s at the default speed: still running while every check is made

PROBLEMS = """() => {
  const W = innerWidth, H = innerHeight, bad = [], phone = W <= 640;
  const visible = (el) => el && el.getClientRects().length > 0;
  const controls = [];
  for (const k of ["btn_train", "btn_stop", "btn_pause", "btn_step", "btn_reset"])
    controls.push([k, [...document.querySelectorAll(`.st-key-${k} button`)].find(visible)]);
  const thumb = document.querySelector(".st-key-speed input[type=range]");
  controls.push(["speed", thumb && thumb.parentElement.parentElement]);
  const presenter = document.querySelector(".st-key-presenter label");
  if (phone) { if (visible(presenter)) bad.push("the presenter toggle is shown on a phone"); }
  else controls.push(["presenter", presenter]);
  for (const k of TOGGLES) controls.push([k, document.querySelector(`.st-key-${k} label`)]);
  document.querySelectorAll(".stMain [data-baseweb=tab]").forEach((t, i) => controls.push([`tab ${i}`, t]));
  const expand = document.querySelector("[data-testid=stExpandSidebarButton]");  // a phone's only way to the settings
  if (visible(expand)) controls.push(["the sidebar's button", expand]);
  for (const [name, el] of controls) {
    if (!visible(el)) { bad.push(`${name}: not shown`); continue; }
    const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > W || y > H) { bad.push(`${name}: centre (${x | 0}, ${y | 0}) outside the window`); continue; }
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(el.contains(hit) || hit.contains(el)))
      bad.push(`${name}: its centre is covered by ${hit && (hit.getAttribute("data-testid") || hit.tagName)}`);
  }
  const bar = document.querySelector(".st-key-controls");
  const floor = bar && getComputedStyle(bar).position === "fixed" ? bar.getBoundingClientRect().top : H;
  const charts = [...document.querySelectorAll(".st-key-PAIR .linviz-live-chart")];
  if (charts.length !== 2) bad.push(`${charts.length} charts in PAIR`);
  for (const c of charts) {
    const r = c.getBoundingClientRect();
    if (!c.querySelector(".main-svg")) bad.push("a chart is not drawn");
    if (r.height < 100 || r.width < 100) bad.push(`a chart is ${r.width | 0}x${r.height | 0}`);
    if (r.top < 0 || r.left < 0 || r.right > W + 0.5 || r.bottom > floor + 0.5)
      bad.push(`a chart at (${r.left | 0}, ${r.top | 0})-(${r.right | 0}, ${r.bottom | 0}), window ${W}x${H}, bar at ${floor | 0}`);
  }
  const title = document.querySelector(".st-key-page_title h3");
  if (title) {
    const t = title.getBoundingClientRect();
    for (const id of ["stStatusWidget", "stMainMenu", "stExpandSidebarButton"]) {
      const e = document.querySelector(`[data-testid=stHeader] [data-testid=${id}]`);
      if (!visible(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom) bad.push(`the title runs into ${id}`);
    }
    if (t.bottom > H / 3) bad.push(`the title ends at ${t.bottom | 0}`);
  }
  return bad;
}"""


TRAINING = ("chart_pair", ("log_loss", "show_error"))  # a tab's pair of charts and its toggles
DATA = ("data_pair", ())


def probe(tab: tuple) -> str:
    pair, toggles = tab
    return PROBLEMS.replace("PAIR", pair).replace("TOGGLES", repr(list(toggles)))


def expect_fits(page, what: str, tab: tuple = TRAINING) -> None:
    """Poll until the page has no problem (charts are fitted after they are drawn), else fail naming them."""
    try:
        page.wait_for_function(f"() => ({probe(tab)})().length === 0", timeout=SETTLE_MS, polling=250)
    except PlaywrightTimeout:
        pytest.fail(f"{what}: " + "; ".join(page.evaluate(probe(tab))))


def click_centre(page, selector: str) -> None:
    """A real mouse click at the centre of the visible element (what the header used to swallow)."""
    el = page.locator(selector).locator("visible=true").first
    box = el.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def train(page, query: str) -> None:
    page.wait_for_selector(".st-key-btn_train button", state="attached", timeout=60_000)
    wait_idle(page)
    click_centre(page, ".st-key-btn_train button")
    expect(page.locator(".st-key-btn_stop button").locator("visible=true").first).to_be_enabled(timeout=30_000)
    page.wait_for_selector(".st-key-chart_pair .linviz-live-chart .main-svg", timeout=30_000)


def away(page) -> None:
    """The pointer off the controls: no tooltip in the screenshot."""
    page.mouse.move(1, page.viewport_size["height"] - 1)


def still_running(page, what: str) -> None:
    assert page.locator(".st-key-btn_stop button").locator("visible=true").first.is_enabled(), \
        f"{what}: the run ended before the checks (they are made mid-run)"


def open_at(chromium, url: str, size: tuple, query: str):
    w, h = size
    phone = w <= 640
    ctx = chromium.new_context(viewport={"width": w, "height": h}, is_mobile=phone, has_touch=phone)
    page = ctx.new_page()
    page.goto(f"{url}/?{query}")
    return ctx, page


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_a_projector_shows_controls_and_charts_together(chromium, dashboard_url, size, lang):
    """Normal view (sidebar open), then the presenter toggle clicked mid-run: the run goes on, the page fits."""
    ctx, page = open_at(chromium, dashboard_url, size, f"{RUN}&lang={lang}")
    try:
        name = f"{size[0]}x{size[1]}-{lang}"
        train(page, RUN)
        expect_fits(page, f"{name} normal view")
        still_running(page, name)
        away(page)
        shot(page, f"room-{name}-normal")
        click_centre(page, ".st-key-presenter label")
        page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '20px'",
                               timeout=SETTLE_MS)
        expect_fits(page, f"{name} presenter view")
        still_running(page, name)
        away(page)
        shot(page, f"room-{name}-presenter")
        page.set_viewport_size({"width": size[0] - 100, "height": size[1] - 60})  # the window resized mid-run
        expect_fits(page, f"{name} presenter view, resized")
        page.locator(".st-key-btn_pause button").locator("visible=true").first.click()  # paused: no redraw refits
        page.set_viewport_size({"width": size[0], "height": size[1]})
        expect_fits(page, f"{name} presenter view, paused, resized back")
        for i in range(2):  # Plotly's mode bar, shown while the pointer is on a chart, covers no title
            chart = page.locator(".st-key-chart_pair .linviz-live-chart").nth(i)
            chart.hover()
            expect(chart.locator(".modebar")).to_be_visible()
            assert not overlaps(chart.locator(".modebar").bounding_box(), chart.locator(".gtitle").bounding_box()), \
                f"{name}: the mode bar covers chart {i}'s title"
    finally:
        ctx.close()


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] \
        and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["normal", "presenter"])
@pytest.mark.parametrize("size", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
def test_a_phone_shows_the_charts_above_a_bar_of_controls(chromium, dashboard_url, size, view, lang):
    query = f"{RUN}&lang={lang}" + ("&view=presenter" if view == "presenter" else "")
    ctx, page = open_at(chromium, dashboard_url, size, query)
    try:
        name = f"{size[0]}x{size[1]}-{view}-{lang}"
        train(page, query)
        expect_fits(page, name)
        still_running(page, name)
        bar = page.locator(".st-key-controls").bounding_box()
        charts = [page.locator(".st-key-chart_pair .linviz-live-chart").nth(i).bounding_box() for i in range(2)]
        assert all(c["y"] + c["height"] <= bar["y"] + 0.5 for c in charts), "the charts come first, the controls below"
        buttons = [page.locator(f".st-key-{k} button").locator("visible=true").first.bounding_box()
                   for k in ("btn_train", "btn_stop", "btn_pause", "btn_step", "btn_reset")]
        assert len({round(b["y"]) for b in buttons}) == 1, "the five buttons are one row"
        assert min(b["height"] for b in buttons) >= 44, "thumb-sized: at least 44 px tall"
        assert page.locator(".st-key-chart_pair .modebar").count() == 0, "no mode bar over a phone's chart titles"
        shot(page, f"room-{name}")
    finally:
        ctx.close()


@pytest.mark.parametrize("size, lang", [((1024, 768), "en"), ((1280, 720), "zh"), ((390, 844), "en")],
                         ids=["1024x768-en", "1280x720-zh", "390x844-en"])
def test_the_data_tab_shows_controls_and_its_two_charts_together(chromium, dashboard_url, size, lang):
    ctx, page = open_at(chromium, dashboard_url, size, f"{RUN}&lang={lang}")
    try:
        train(page, RUN)
        page.get_by_role("tab", name="Data" if lang == "en" else "数据").click()
        page.wait_for_selector(".st-key-data_pair .linviz-live-chart .main-svg", timeout=30_000)
        name = f"{size[0]}x{size[1]}-{lang}"
        expect_fits(page, f"{name} Data tab", DATA)
        still_running(page, name)
        shot(page, f"room-{name}-data")
    finally:
        ctx.close()
