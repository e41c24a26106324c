"""The live chart's payloads (what the browser receives, read back without a browser the way live_chart.js reads
them), the key frames and tails that keep updates small, and drawing one key many times in a script run.
Reference values come from the History view the figure was built from. The live loop's helpers: test_live_loop.py."""
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import plotly
import pytest
from helpers_figures import arr
from helpers_page import app, charts
from hypothesis import given
from hypothesis import strategies as st

from linviz import RunConfig, Trainer
from linviz.history import History
from linviz_app import live_chart
from linviz_app.charts import MAX_POINTS, loss_figure, weights_figure
from linviz_app.live_chart import KEYFRAME_S, SETTLE_S, Sender, decode, figure_dict, kept

ROOT = Path(__file__).resolve().parents[1]
CFG = RunConfig(true_weights=(2.0, 3.0, 4.0, 7.0), epochs=12)


def history(cfg: RunConfig = CFG, epochs: int | None = None) -> History:
    t, h = Trainer(cfg), History(cfg.n_weights)
    h.append(t.state)
    for _ in range(cfg.epochs if epochs is None else epochs):
        h.append(t.step())
    return h


def stream(figs, times=None):
    """Send figures through one Sender as the live loop does (the first a key frame) and decode each the way the
    browser does: each update applied to the key frame it names."""
    s, frames, out = Sender(), {}, []
    for n, fig in enumerate(figs):
        p = s.payload(figure_dict(fig), key_frame=n == 0, now=None if times is None else times[n])
        body = json.loads(p["figure"])
        got = decode(p, frames.get(body["frame"]))
        if body["whole"]:
            frames[body["frame"]] = got
        out.append((body["whole"], len(p["figure"]), got))
    return out


def test_a_key_frame_carries_every_epoch_and_weight_of_the_figure():
    v = history().view()
    ((whole, _, fig),) = stream([weights_figure(v, CFG.true_weights)])
    assert whole
    lines = [t for t in fig["data"] if t.get("showlegend") is not False]
    assert [t["name"] for t in lines] == ["w1 → 2", "w2 → 3", "w3 → 4", "w4 → 7"]
    assert list(lines[0]["x"]) == list(range(13))
    np.testing.assert_allclose(lines[3]["y"], v["weights"][:, 3], rtol=1e-6)  # float32 on the wire


def test_updates_during_a_run_send_only_the_new_epochs_and_decode_to_the_same_figure():
    h, cfg = History(4), CFG.replace(epochs=200)  # a lecture's run: 200 epochs at 20 epochs/s, redrawn 20 times a second
    t = Trainer(cfg)
    h.append(t.state)
    figs = []
    for _ in range(200):
        h.append(t.step())
        figs.append(loss_figure(h.view()))
    sent = stream(figs, times=[0.05 * n for n in range(200)])
    wholes = [n for n, (whole, _, _) in enumerate(sent) if whole]
    assert wholes[0] == 0 and len(wholes) <= 10  # when a tail would outweigh half a key frame (~log2(200)), every 2 s
    every_time = sum(len(Sender().payload(figure_dict(f), key_frame=True)["figure"]) for f in figs)
    assert sum(size for _, size, _ in sent) < every_time / 3, "updates are much smaller than whole figures"
    # (measured: 3.1x smaller; an update carries its key frame again for SETTLE_S after the frame has left)
    for (_, _, got), fig in zip(sent, figs):  # every update, applied to its key frame, is the figure itself
        want = figure_dict(fig)["data"]
        for g, w in zip(got["data"], want):
            np.testing.assert_array_equal(arr(g["x"]), np.asarray(w["x"]))
            np.testing.assert_allclose(arr(g["y"]), np.asarray(w["y"], np.float32), equal_nan=True)


def test_a_key_frame_goes_out_every_few_seconds_and_when_a_trace_setting_changes():
    v = history().view()
    a = figure_dict(loss_figure(v))
    b = {**a, "data": [{**a["data"][0], "name": "renamed"}, *a["data"][1:]]}
    k = KEYFRAME_S
    wholes = [w for w, _, _ in stream([a, a, a, a, b, b], times=[0, 0.1, k + 0.2, k + 0.3, k + 0.4, k + 0.5])]
    assert wholes == [True, False, True, False, True, False]  # first; KEYFRAME_S later; a trace renamed
    layout_only = {**a, "layout": {**a["layout"], "yaxis": {"type": "linear"}}}  # a log toggle: layout, no frame
    assert [w for w, _, _ in stream([a, layout_only], times=[0, 0.1])] == [True, False]


