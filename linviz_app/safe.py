"""User text shown on the page goes through here: Streamlit renders messages as Markdown, so a typed
`![x](http://...)` would make every viewer's browser fetch an image, and `**x**` would restyle the page."""
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX/emoji) special character.

    >>> md_escape("![x](http://evil/x.png) **bold** <b>")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\://evil/x\\\\.png\\\\) \\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    """
    return _MARKDOWN.sub(r"\\\1", text)
