"""Driving the page under Streamlit's AppTest (no browser: the real script, widgets and session) and reading
what it shows: messages as a reader sees them, and the Plotly figures on it."""
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from linviz_app.live_chart import decode

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def app(query: dict | None = None) -> AppTest:
    """The page opened with a link's query parameters, after its first script run."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def plain(md: str) -> str:
    """A message as the reader sees it: Markdown escapes and invisible link breaks removed (the page escapes
    all user text)."""
    return re.sub(r"\\(.)", r"\1", md).replace("\u200b", "")


def texts(elements) -> str:
    """The plain text of several messages (e.g. `at.error`), joined."""
    return " ".join(plain(e.value) for e in elements)


def live_figures(at: AppTest) -> list[dict]:
    """The figures the page's live charts (linviz_app/live_chart.py) show, arrays decoded to numpy. A page's
    last script run draws each chart once at its end, so each carries a whole figure (a key frame)."""
    return [decode(json.loads(el.proto.json)) for el in at.get("bidi_component")
            if el.proto.component_name.endswith("linviz_live_chart")]


def charts(at: AppTest, title: str = "", exact: bool = False) -> list[dict]:
    """The Plotly figures on the page (plain and live charts) whose title starts with (or is) `title`; all of
    them by default."""
    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")] + live_figures(at)
    names = [f["layout"].get("title", {}).get("text", "") for f in figs]
    return [f for f, n in zip(figs, names) if (n == title if exact else n.startswith(title))]


def open_tab(at: AppTest, label: str) -> AppTest:
    """Switch tabs as a click would: only the open tab's content is built."""
    at.session_state["tab"] = label
    return at.run()


def train(at: AppTest) -> AppTest:
    """Press Train at max speed: the run trains to its end within this script run."""
    at.select_slider(key="speed").set_value("max").run()
    return at.button(key="btn_train").click().run()
