"""A Plotly chart that stays mounted: drawn once, then updated in place (Plotly.react), so a live run's redraws
keep the user's zoom, pan, hover and legend clicks, and no frame shows an empty chart.

`st.plotly_chart` cannot do this: its element id hashes the figure, so every new figure is a new element
(../shared/guide/STREAMLIT.md). This is a components-v2 component (no iframe) with a fixed key, so its id stays
the same and the browser updates it in place. The live loop (dashboard.run_live) redraws it many times in one
script run, which Streamlit refuses for one key: `st_internals.reuse_key` lets a key that this run already drew
be drawn again.

What travels (`Sender.payload`, pure, tested without a browser): the figure as JSON text with numeric arrays as
base64 typed arrays (float32 values, which plotly.js reads and which hold no NaN to break JSON). Most updates
send only what changed since the last whole figure (a key frame): per array, how many leading values stay and
the new tail (a live run's new epochs). Each update is relative to the key frame, never to the update before,
so an update the browser skips (it draws the newest) loses nothing; and no update is sent before its key frame
has left the server (Streamlit's queue keeps only the newest message per element). A key frame goes out on a
script run's first draw, at least every KEYFRAME_S, and whenever anything but the arrays' tails changed.

plotly.js never comes from a CDN: this server serves the installed `plotly` package's file, and the page tries two
addresses in turn (`plotly_urls`, which travel in the loader):
1. `app/static/plotly.min.js`: a copy that `ensure_plotly_js` writes into `static/` at startup (atomically, mode
   0644: readable by any user, since the server may run as another user than the one who wrote it), listed only
   when this process could write it or read a good one there.
2. the package's own directory, without a copy: registered as a v1 component's files
   (`components.declare_component(path=...)`, never drawn; `serve_plotly_dir`), which Streamlit serves at
   `component/linviz_app.live_chart.plotly_js/plotly.min.js` (under server.baseUrlPath when one is set). It needs
   no write: a read-only install, or a `static/` whose copy another user wrote and this one cannot read, still
   draws its charts.
The static copy comes first because it is cheaper (measured): Streamlit sends it with Last-Modified and an ETag, so
a reloaded page takes it from the browser's cache, while the component's file, sent without them, is downloaded
again (1.5 MB gzipped) on every page load. A chart whose plotly.js failed to load says so, and its next update tries
again (static/live_chart.js).
"""
import base64
import filecmp
import hashlib
import json
import os
import shutil
import tempfile
import time
from itertools import count
from pathlib import Path

import numpy as np
import plotly
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from linviz_app import presenter
from linviz_app.st_internals import all_sent, reuse_key

STATIC = Path(__file__).resolve().parents[1] / "static"  # served at app/static/ (server.enableStaticServing)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHART_JS = STATIC / "live_chart.js"  # the component's code, loaded once per page from this server
KEYFRAME_S = 2.0  # a whole figure at least every two seconds, whatever happened to the ones before
SETTLE_S = 0.25  # updates refer to a key frame only this long after it left: a browser that gets two messages for
# one chart in quick succession draws only the newer (measured: key frame and update 10 ms apart lost the frame)
STATE = "_live_charts"  # session key: {chart key: Sender}
_SEQ = count(1)


def ensure_plotly_js() -> Path | None:
    """Place the installed plotly.min.js where the server serves it (static/, at app/static/), readable by any user
    (0644), once; again after a plotly upgrade, or when the copy there is unreadable or not readable by all (another
    user's, or one an older version wrote 0600). Written under a temporary name of its own and renamed: servers
    starting at once don't clash, and a browser never gets half a file. None when no copy this process can read is
    there and none can be written (a read-only install): the charts then load the package's own file (plotly_urls)."""
    target = STATIC / PLOTLY_JS.name
    try:
        if target.stat().st_mode & 0o444 == 0o444 and filecmp.cmp(target, PLOTLY_JS, shallow=False):
            return target
    except OSError:
        pass  # none yet, or unreadable: written anew below if static/ lets this process
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=STATIC, prefix=PLOTLY_JS.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as out, PLOTLY_JS.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600: only this user could read it, and the server may be another
        os.replace(tmp, target)  # atomic
        tmp = None
    except OSError:
        return None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return target


def plotly_urls(served: Path | None) -> list[str]:
    """Where the page loads plotly.js from, tried in turn, relative to the page: the static copy if `served`
    (ensure_plotly_js's answer), then the package's own file (the component PLOTLY_DIR). The plotly version in the
    query: a browser that cached another version's file fetches it again."""
    v = f"?v={plotly.__version__}"
    package = f"component/{PLOTLY_DIR}/{PLOTLY_JS.name}{v}"
    return ([f"app/static/{served.name}{v}"] if served is not None else []) + [package]


