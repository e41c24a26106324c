"""One module per language, each with `STRINGS`: the same keys, the page's words in that language (i18n.py)."""
