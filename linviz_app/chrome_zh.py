"""Streamlit's own words on the Chinese page: its running indicator, main menu, input hints and chart tooltips.

The page's words are ours (linviz/locales/); the frame around them is Streamlit's and plotly.js's, which speak
English whatever the page does. `apply(lang)` gives the Chinese page (?lang=zh) a style sheet that reaches what CSS can
reach, by stable attributes (data-testid, plotly's data-title) only:
- a text we can say in Chinese is hidden (font-size 0) and said again by a ::after in the same place and size: the
  running indicator's Stop (停止) and Stopping... (正在停止…), the connection status (正在连接… / 连接已断开), the main
  menu's Print (打印), a text field's "Press Enter to apply" (按回车键应用), the keyboard user's "Skip to main content",
  and plotly's modebar tooltips (plotly.js writes them as `content: attr(data-title)`, so a rule per title says them);
- what does not matter to a student is hidden: the menu's other entries (record a screencast, whose dialog is English)
  and its "Made with Streamlit" footer, the element toolbars (full screen, a table's search and download: the page
  has its own download buttons) and plotly's "Double-click to zoom back out" notice.
What stays English is out of CSS's reach: screen readers' labels (aria-label "Running...", "Main menu") and a browser
dialog's text. `client.toolbarMode = "viewer"` (.streamlit/config.toml) already keeps the developer's menu away.
"""
import streamlit as st

from linviz_app.i18n import current

# (selector of the element whose own text is hidden, what it says in Chinese, its font size, its line height)
SAID_AGAIN = [
    ("[data-testid=stStatusWidget] button:not(:disabled)", "停止", "0.875rem", "1"),
    ("[data-testid=stStatusWidget] button:disabled", "正在停止…", "0.875rem", "1"),
    ("[data-testid=stConnectionStatus] label", "正在连接…", "0.875rem", "1.6"),
    ("[data-testid=stConnectionStatus]:has(path[d^='M3.09']) label", "连接已断开", "0.875rem", "1.6"),  # its warning icon
    ("[data-testid=stMainMenuItem-print] [data-testid=stMainMenuItemLabel]", "打印", "0.875rem", "1.7"),
    ("[data-testid=InputInstructions] > span:first-child", "按回车键应用", "0.75rem", "1.6"),
    ("[data-testid=stSkipToContent]", "跳到主要内容", "1rem", "1.6"),
]
HIDDEN = [
    "[data-testid^=stMainMenuItem-]:not([data-testid=stMainMenuItem-print])",  # recording (English dialog), others
    "[data-testid=stMainMenuList] ~ *",  # "Made with Streamlit v1.x" and its copy button
    "[data-testid=stElementToolbar]",  # full screen, a table's search and download: tooltips in English
    ".plotly-notifier",  # "Double-click to zoom back out"
]
MODEBAR = {  # plotly.js's modebar tooltips (data-title) on a 2-D chart, and what they say in Chinese
    "Download plot as a png": "下载为 PNG 图片", "Download plot": "下载图表", "Zoom": "缩放", "Pan": "平移",
    "Box Select": "框选", "Lasso Select": "套索选择", "Zoom in": "放大", "Zoom out": "缩小", "Autoscale": "自动缩放",
    "Reset axes": "重置坐标轴", "Toggle Spike Lines": "显示或隐藏辅助线", "Show closest data on hover": "悬停时显示最近的数据",
    "Compare data on hover": "悬停时比较数据", "Reset view": "重置视图", "Produced with Plotly.js": "由 Plotly.js 绘制",
}


def css() -> str:
    """The Chinese page's style sheet for Streamlit's and plotly.js's own words."""
    rules = []
    for selector, text, size, line in SAID_AGAIN:
        rules.append(f"{selector} {{font-size: 0 !important;}}")
        rules.append(f'{selector}::after {{content: "{text}"; font-size: {size}; line-height: {line};}}')
    rules.append(",\n".join(HIDDEN) + " {display: none !important;}")
    for title, text in MODEBAR.items():
        rules.append(f'.js-plotly-plot .plotly .modebar [data-title="{title}"]::after {{content: "{text}" !important;}}')
    return "<style>\n" + "\n".join(rules) + "\n</style>"


CSS = css()  # built once, from the constants above: nothing a user sends reaches it


def apply(lang: str | None = None) -> None:
    """On the Chinese page, Streamlit's own words in Chinese (or hidden where they do not matter); nothing in
    English. `lang`: the page's language (i18n.current() by default). Call once per script run, before the page's
    elements (dashboard.main, after presenter.apply)."""
    if (lang or current()) == "zh":
        st.html(CSS)