def loader_js(urls: list[str] | None = None) -> str:
    """The component's inline code, which Streamlit sends with every update: a few lines that import the real code
    (static/live_chart.js, ~5 KB) once per page and give it plotly.js's addresses (`urls`, plotly_urls' by default).
    Its content hash in the address: a changed file is fetched again."""
    version = hashlib.sha256(CHART_JS.read_bytes()).hexdigest()[:12]
    urls = PLOTLY_URLS if urls is None else urls
    return (f'const code = import(new URL("app/static/live_chart.js?v={version}", document.baseURI).href);\n'
            f"const plotly = {json.dumps(urls, separators=(',', ':'))};\n"
            "export default async function (component) { return (await code).default(component, plotly); }\n")


def serve_plotly_dir() -> None:
    """Have this server serve the plotly package's own directory (PLOTLY_DIR), as a v1 component's files (never
    drawn). Streamlit registers a component only in a script run: this module's import is in the page's first one,
    and if it was not (outside a server, nothing to register), the first chart drawn registers it."""
    global _plotly_dir
    if _plotly_dir is None and get_script_run_ctx(suppress_warning=True) is not None:
        _plotly_dir = components.declare_component("plotly_js", path=PLOTLY_JS.parent)  # named PLOTLY_DIR


PLOTLY_DIR = f"{__name__}.plotly_js"  # the component's name as Streamlit makes it: its module's, then its own
_plotly_dir = None  # the component, once registered
serve_plotly_dir()
PLOTLY_URLS = plotly_urls(ensure_plotly_js())
_component = st.components.v2.component("linviz_live_chart", js=loader_js(), isolate_styles=False)


def _numeric(obj) -> np.ndarray | None:
    """`obj` as a float32/int32 array if it is a numeric array (a trace's x, y, z), else None."""
    if isinstance(obj, (list, tuple)):
        if not obj or not all(isinstance(x, (int, float, np.number)) and not isinstance(x, bool) for x in obj):
            return None
        obj = np.asarray(obj)
    if not isinstance(obj, np.ndarray) or obj.dtype.kind not in "fiu" or obj.ndim not in (1, 2):
        return None
    if obj.dtype.kind in "iu" and (not obj.size or np.abs(obj).max() < 2**31):
        return np.ascontiguousarray(obj, "<i4")
    return np.ascontiguousarray(obj, "<f4")  # a projector needs no more than float32


def typed(a: np.ndarray) -> dict:
    """A numeric array as plotly.js's base64 typed array (a heatmap's z with its shape)."""
    spec = {"dtype": "i4" if a.dtype.kind == "i" else "f4", "bdata": base64.b64encode(a.tobytes()).decode()}
    return spec if a.ndim == 1 else {**spec, "shape": ",".join(map(str, a.shape))}


