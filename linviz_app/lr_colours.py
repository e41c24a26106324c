"""One look for the runs of an lr sweep, the ladder's included, on every tab: a name and a colour per lr.

The Training tab (sweep_charts.py), the ladder (ladder_tab.py, lr_charts.py), the Data tab and the landscape all draw
a sweep's run r as `lr_styles(lrs)[r]`: the same lr has the same colour and the same label wherever a student looks.
Colours are the page's palette (charts.PALETTE, colour-blind safe) in the sweep's order, repeating after 12 runs (more
runs than that are drawn as heatmaps, without colours); names are "lr 1e-5" ("学习率 1e-5") in the page's language.
"""
from linviz.say import say
from linviz.text import fmt_number
from linviz_app.charts import PALETTE
from linviz_app.i18n import current


def lr_colours(n: int) -> list[str]:
    """The colours of a sweep's n runs, in its order.

    >>> lr_colours(2)
    ['#0072B2', '#D55E00']
    """
    return [PALETTE[r % len(PALETTE)] for r in range(n)]


def lr_labels(lrs, lang: str | None = None) -> list[str]:
    """One name per run ("lr 1e-5"), in the page's language or `lang`."""
    lang = lang or current()
    return [say(lang, "tabs.sweep.lr_name", lr=fmt_number(lr)) for lr in lrs]


def lr_styles(lrs, lang: str | None = None) -> tuple[list[str], list[str]]:
    """(names, colours) of a sweep's runs, one of each per lr: the one look every tab gives them.

    >>> lr_styles([1e-5, 3e-5])
    (['lr 1e-5', 'lr 3e-5'], ['#0072B2', '#D55E00'])
    """
    return lr_labels(lrs, lang), lr_colours(len(lrs))
