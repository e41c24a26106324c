"""WIP: sections of the locale files, written side by side, merged into en.py / zh.py before landing."""
from importlib import import_module
from pathlib import Path


def merged(lang: str) -> dict:
    out = {}
    for p in sorted(Path(__file__).parent.glob(f"*_{lang}.py")):
        out |= import_module(f"linviz.locales.parts.{p.stem}").STRINGS
    return out