def _plain(obj):
    """Layout and trace settings to JSON-ready values: NaN and infinities to null, numpy scalars to Python."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray) and obj.ndim == 0:
        return _plain(obj[()])
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [_plain(x) for x in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def split_trace(trace: dict) -> tuple[dict, dict]:
    """A trace as (its numeric arrays, everything else). Nested arrays (a marker's colours) count as settings."""
    arrays, rest = {}, {}
    for k, v in trace.items():
        a = _numeric(v)
        if a is None:
            rest[k] = v
        else:
            arrays[k] = a
    return arrays, rest


def kept(old: np.ndarray, new: np.ndarray) -> int:
    """How many leading values of `new` equal `old`'s (bit for bit: NaN equals NaN). 2-D arrays: all or none."""
    if old.dtype != new.dtype or old.shape[1:] != new.shape[1:]:
        return 0
    if new.ndim == 2:
        return len(new) if old.shape == new.shape and old.tobytes() == new.tobytes() else 0
    m = min(len(old), len(new))
    diff = np.flatnonzero(old[:m].view(np.uint32) != new[:m].view(np.uint32))
    return int(diff[0]) if diff.size else m


class Sender:
    """One chart's key frame on the server side: what the browser holds, so that an update can send less."""

    def __init__(self):
        self.arrays, self.settings, self.frame, self.when = None, None, 0, 0.0
        self.base = None  # the key frame as sent (JSON of its traces): young updates carry it again
        self.gone, self.gone_at = False, 0.0  # whether (and since when) the last key frame has left the server
        self.tails = 0  # updates sent (not key frames)

    def payload(self, fig: dict, key_frame: bool = False, now: float | None = None, gone: bool = True) -> dict:
        """What the component receives for `fig` ({"data", "layout"}, plain dicts): a key frame, or the tails.

        `gone`: whether everything this session queued before has been taken for sending. An update may lose its
        key frame on the way: Streamlit's queue keeps only the newest message per element (an update queued behind
        its key frame replaces it), and a browser that gets two messages for one chart close together runs the
        component once, with the newer. So an update also carries its key frame (`base`) until the frame has left
        the server and SETTLE_S more have passed; only then does it carry the new values alone."""
        now = time.perf_counter() if now is None else now
        if gone and not self.gone:  # everything queued before, the key frame included, has left
            self.gone, self.gone_at = True, now
        split = [split_trace(t) for t in fig.get("data", ())]
        arrays, settings = [a for a, _ in split], _plain([s for _, s in split])
        layout = json.dumps(_plain(fig.get("layout", {})), separators=(",", ":"), allow_nan=False)
        delta = None
        if (not key_frame and self.arrays is not None and settings == self.settings
                and now - self.when < KEYFRAME_S):
            delta = self._tails(arrays)
        if delta is None:  # a key frame: the whole figure
            self.arrays, self.settings, self.when, self.frame, self.gone = arrays, settings, now, next(_SEQ), False
            data = [{**s, **{k: typed(a) for k, a in arr.items()}} for arr, s in zip(arrays, settings)]
            self.base = json.dumps(data, separators=(",", ":"), allow_nan=False)
            figure = f'{{"frame":{self.frame},"whole":true,"data":{self.base}}}'
        else:
            self.tails += 1
            young = not self.gone or now - self.gone_at < SETTLE_S
            base = f',"base":{self.base}' if young else ""
            tails = json.dumps(delta, separators=(",", ":"))
            figure = f'{{"frame":{self.frame},"whole":false,"data":{tails}{base}}}'
        return {"figure": figure, "layout": layout, "seq": next(_SEQ)}

    def _tails(self, arrays: list[dict]) -> list[dict] | None:
        """Per trace and array: nothing where it equals the key frame's; [n, the values after the first n in
        base64] (the key frame's dtype) where a 1-D array kept n > 0 of them; else the whole array. None when a key
        frame costs little more (most of the values changed, or arrays came or went)."""
        out, sent, whole = [], 0, 0
        for old, new in zip(self.arrays, arrays):
            if old.keys() != new.keys():
                return None
            trace = {}
            for k, a in new.items():
                n, whole = kept(old[k], a), whole + a.nbytes
                if n == len(a) == len(old[k]):
                    continue  # unchanged (a heatmap's z, a target line, the x of a chart whose points move)
                trace[k] = [n, base64.b64encode(a[n:].tobytes()).decode()] if n and a.ndim == 1 else typed(a)
                sent += a[n:].nbytes
            out.append(trace)
        return out if sent <= whole / 2 else None


def figure_dict(fig) -> dict:
    """A go.Figure's own dicts as the builders made them (charts.make_figure skips validation; to_plotly_json would
    validate and copy every array first, many times the cost of sending it), or a {"data", "layout"} dict."""
    return {"data": list(fig._data), "layout": fig._layout} if hasattr(fig, "_data") else fig


def decode(payload: dict, base: dict | None = None) -> dict:
    """The figure a payload carries, typed arrays decoded to numpy; an update's tails are applied to `base`, the
    decoded key frame it refers to. As the browser does (live_chart.js); for tests."""
    def dec(obj):
        if isinstance(obj, dict):
            if "bdata" in obj:
                a = np.frombuffer(base64.b64decode(obj["bdata"]), dtype="<" + obj["dtype"])
                return a.reshape([int(n) for n in obj["shape"].split(",")]) if "shape" in obj else a
            return {k: dec(v) for k, v in obj.items()}
        return [dec(x) for x in obj] if isinstance(obj, list) else obj
    body, layout = dec(json.loads(payload["figure"])), json.loads(payload["layout"])
    if body["whole"]:
        return {"frame": body["frame"], "data": body["data"], "layout": layout}
    if "base" in body:  # a young update carries its key frame
        base = {"frame": body["frame"], "data": body["base"]}
    assert base is not None and base["frame"] == body["frame"], "an update needs the key frame it refers to"

    def join(old, d):
        return np.concatenate([old[:d[0]], np.frombuffer(base64.b64decode(d[1]), old.dtype)]) if isinstance(
            d, list) else d
    data = [{**b, **{k: join(b[k], d) for k, d in t.items()}} for b, t in zip(base["data"], body["data"])]
    return {"frame": body["frame"], "data": data, "layout": layout}


def live_chart(slot, fig, key: str, uirevision: str) -> None:
    """Draw `fig` (a go.Figure or {"data", "layout"}) into `slot` under `key`: mounted on a session's first draw,
    updated in place after that, taller in the presenter view. `uirevision`: keep it while the chart shows the same
    quantities (the user's zoom survives updates); change it (another run, a log axis) to let the chart rescale."""
    fig = figure_dict(fig)
    layout = {**fig.get("layout", {}), "uirevision": uirevision}
    layout["height"] = presenter.chart_height(layout.get("height"))  # taller on a projector
    fig = {**fig, "layout": layout}
    senders = st.session_state.setdefault(STATE, {})
    sender = senders.setdefault(key, Sender())
    again = reuse_key(key)
    payload = {**sender.payload(fig, key_frame=not again, gone=all_sent()), "key": key}
    serve_plotly_dir()
    with slot:
        _component(key=key, data=payload, height="content")
