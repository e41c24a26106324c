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
// A tab's pair of charts (the Training tab's loss and weights, the Data tab's two) fills the height left below it in
// the window: on a 1280x720 projector as on a 1080p screen, and stacked in two rows on a phone, the charts end
// above the window's bottom edge (or above the phone's bar of controls, linviz_app/layout.py). Other charts keep
// the height their figure asks for.
const FIT = ".st-key-chart_pair, .st-key-data_pair";
const MIN_H = 170, NARROW = 420; // px: no fitted chart is shorter (a narrow one: 30 less); narrower than NARROW,
// a chart has no mode bar
const scroller = () => document.querySelector("[data-testid=stMain]") || document.scrollingElement;
const fitHeight = (div, wanted) => {
  const pair = div.closest(FIT);
  if (!pair || !div.isConnected) return wanted;
  const cols = [...pair.querySelectorAll("[data-testid=stColumn]")];
  if (!cols.length) return wanted;
  const lefts = new Set(cols.map((c) => Math.round(c.getBoundingClientRect().left)));
  const rows = Math.max(1, Math.round(cols.length / lefts.size));
  const main = scroller(), top = pair.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop;
  const bar = document.querySelector(".st-key-controls");
  const below = bar && getComputedStyle(bar).position === "fixed" ? bar.getBoundingClientRect().height : 0;
  const col = div.closest("[data-testid=stColumn]"); // what the column holds above the chart (a column stretches
  const extra = col ? Math.max(0, div.getBoundingClientRect().top - col.getBoundingClientRect().top) + 4 : 4; // to its row)
  const gap = parseFloat(getComputedStyle(pair.querySelector("[data-testid=stHorizontalBlock]") || pair).rowGap) || 0;
  const room = (window.innerHeight - top - below - 10 - gap * (rows - 1)) / rows - extra;
  const width = div.getBoundingClientRect().width || window.innerWidth;
  return Math.round(Math.max(width < NARROW ? MIN_H - 30 : MIN_H, Math.min(room, 1.5 * width)));
};
// A fitted chart shorter than its figure asks, or narrower than NARROW, gets smaller type and margins, and its legend
// (below the plot: charts.base_layout) is placed in pixels below the axis, not in fractions of a shorter plot.
const shaped = (div, layout) => {
  const wanted = layout.height || 450, h = fitHeight(div, wanted);
  const out = { ...layout, height: h, margin: { ...(layout.margin || {}) } };
  out.modebar = { orientation: "v", ...(layout.modebar || {}) }; // at the side: never over a title
  const width = div.getBoundingClientRect().width || window.innerWidth;
  const legend = layout.legend || {};
  if (h === wanted || !(legend.orientation === "h" && legend.y < 0)) return out;
  const small = h < 360 || width < NARROW, tiny = h < 240, k = tiny ? 0.68 : small ? 0.8 : 1, m = out.margin;
  const rows = Math.max(1, Math.round(((m.b || 101) - 75) / 26));
  const band = tiny ? 22 : small ? 46 : 60, row = tiny ? 15 : small ? 20 : 26;
  const size = (f, d) => ({ ...(f || {}), size: Math.round(((f && f.size) || d) * k) });
  Object.assign(m, { l: tiny ? 44 : small ? 56 : m.l, t: tiny ? 26 : small ? 40 : m.t, b: band + 8 + row * rows });
  out.font = size(layout.font, 17);
  if (layout.title) out.title = { ...layout.title, font: size(layout.title.font, 20) };
  for (const ax of ["xaxis", "yaxis"]) {
    const a = layout[ax];
    if (!a) continue; // a tiny chart (a small phone) drops its axis titles: the chart's title and legend say it
    const title = tiny ? { ...(a.title || {}), text: "" } : { ...(a.title || {}), font: size(a.title && a.title.font, 17) };
    out[ax] = { ...a, tickfont: size(a.tickfont, 15), title };
  }
  out.legend = { ...legend, font: size(legend.font, 15), y: -band / Math.max(40, h - m.t - m.b) };
  return out;
};
const config = (div) => ({ // no mode bar on a narrow chart (a phone): it would cover the title
  displaylogo: false, responsive: true, displayModeBar: div.getBoundingClientRect().width < NARROW ? false : "hover" });
const charts = new Set(); // the page's live charts, fitted again when the window or the page around them changes
const refit = () => {
  for (const div of charts) {
    if (!div.isConnected) { charts.delete(div); continue; }
    if (!div._fullLayout || !window.Plotly || div.__waiting) continue;
    const layout = shaped(div, div.__layout);
    const narrow = div.getBoundingClientRect().width < NARROW;
    if (Math.abs(layout.height - div._fullLayout.height) > 2 || narrow !== div.__narrow) {
      div.__narrow = narrow;
      div.style.height = layout.height + "px";
      Promise.resolve(window.Plotly.react(div, div.data, layout, config(div))).catch(() => {});
    }
  }
};
if (!window.__linvizFit) { // once per page: a resized window, a message above the charts, a folded sidebar
  window.__linvizFit = true;
  let pending = false;
  const soon = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; refit(); }); } };
  window.addEventListener("resize", soon);
  const watch = () => { // the page's blocks, and the phone's bar of controls (its height changes with its labels)
    const parts = [...document.querySelectorAll("[data-testid=stMainBlockContainer], .st-key-controls")];
    if (parts.length < 2) { setTimeout(watch, 200); return; }
    const seen = new ResizeObserver(soon);
    for (const el of parts) seen.observe(el);
  };
  watch();
}
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
  charts.add(div);
  div.__layout = layout; // the figure's own: fitted to the window again on a resize (refit)
  div.style.height = shaped(div, layout).height + "px";
  div.__next = { traces, layout }; // drawn at the next animation frame; a newer update replaces it unseen
  if (div.__waiting) return;
  div.__waiting = true;
  loadPlotly(plotlyUrls).then((Plotly) => requestAnimationFrame(() => {
    const { traces } = div.__next, layout = shaped(div, div.__next.layout);
    div.__waiting = false;
    if (div.__failed) div.textContent = ""; // the error text gives way to the chart
    div.__failed = false;
    div.style.height = layout.height + "px";
    Plotly.react(div, traces, layout, config(div));
  })).catch((e) => { div.__waiting = false; div.__failed = true; div.textContent = String(e); });
}
