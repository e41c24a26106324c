"""User text shown on the page goes through here: Streamlit renders messages as Markdown, so a typed
`![x](http://...)` would make every viewer's browser fetch an image, `**x**` would restyle the page, and a bare
`http://...`, `www.x.org` or `a@b.org` would become a clickable link (GitHub-flavoured Markdown links those even
when every character is escaped)."""
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_AUTOLINK = re.compile(r"(?i)(:|@|www(?=\\\.))")  # scheme separators, e-mail @, and "www."
_ZWSP = "\u200b"  # an invisible break: the text reads the same, but no longer matches a link


def md_escape(text: str) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX/emoji) special character, and break autolinks.

    >>> md_escape("![x](http://evil/x.png) **bold** <b>").replace(_ZWSP, "~")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\:~//evil/x\\\\.png\\\\) \\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    """
    return _AUTOLINK.sub(lambda m: m.group(1) + _ZWSP, _MARKDOWN.sub(r"\\\1", text))