def test_points_that_all_move_go_as_a_key_frame_and_a_growing_thinned_history_as_tails():
    moved = [{"data": [{"type": "scatter", "x": np.arange(50.0) * k, "y": np.arange(50.0) * k}], "layout": {}}
             for k in (1, 2)]  # every point moves
    assert [w for w, _, _ in stream(moved, times=[0, 0.1])] == [True, True]
    cfg = CFG.replace(epochs=3 * MAX_POINTS)
    t, h = Trainer(cfg), History(cfg.n_weights)
    h.append(t.state)
    grown = []
    for n in (2 * MAX_POINTS, 2 * MAX_POINTS + 40):  # thinned to every k-th epoch: the same points stay
        while h.last.epoch < n:
            h.append(t.step())
        grown.append(loss_figure(h.view()))
    (_, _, _), (whole, _, got) = stream(grown, times=[0, 0.1])
    assert not whole
    np.testing.assert_array_equal(got["data"][0]["x"], figure_dict(grown[1])["data"][0]["x"])


def test_an_unchanged_heatmap_is_not_resent_and_a_changed_one_is_sent_whole():
    z = np.arange(600.0).reshape(20, 30)
    figs = [{"data": [{"type": "heatmap", "z": z2}, {"type": "scatter", "x": np.arange(n), "y": np.arange(n)}],
             "layout": {}} for z2, n in ((z, 100), (z, 101), (z + 1, 102))]
    s = Sender()
    bodies = [json.loads(s.payload(f, key_frame=i == 0, now=0.0)["figure"]) for i, f in enumerate(figs)]
    assert [b["whole"] for b in bodies] == [True, False, True]  # the changed z outweighs the rest: a key frame
    assert "z" not in bodies[1]["data"][0]  # unchanged: the browser keeps the key frame's (live_chart.js)
    assert bodies[1]["data"][1]["x"][0] == 100  # 100 values kept, one new


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=30),
       st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=30))
def test_kept_is_the_longest_common_prefix_bit_for_bit(old, new):
    a, b = np.array(old, "<f4"), np.array(new, "<f4")
    n = kept(a, b)  # brute force: compare the bytes of each leading value
    brute = 0
    while brute < min(len(a), len(b)) and a[brute].tobytes() == b[brute].tobytes():
        brute += 1
    assert n == brute


def test_numbers_travel_as_typed_arrays_and_nan_as_null_never_as_invalid_json():
    v = history().view()
    v["loss"][3] = np.nan  # e.g. a log axis's zero
    p = Sender().payload(figure_dict(loss_figure(v)), key_frame=True)
    raw = json.loads(p["figure"])  # strict JSON: NaN would not parse in a browser
    assert "NaN" not in p["figure"] + p["layout"]
    assert raw["data"][0]["y"]["dtype"] == "f4"
    assert "bdata" in raw["data"][0]["x"]
    assert np.isnan(arr(raw["data"][0]["y"])[3])


def test_the_layout_keeps_plain_lists_and_a_heatmap_its_shape():
    z = np.arange(6, dtype=float).reshape(2, 3)
    fig = {"data": [{"type": "heatmap", "z": z}, {"type": "scatter", "x": [0, 1], "y": [1.0, float("nan")]}],
           "layout": {"xaxis": {"range": [0, 5]}, "title": {"text": "t"}, "uirevision": "run1"}}
    out = decode(Sender().payload(fig, key_frame=True))
    assert out["layout"]["xaxis"]["range"] == [0, 5]  # plotly.js reads an axis range only as a plain list
    assert out["layout"]["uirevision"] == "run1"
    np.testing.assert_array_equal(out["data"][0]["z"], z)
    assert np.isnan(out["data"][1]["y"][1])


def test_plotly_js_and_the_charts_code_are_served_by_this_server_not_a_cdn():
    served = live_chart.ensure_plotly_js()
    assert served.parent.name == "static"
    assert served.read_bytes() == live_chart.PLOTLY_JS.read_bytes()
    loader = live_chart.loader_js()  # what travels with every update: a few lines, not the chart code
    assert len(loader) < 400
    assert 'import(new URL("app/static/live_chart.js?v=' in loader
    assert "cdn" not in (loader + live_chart.CHART_JS.read_text()).lower()
    # plotly.js's addresses, tried in turn by the page: the static copy, then the package's own file
    assert json.dumps(live_chart.plotly_urls(served), separators=(",", ":")) in loader
    v = plotly.__version__
    assert live_chart.plotly_urls(served) == [f"app/static/plotly.min.js?v={v}",
                                              f"component/linviz_app.live_chart.plotly_js/plotly.min.js?v={v}"]
    assert live_chart.plotly_urls(None) == [f"component/linviz_app.live_chart.plotly_js/plotly.min.js?v={v}"]


