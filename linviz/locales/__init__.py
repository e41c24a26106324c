"""One module per language: STRINGS, a dict key -> text with the same keys in each (tests/test_i18n.py checks)."""
