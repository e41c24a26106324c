// linviz live chart (linviz_app/live_chart.py): mount a Plotly figure once, then update it in place (Plotly.react),
// so the user's zoom, pan and legend clicks survive (layout.uirevision). An update carries a key frame (the whole
// figure) or, per array, how many values of the key frame stay and the new tail; key frames are kept per chart
// key, across remounts. Loaded once per page from this server (the component's inline code is a small loader).
// plotly.js: the page's if loaded, else once per page from this server: the addresses the loader passes
// (live_chart.py's plotly_urls: the static copy, then the plotly package's own file), tried in turn. A failure is
// not kept: the chart says why, and its next update tries again (at most once a second), then replaces the text.
const RETRY_MS = 1000;
const script = (url) => new Promise((resolve, reject) => {
  const s = document.createElement("script");
  s.src = new URL(url, document.baseURI).href;
  s.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error(url)));
  s.onerror = () => { s.remove(); reject(new Error(url)); };
  document.head.appendChild(s);
});
const loadPlotly = (urls) => { // one attempt at a time for all the page's charts
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__linvizPlotly) {
    const wait = (window.__linvizPlotlyFailed || 0) + RETRY_MS - Date.now();
    let p = wait > 0 ? new Promise((r) => setTimeout(r, wait)).then(() => Promise.reject()) : Promise.reject();
    for (const url of urls) p = p.catch(() => script(url));
    window.__linvizPlotly = p.catch(() => {
      window.__linvizPlotly = null; // forgotten: the next update tries again
      window.__linvizPlotlyFailed = Date.now();
      throw new Error(`plotly.js could not load from ${urls.join(" or ")}`);
    });
  }
  return window.__linvizPlotly;
};
const decode = (o) => {
  if (o && o.bdata !== undefined) {
    const b = atob(o.bdata), u = new Uint8Array(b.length);
    for (let i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
    return o.shape ? o : new (o.dtype === "i4" ? Int32Array : Float32Array)(u.buffer);
  }
  if (Array.isArray(o)) return o.map(decode);
  if (o && typeof o === "object") { const r = {}; for (const k in o) r[k] = decode(o[k]); return r; }
  return o;
};
const join = (a, d) => { // d: [keep, base64 tail] (the key frame's dtype), or a whole typed array
  if (!Array.isArray(d)) return decode(d);
  const tail = decode({ bdata: d[1], dtype: a instanceof Int32Array ? "i4" : "f4" });
  const out = new a.constructor(d[0] + tail.length);
  out.set(a.subarray(0, d[0])); out.set(tail, d[0]);
  return out;
};
export default function (component, plotlyUrls = ["app/static/plotly.min.js"]) {
  const { data, parentElement } = component;
  if (!data) return;
  let div = parentElement.querySelector(".linviz-live-chart");
  if (!div) {
    div = document.createElement("div");
    div.className = "linviz-live-chart";
    parentElement.appendChild(div);
    // plotly.js's `responsive` follows the window only: follow the column too (the sidebar folded, a wider page)
    new ResizeObserver(() => {
      if (div._fullLayout && div.isConnected && div.offsetParent && window.Plotly) {
        Promise.resolve(window.Plotly.Plots.resize(div)).catch(() => {}); // removed or hidden meanwhile: no matter
      }
    }).observe(div);
  }
  const frames = (window.__linvizFrames = window.__linvizFrames || {});
  const body = JSON.parse(data.figure), layout = JSON.parse(data.layout);
  let traces; // drawn as copies: Plotly.react writes the user's legend clicks into the traces it is given, and a
  // key frame that kept them would later undo them (uirevision compares them with what the user last set)
  if (body.whole) {
    frames[data.key] = { frame: body.frame, data: decode(body.data) };
    traces = frames[data.key].data.map((t) => ({ ...t }));
  } else {
    if (body.base) frames[data.key] = { frame: body.frame, data: decode(body.base) }; // a young update's key frame
    const kf = frames[data.key];
    if (!kf || kf.frame !== body.frame) return; // its key frame never arrived: the next one comes within 2 s
    traces = kf.data.map((t, i) => {
      const r = { ...t };
      for (const k in body.data[i]) r[k] = join(t[k], body.data[i][k]);
      return r;
    });
  }
  div.style.height = (layout.height || 450) + "px";
  div.__next = { traces, layout }; // drawn at the next animation frame; a newer update replaces it unseen
  if (div.__waiting) return;
  div.__waiting = true;
  loadPlotly(plotlyUrls).then((Plotly) => requestAnimationFrame(() => {
    const { traces, layout } = div.__next;
    div.__waiting = false;
    if (div.__failed) div.textContent = ""; // the error text gives way to the chart
    div.__failed = false;
    Plotly.react(div, traces, layout, { displaylogo: false, responsive: true });
  })).catch((e) => { div.__waiting = false; div.__failed = true; div.textContent = String(e); });
}