def test_the_static_copy_is_readable_by_any_user_replaces_an_unreadable_one_and_is_renamed_into_place(
        tmp_path, monkeypatch):
    monkeypatch.setattr(live_chart, "STATIC", tmp_path)
    target = tmp_path / "plotly.min.js"
    old_mask = os.umask(0o077)  # a strict umask makes no difference: the copy is for the server, whoever runs it
    try:
        for before in (None, 0o600, "other"):  # none yet; one an older version wrote (0600); an older plotly's
            if before == 0o600:
                shutil.copyfile(live_chart.PLOTLY_JS, target)
                target.chmod(0o600)
            elif before == "other":
                target.write_text("// plotly.js 1.0")
                target.chmod(0o644)
            assert live_chart.ensure_plotly_js() == target
            assert stat.S_IMODE(target.stat().st_mode) == 0o644, before
            assert target.read_bytes() == live_chart.PLOTLY_JS.read_bytes()
            inode = target.stat().st_ino
            assert live_chart.ensure_plotly_js() == target and target.stat().st_ino == inode  # a good copy stays
            target.unlink()
        with ThreadPoolExecutor(4) as pool:  # servers starting at once: each writes a name of its own, then renames
            assert set(pool.map(lambda _: live_chart.ensure_plotly_js(), range(4))) == {target}
    finally:
        os.umask(old_mask)
    assert [p.name for p in tmp_path.iterdir()] == ["plotly.min.js"]  # no temporary file left behind
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_bytes() == live_chart.PLOTLY_JS.read_bytes()


AS_ANOTHER_USER = """
import json, sys
from pathlib import Path
from linviz_app import live_chart
live_chart.STATIC = Path(sys.argv[1])
served = live_chart.ensure_plotly_js()
print(json.dumps([served and str(served), live_chart.plotly_urls(served)]))
"""


