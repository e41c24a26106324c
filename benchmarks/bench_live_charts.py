"""Live charts in Chromium: do they stay mounted, is a chart always on screen, how often does it visibly change?

    python benchmarks/bench_live_charts.py                       # this checkout's page
    python benchmarks/bench_live_charts.py /tmp/before .         # before and after, side by side, interleaved
    python benchmarks/bench_live_charts.py --repeats 5

(/tmp/before: e.g. `mkdir /tmp/before && git archive 2fb968c | tar -x -C /tmp/before`, the page before issue 10's
live charts.)

Trains the tutorial with 7 weights twice per repeat on the Training tab: 200 epochs paced at 20 epochs/s (a
lecture) and 5,000 at max speed. In the page it measures, from the Train click until the last epoch is on screen:
- remounts: Plotly chart elements newly added to the page (a MutationObserver counting `.js-plotly-plot`);
- blank frames: animation frames in which fewer charts are drawn than the tab holds (requestAnimationFrame);
- visible updates/s: animation frames in which the drawn lines changed (the SVG paths, what the eye sees);
- bytes per update: websocket bytes the page received per visible update, and per message;
- server CPU: the streamlit process's CPU time over the run, as a share of one core (one watching session).
Prints the median over repeats. Targets (issue 10): 0 remounts, 0 blank frames, >= 15 updates/s paced.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_streaming import cpu_s, start_server
from browser_helpers import wait_idle
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

QUERY = "?weights=2,3,4,7,11,5,13&lr=1.7e-5&epochs={}"  # the preset "The tutorial with 7 weights"
EPOCHS = {False: 200, True: 5000}  # paced: 10 s at 20 epochs/s; max speed: a few seconds of flat-out training
CHARTS = 2  # the Training tab: loss and weights

PROBE = """
window.__lv = {mounts: 0, frames: 0, blank: 0, changes: 0, sig: ''};
const inMain = n => !n.closest('[data-testid=stSidebar]');  // the sidebar's lr band is no live chart
new MutationObserver(muts => {
  for (const m of muts) for (const n of m.addedNodes) {
    if (n.nodeType !== 1) continue;
    const plots = [...(n.matches('.js-plotly-plot') ? [n] : []), ...n.querySelectorAll('.js-plotly-plot')];
    window.__lv.mounts += plots.filter(inMain).length;
  }
}).observe(document, {childList: true, subtree: true});
new MutationObserver(muts => {  // a plot div gets its class when Plotly draws into it
  for (const m of muts) if (m.target.classList && m.target.classList.contains('js-plotly-plot') && inMain(m.target)
                            && !(m.oldValue || '').includes('js-plotly-plot')) window.__lv.mounts++;
}).observe(document, {attributes: true, attributeFilter: ['class'], attributeOldValue: true, subtree: true});
function frame() {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => inMain(p) && p.querySelector('.main-svg'));
  const lv = window.__lv;
  if (lv.on) {
    lv.frames++;
    if (plots.length < lv.expect) lv.blank++;
    const sig = plots.map(p => [...p.querySelectorAll('path.js-line')].map(l => l.getAttribute('d') || '')
                                 .join('|')).join('#');
    if (sig !== lv.sig) { lv.changes++; lv.sig = sig; }
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
"""


def one_run(browser, url: str, max_speed: bool, server_pid: int) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    page.add_init_script(PROBE)
    epochs = EPOCHS[max_speed]
    page.goto(url + "/" + QUERY.format(epochs))
    wait_idle(page)
    if max_speed:
        page.locator(".st-key-speed input[type=range]").focus()
        page.keyboard.press("End")  # the last speed: max
        page.get_by_text("max").first.wait_for()
        wait_idle(page)
    page.locator(".st-key-btn_train button").first.click()
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot .main-svg')].filter(s => "
                           f"!s.closest('[data-testid=stSidebar]')).length >= {CHARTS}", timeout=60_000)
    page.evaluate(f"Object.assign(window.__lv, {{mounts: 0, frames: 0, blank: 0, changes: 0, on: true, "
                  f"expect: {CHARTS}}})")
    n0, t0, cpu0 = len(received), time.perf_counter(), cpu_s(server_pid)
    bytes0 = sum(received)
    page.get_by_text(f"Epoch {epochs:,} of {epochs:,}").first.wait_for(timeout=120_000)
    page.wait_for_timeout(300)  # the last redraw paints
    seconds, cpu = time.perf_counter() - t0, cpu_s(server_pid) - cpu0
    lv = page.evaluate("Object.assign(window.__lv, {on: false})")
    msgs, nbytes = len(received) - n0, sum(received) - bytes0
    page.close()
    return {"seconds": seconds, "remounts": lv["mounts"], "blank frames": lv["blank"], "frames": lv["frames"],
            "updates/s": lv["changes"] / seconds, "KB/update": nbytes / 1024 / max(lv["changes"], 1),
            "KB/message": nbytes / 1024 / max(msgs, 1), "messages/s": msgs / seconds,
            "server CPU %": 100 * cpu / seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkouts", nargs="*", default=[str(ROOT)], help="checkouts whose dashboard.py to run")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    servers = {c: start_server(Path(c)) for c in args.checkouts}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"tutorial with 7 weights (paced: 200 epochs; max speed: 5,000), Training tab; medians of {args.repeats}, checkouts "
                  "interleaved; server CPU: the streamlit process over the run, one watching session")
            for label, max_speed in (("paced, 20 epochs/s", False), ("max speed", True)):
                runs = {c: [] for c in args.checkouts}
                for _ in range(args.repeats):
                    for c, (proc, url) in servers.items():
                        runs[c].append(one_run(browser, url, max_speed, proc.pid))
                for c, rs in runs.items():
                    med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                    print(f"  {label:>18} {c}: {med['remounts']:.0f} remounts, {med['blank frames']:.0f} blank "
                          f"frames of {med['frames']:.0f}, {med['updates/s']:.1f} visible updates/s, "
                          f"{med['KB/update']:.1f} KB per update ({med['KB/message']:.1f} KB per message, "
                          f"{med['messages/s']:.1f} messages/s), {med['seconds']:.1f} s, server CPU "
                          f"{med['server CPU %']:.0f}% of a core", flush=True)
            browser.close()
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
