"""A light student: one browser session of the dashboard, spoken in Streamlit's own websocket protocol (no browser).

It opens the page with a link's query, presses Train (the button's trigger, as a click sends it), and reads what
the server sends: the status line's epoch, and every update of the live charts (linviz_app/live_chart.py). A
hundred of these fit on a 2-core machine where a hundred Chromiums do not; bench_streaming.py checks one against
a real Chromium page first.

    async with Student(url, "weights=2,3,4,7&epochs=200") as s:
        await s.open(); await s.train(); await s.watch_until_done(timeout=120)

It works through `python -m linviz serve` too: like a browser it GETs the page first and sends the cookies it got
(the proxy's LINVIZ cookie picks its process) with the websocket; `server` names the process that took it.
"""
import asyncio
import http.cookiejar
import json
import re
import time
import urllib.request

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SERVER_HEADER = "X-Linviz-Server"  # added by the proxy of `python -m linviz serve`: which process answered
EPOCH = re.compile(r"Epoch ([\d,]+) of ([\d,]+)")


class Student:
    def __init__(self, url: str, query: str):
        self.url, self.query = url, query
        self.buttons: dict[str, str] = {}  # widget key -> element id
        self.epoch = self.epochs = 0
        self.chart_updates: list[tuple[float, str]] = []  # (time received, chart key)
        self.bytes = self.messages = 0
        self.trained_at = self.started_at = self.done_at = None  # Train pressed; epoch 1 on screen; the last
        self.finished_runs = 0  # script runs finished since the last rerun request
        self.text = ""  # every alert and markdown body seen (for errors and the waiting message)
        self.page_server = self.server = None  # the process that served the page, and the websocket (proxy only)
        self._ws = None
        self._reader = None

    async def __aenter__(self):
        """GET the page first, as a browser does, keeping its cookies (behind `python -m linviz serve` the proxy's
        LINVIZ cookie picks this student's process), then open the websocket with them."""
        cookie = await asyncio.to_thread(self._get_page)
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url, max_size=None,
                                           open_timeout=60, ping_interval=None,
                                           additional_headers={"Cookie": cookie} if cookie else None)
        self.server = self._ws.response.headers.get(SERVER_HEADER, self.server)
        self._reader = asyncio.create_task(self._read())
        return self

    def _get_page(self) -> str:
        """GET / with a fresh cookie jar (one per student, as separate browsers): the Cookie header to send."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.url + "/", timeout=60) as r:
            r.read()
            self.page_server = r.headers.get(SERVER_HEADER)
        return "; ".join(f"{c.name}={c.value}" for c in jar)

    async def __aexit__(self, *exc):
        self._reader.cancel()
        await self._ws.close()

    async def _read(self):
        async for raw in self._ws:
            self.bytes += len(raw)
            self.messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                self.finished_runs += 1
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)

    def _element(self, el):
        kind = el.WhichOneof("type")
        if kind == "button" and el.button.id:
            self.buttons[el.button.id.rsplit("-", 1)[-1]] = el.button.id
        elif kind == "bidi_component" and el.bidi_component.component_name.endswith("linviz_live_chart"):
            self.chart_updates.append((time.perf_counter(), json.loads(el.bidi_component.json)["key"]))
        elif kind == "plotly_chart" and "-loss_" in el.plotly_chart.id:  # the page before live charts
            self.chart_updates.append((time.perf_counter(), "live_loss"))
        elif kind in ("alert", "markdown"):
            body = el.alert.body if kind == "alert" else el.markdown.body
            self.text = (self.text + "\n" + body)[-4000:]
            m = EPOCH.search(body)
            if m:
                self.epoch, self.epochs = (int(g.replace(",", "")) for g in m.groups())
                if self.trained_at and self.epoch >= 1 and self.started_at is None:
                    self.started_at = time.perf_counter()
                if self.trained_at and self.epoch == self.epochs and self.done_at is None:
                    self.done_at = time.perf_counter()

    async def _rerun(self, widget_id: str | None = None):
        back = BackMsg()
        back.rerun_script.query_string = self.query
        if widget_id:
            w = back.rerun_script.widget_states.widgets.add()
            w.id, w.trigger_value = widget_id, True
        self.finished_runs = 0
        await self._ws.send(back.SerializeToString())

    async def open(self, timeout: float = 120):
        """Load the page: its first script run, which draws the buttons."""
        await self._rerun()
        await self._until(lambda: self.finished_runs and "btn_train" in self.buttons, timeout)

    async def train(self):
        self.trained_at, self.started_at, self.done_at, self.epoch = time.perf_counter(), None, None, 0
        await self._rerun(self.buttons["btn_train"])

    async def watch_until_done(self, timeout: float) -> bool:
        """Watch the run; True once the last epoch is on screen within `timeout` seconds."""
        try:
            await self._until(lambda: self.done_at is not None, timeout)
            return True
        except TimeoutError:
            return False

    async def _until(self, cond, timeout: float):
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError
            if self._reader.done():
                raise ConnectionError(f"the server closed the connection: {self._reader.exception()!r}")
            await asyncio.sleep(0.02)

    def updates_per_s(self, key: str = "live_loss") -> float:
        """Chart updates of `key` received per second between Train and the last epoch."""
        if not self.trained_at:
            return 0.0
        end = self.done_at or time.perf_counter()
        n = sum(1 for t, k in self.chart_updates if k == key and self.trained_at <= t <= end)
        return n / max(end - self.trained_at, 1e-9)
