"""Every sentence linviz says, in each language: one module per language in linviz/locales/ (en.py, zh.py), each a
dict with the same keys, so a third language is one more file.

The core says things with `Msg(key, **values)`: a `str` holding the English text, so the CLI, JSON files and every
`str` use read it as before, that also keeps its key and values, so the page can say it in its own language with
`say_in(msg, lang)`. A value that is itself a Msg (a field's name inside an error) is said in the same language.

>>> m = Msg("allowed.int", lo="1", hi="10")
>>> m, say_in(m, "zh")
('a whole number from 1 to 10', '介于 1 到 10 之间的整数')
"""
from importlib import import_module

LANGS = {"en": "English", "zh": "中文"}  # code -> the language's own name
TEXTS = {code: import_module(f"linviz.locales.{code}").STRINGS for code in LANGS}


class Msg(str):
    """English text that can be said again in another language (see the module's doc)."""

    def __new__(cls, key: str, /, **values):
        self = super().__new__(cls, say("en", key, **values))
        self.key, self.values = key, values
        return self

    def __reduce__(self):  # pickle and copy rebuild it from its key and values (st.cache_data pickles results)
        return _rebuild, (self.key, self.values)


def _rebuild(key: str, values: dict) -> Msg:
    return Msg(key, **values)


def say(lang: str, key: str, /, **values) -> str:
    """`key`'s text in `lang`, with `values` (Msg values said in `lang` too) filled in."""
    text = TEXTS[lang][key]
    return text.format(**{k: say_in(v, lang) for k, v in values.items()}) if values else text


def say_in(text, lang: str):
    """A Msg said in `lang`; anything else (a number, a user's own text) as it is."""
    return say(lang, text.key, **text.values) if isinstance(text, Msg) else text


def lang_code(text) -> str | None:
    """A language as a link or a browser names it -> one of LANGS, or None: "zh", "zh-CN", "ZH_tw", "cn" -> "zh".

    >>> lang_code("zh-CN"), lang_code("EN"), lang_code("fr"), lang_code(None)
    ('zh', 'en', None, None)
    """
    if not isinstance(text, str):
        return None
    code = text.strip().lower().replace("_", "-").split("-")[0]
    code = {"cn": "zh"}.get(code, code)
    return code if code in LANGS else None
