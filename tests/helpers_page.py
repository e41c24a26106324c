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


# Words that stay as they are on the Chinese page: code and settings' link keys and values, units, the tutorial's
# printed line (`Epoch [k/E], Loss: x`), product names, and the language switch's own names.
KEPT_WORDS = {
    "lr", "sgd", "adam", "momentum", "constant", "step", "exp", "auto", "cpu", "cuda", "mps", "nan", "inf", "torch",
    "optim", "pytorch", "nn", "linear", "mseloss", "csv", "json", "url", "plotly", "streamlit",
    "randint", "random", "python", "english", "language", "apple", "gpu", "float", "int", "numpy", "std", "rms",
    "true", "false", "mse", "py", "zh", "en", "lang", "view", "presenter", "http", "https", "localhost", "sub",
    "sup", "br", "extra", "linviz", "html", "png", "svg", "log", "speed", "max", "gib", "mib",
}

GLOSSED = {"epoch", "loss"}  # lower case, as a term glossed in Chinese text (训练一轮（一个 epoch）); "Epoch" is English


def _fig_texts(fig: dict) -> list[str]:
    """What a reader sees on a Plotly figure: titles, axis titles, legend names, annotations, hover labels."""
    out, layout = [], fig.get("layout", {})

    def title(obj):
        t = obj.get("title") if isinstance(obj, dict) else None
        return t.get("text", "") if isinstance(t, dict) else (t or "")
    out.append(title(layout))
    for k, v in layout.items():
        if k.startswith(("xaxis", "yaxis", "coloraxis")) and isinstance(v, dict):
            out.append(title(v))
            out.append(title(v.get("colorbar", {})))
            out += [str(x) for x in v.get("ticktext", []) or []]
    out += [a.get("text", "") for a in layout.get("annotations", []) or []]
    out.append(title(layout.get("legend", {})))
    for tr in fig.get("data", []):
        if tr.get("showlegend", True) is not False:
            out.append(str(tr.get("name") or ""))
        out.append(re.sub(r"%\{[^}]*\}|<extra>.*?</extra>", " ", str(tr.get("hovertemplate") or "")))
        out.append(title(tr.get("colorbar", {})))
        if isinstance(tr.get("text"), str):
            out.append(tr["text"])
    return out


def page_texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page as AppTest sees it: messages, labels, help, options, tab names,
    table headers and the charts' words (code blocks excepted: code stays code)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader",
                 "exception"):
        out += [plain(str(e.value)) for e in at.get(kind)]
    for kind in ("button", "checkbox", "toggle", "text_input", "number_input", "selectbox", "select_slider",
                 "segmented_control", "radio", "multiselect", "slider", "download_button", "expander", "tab",
                 "metric", "popover"):
        for e in at.get(kind):
            for attr in ("label", "help", "placeholder"):
                v = getattr(e.proto, attr, "") if hasattr(e, "proto") else ""
                out.append(str(v or ""))
            out += [getattr(o, "content", o) for o in getattr(e.proto, "options", []) or []]  # a button group's: protos
    for e in at.get("arrow_data_frame"):
        out += [str(c) for c in e.value.columns]
    for fig in charts(at):
        out += _fig_texts(fig)
    return [str(x) for x in out if x]


def english_words(text: str) -> list[str]:
    """The English words in a text meant to be Chinese: a word of 3+ letters that is not kept as it is. A setting's
    link key counts only where a message names it, in brackets after its label (样本数（samples）), in a link
    or in a list of the keys."""
    from linviz.fields import FIELDS
    keys = "|".join(sorted((f.key for f in FIELDS), key=len, reverse=True))
    # code, links, calls, HTML tags, a user's own text echoed back in quotes ('abc', "don't"), the tutorial's line
    text = re.sub(rf"`[^`]*`|https?://\S+|\?[\w=&,.\-]+|\b[A-Za-z]\w*\(\S*\)|<[^>]+>|'[^']*'|\"[^\"]*\"|"
                  rf"Epoch \[[^\]]*\], Loss|[（(]\s*(?:{keys})\s*[)）]|\b(?:{keys})=|\b(?:{keys})(?:, (?:{keys}))+\b", " ",
                  text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in KEPT_WORDS and w not in GLOSSED]


def english_left(at: AppTest) -> list[str]:
    """The texts on the page that still read as English (see english_words)."""
    return [f"{words[:5]} in {text[:120]!r}" for text in page_texts(at) if (words := english_words(text))]
