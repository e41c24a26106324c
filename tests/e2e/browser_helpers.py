"""Small helpers shared by the end-to-end tests."""
from pathlib import Path

CHART = "[data-testid=stPlotlyChart], .linviz-live-chart"  # a plain Plotly chart, or a live one (live_chart.py)
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def wait_idle(page, timeout_ms: int = 60_000):
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
