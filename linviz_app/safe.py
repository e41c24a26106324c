"""What reaches a student's page, safely.

User text shown on the page goes through md_escape: Streamlit renders messages as Markdown, so a typed
`![x](http://...)` would make every viewer's browser fetch an image, `**x**` would restyle the page, and a bare
`http://...`, `www.x.org` or `a@b.org` would become a clickable link (GitHub-flavoured Markdown links those even
when every character is escaped).

The page's script run goes through run_page (dashboard.py's last line): a bug shows the student one friendly line in
the page's language, never a traceback, a file path or a source line; the server's log gets the traceback."""
import logging
import re
import time
from collections.abc import Callable

import streamlit as st

from linviz import env
from linviz_app.i18n import t, tr
from linviz_app.st_internals import is_rerun

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_AUTOLINK = re.compile(r"(?i)(:|@|www(?=\\\.))")  # scheme separators, e-mail @, and "www."
_ZWSP = "\u200b"  # an invisible break: the text reads the same, but no longer matches a link


def md_escape(text: str) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX/emoji) special character, and break autolinks.

    >>> md_escape("![x](http://evil/x.png) **bold** <b>").replace(_ZWSP, "~")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\:~//evil/x\\\\.png\\\\) \\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    """
    return _AUTOLINK.sub(lambda m: m.group(1) + _ZWSP, _MARKDOWN.sub(r"\\\1", text))


# --- the page's script run: no traceback, file path or source line ever reaches a student ----------------------------

_LOG = logging.getLogger("linviz.page")


def run_page(main: Callable[[], None]) -> None:
    """dashboard.py's script run: the server's bad environment variables named first (linviz/env.py: one error line
    each, in the page's language; the page goes on with the defaults), then `main`.

    An unexpected exception in `main` is written in full to the server's log (stderr) and the student reads one
    friendly line saying the log has the details: no exception type, message, file path or source line. (Streamlit
    shows none either, `client.showErrorDetails = "none"` in .streamlit/config.toml, for an error outside `main`,
    such as in a button's callback.) Streamlit's own interruptions (st.rerun, st.stop, a click's rerun) derive from
    BaseException and pass through untouched, as do KeyboardInterrupt and SystemExit."""
    try:
        env_errors_ui()
        main()
    except Exception as e:  # every bug: the student gets words, the log gets the traceback
        if _is_control_flow(e):
            raise
        _LOG.error("%s linviz: an uncaught exception in a page's script run (the student sees a short message; "
                   "the traceback follows)", time.strftime("%Y-%m-%d %H:%M:%S"), exc_info=e)
        st.error(t("page.crashed"))


def env_errors_ui() -> None:
    """One error line for each bad environment variable this page reads, and what the server uses instead."""
    for e in env.problems("page"):
        st.error(md_escape(t("page.env.bad", error=tr(e.message), fallback=tr(e.var.fallback))))


def _is_control_flow(e: BaseException) -> bool:
    """Streamlit's script-control exceptions (rerun, stop), by name: should one ever derive from Exception."""
    return is_rerun(e) or any(c.__name__ in ("ScriptControlException", "StopException", "RerunException")
                              for c in type(e).__mro__)