@pytest.mark.parametrize("copy", ["none", "unreadable"])
def test_a_read_only_static_dir_that_another_user_wrote_needs_no_copy_the_package_serves_plotly_js(copy):
    """static/ read-only, with no copy or one its server's user cannot read (another user's 0600): no copy is
    written, none is served, and the page loads the plotly package's own file. As `nobody` when this test is root
    (root may write anywhere); else as this user, with a copy of mode 0 for an unreadable one."""
    where = Path(tempfile.mkdtemp(prefix="linviz-static-"))  # not pytest's tmp_path: nobody cannot reach it
    static = where / "static"
    try:
        static.mkdir()
        if copy == "unreadable":
            shutil.copyfile(live_chart.PLOTLY_JS, static / "plotly.min.js")
            (static / "plotly.min.js").chmod(0o600 if os.geteuid() == 0 else 0)
        where.chmod(0o755)
        static.chmod(0o555)
        before = sorted(p.name for p in static.iterdir())
        user = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            assert shutil.which("setpriv"), "setpriv (util-linux) runs this test's import as nobody"
            user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
        out = subprocess.run([*user, sys.executable, "-c", AS_ANOTHER_USER, str(static)], cwd=ROOT, check=False,
                             text=True, capture_output=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        assert out.returncode == 0, out.stderr[-2000:]
        served, urls = json.loads(out.stdout.splitlines()[-1])
        assert served is None
        assert urls == [f"component/{live_chart.PLOTLY_DIR}/plotly.min.js?v={plotly.__version__}"]
        assert sorted(p.name for p in static.iterdir()) == before  # nothing written, nothing left behind
    finally:
        static.chmod(0o755)
        shutil.rmtree(where)


def test_the_package_directory_is_declared_under_the_name_its_address_uses(monkeypatch):
    """Streamlit serves a v1 component's files at component/<its module>.<its name>/<file>; the page's address for
    the package's own plotly.min.js (plotly_urls) counts on that name. Registered once, in a script run."""
    monkeypatch.setattr(live_chart, "_plotly_dir", None)
    monkeypatch.setattr(live_chart, "get_script_run_ctx", lambda **_: None)
    live_chart.serve_plotly_dir()  # outside a script run: nothing to register with
    assert live_chart._plotly_dir is None
    monkeypatch.setattr(live_chart, "get_script_run_ctx", lambda **_: object())
    live_chart.serve_plotly_dir()
    component = live_chart._plotly_dir
    assert component.name == live_chart.PLOTLY_DIR == "linviz_app.live_chart.plotly_js"
    assert Path(component.abspath) == live_chart.PLOTLY_JS.parent
    live_chart.serve_plotly_dir()
    assert live_chart._plotly_dir is component  # once


def test_settings_with_numpy_scalars_and_zero_dimensional_arrays_travel_as_plain_json():
    fig = {"data": [{"type": "scatter", "x": np.arange(3), "y": np.ones(3), "showlegend": np.bool_(False),
                     "opacity": np.float32(0.5), "marker": {"size": np.array(7)}}], "layout": {"width": np.int64(3)}}
    out = decode(Sender().payload(fig, key_frame=True))
    assert out["data"][0]["showlegend"] is False and out["data"][0]["opacity"] == 0.5
    assert out["data"][0]["marker"]["size"] == 7 and out["layout"]["width"] == 3


class CoalescingQueue:
    """Streamlit's outgoing queue as far as live charts care: the newest message per element replaces an unsent
    one (checked against the real ForwardMsgQueue below); `flush` sends everything queued."""

    def __init__(self):
        self.queued = {}

    def enqueue(self, key, payload):
        self.queued[key] = payload

    def flush(self):
        out, self.queued = list(self.queued.items()), {}
        return out


def test_streamlits_queue_keeps_only_the_newest_message_per_element():
    """The model above: two deltas for one element, queued before a send, leave one message, the newer."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    q = ForwardMsgQueue()
    for text in ("key frame", "update"):
        msg = ForwardMsg()
        msg.metadata.delta_path[:] = [0, 4]
        msg.delta.new_element.markdown.body = text
        q.enqueue(msg)
    assert [m.delta.new_element.markdown.body for m in q.flush()] == ["update"]


@given(st.lists(st.sampled_from(["draw", "draw", "draw", "send", "render"]), min_size=1, max_size=80))
def test_the_browser_can_decode_every_update_it_gets_however_messages_are_coalesced(events):
    """Redraws of a growing run (0.1 s apart), the server's sends and the browser's renders in any order. Both
    sides coalesce: the server's queue keeps the newest message per chart, and the browser renders only the
    newest message it has (it renders within SETTLE_S of a message's arrival, as a live page does). Every update
    the browser renders decodes, and in the end it shows the last figure drawn."""
    cfg = CFG.replace(epochs=len(events) + 1)
    t, h = Trainer(cfg), History(cfg.n_weights)
    h.append(t.state)
    sender, queue, frames, inbox, shown, last, now = Sender(), CoalescingQueue(), {}, [], None, None, 0.0

    def render():  # as live_chart.js does: one key frame kept per chart, the newest message rendered
        nonlocal shown
        if not inbox:
            return
        p, body = inbox[-1][1], json.loads(inbox[-1][1]["figure"])
        inbox.clear()
        if body["whole"] or "base" in body:
            key_frame = {"frame": body["frame"], "whole": True, "data": body.get("base", body["data"])}
            frames["live_loss"] = decode({**p, "figure": json.dumps(key_frame)})
        assert frames.get("live_loss", {}).get("frame") == body["frame"], "its key frame never arrived"
        shown = decode(p, frames["live_loss"])

    for event in events + ["send", "render"]:
        now += 0.1
        if inbox and now - inbox[0][0] >= SETTLE_S - 0.1:
            render()  # a live browser renders within SETTLE_S of a message's arrival
        if event == "draw":
            h.append(t.step())
            last = figure_dict(loss_figure(h.view(), log_y=False))
            queue.enqueue("live_loss", sender.payload(last, now=now, gone=not queue.queued))
        elif event == "send":
            inbox += [(now, p) for _, p in queue.flush()]
        else:
            render()
    if last is not None:
        np.testing.assert_allclose(shown["data"][0]["y"], np.asarray(last["data"][0]["y"], np.float32))


def test_the_page_draws_its_live_charts_in_place_many_times_in_one_script_run():
    """A paced run under AppTest redraws the same two keys many times in one script run, as updates (tails)
    after a key frame (Streamlit refuses a key twice in a run without st_internals.reuse_key: if a Streamlit
    upgrade changes its internals, this fails)."""
    at = app({"epochs": "15"})
    at.select_slider(key="speed").set_value(20).run()
    at.button(key="btn_train").click().run()
    assert not at.exception
    assert at.session_state["live"].state.epoch == 15
    senders = at.session_state[live_chart.STATE]
    assert senders["live_loss"].tails > 3, "redrawn in place mid-run, sending only the new epochs"
    (loss,) = charts(at, "Loss", exact=True)
    assert arr(loss["data"][0]["x"])[-1] == 15
    assert len(at.get("bidi_component")) == 2
    assert [el.key for el in at.get("plotly_chart")] == ["lr_band"]  # the sidebar's band only: not redrawn live
