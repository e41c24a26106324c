"""Every typed value is read as written or refused with words (issue 18).

A student types a setting the way they write it: `1e6`, `2E-5`, `+5`, `1,000,000`, with a Chinese input method's
full-width digits and `。` for the decimal point, with spaces around. Every door (a text box on the page, a link,
a CLI flag) reads it by the same rule, or names the field and what it allows, and the page's Train is off.

The oracle here is written apart from the code under test: the text is turned into ASCII by this file's own table
(`ascii_text`), then read by Python's `int()`/`float()`; only the field's limits come from the field table.
"""
import math
from dataclasses import replace

import pytest
from helpers_page import app, plain
from hypothesis import example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from linviz import ConfigError, RunConfig
from linviz.checks import check_machine
from linviz.cli_flags import parse as parse_flags
from linviz.fields import BY_ATTR, FIELDS
from linviz.locales import en, zh

BOXES = [f for f in FIELDS if f.widget in ("text", "number")]  # every field typed into a text box
NUMBERS = [f for f in BOXES if f.kind in ("int", "float")]
LABELS = {"en": en.STRINGS, "zh": zh.STRINGS}
BASE = {"optimizer": "momentum", "schedule": "step", "samples": "100"}  # every box enabled; room for batches
BASE_CFG = RunConfig(optimizer="momentum", schedule="step", n_samples=100)
PAGE = settings(max_examples=max(6, settings.default.max_examples // 3))  # each example runs the page 2-5 times

# ---- the oracle: what the text means, written independently of linviz/fields.py ----------------------------------

CJK = {  # what a Chinese input method (or a copied document) types for an ASCII character
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
    "。": ".", "．": ".", "｡": ".", "，": ",", "、": ",", "；": ";", "－": "-", "−": "-", "＋": "+", "ｅ": "e", "Ｅ": "E",
    "［": "[", "］": "]", "\u3000": " ", "\u00a0": " ",
}


def ascii_text(text: str) -> str:
    return "".join(CJK.get(c, c) for c in text)


def _grouped_by_thousands(a: str) -> bool:
    """1,000,000 or -12,345.5: commas between groups of three digits, the first group of one to three."""
    whole, _, fraction = (a[1:] if a[:1] in ("+", "-") else a).partition(".")
    head, *groups = whole.split(",")
    return (bool(groups) and head.isdigit() and len(head) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups)
            and (fraction == "" or fraction.isdigit()))


def _in_limits(f, x: float) -> bool:
    above = x > f.lo if f.lo_open else x >= f.lo
    below = x < f.hi if f.hi_open else x <= f.hi
    return math.isfinite(x) and above and below


def _one_number(f, a: str):
    """One number's text (ASCII, stripped) -> its value for field f (int fields: an int), or None."""
    try:
        x = int(a) if f.kind == "int" and a.lstrip("+-").isdigit() else float(a)
    except (ValueError, OverflowError):
        return None
    if f.kind == "int":
        if isinstance(x, float) and not (math.isfinite(x) and x.is_integer()):
            return None
        return int(x) if _in_limits(f, float(x)) else None
    return float(x) if _in_limits(f, x) else None


def meant(f, text: str):
    """What `text` typed into field f means, or None where it means no allowed value."""
    a = ascii_text(text).strip()
    if not a or not a.isascii():
        return None
    if f.kind in ("int", "float"):
        if "," in a:
            if not _grouped_by_thousands(a):
                return None
            a = a.replace(",", "")
        return _one_number(f, a)
    sweep = a.startswith("[") and a.endswith("]")
    parts = (a[1:-1] if sweep else a).replace(",", " ").replace(";", " ").split()
    values = [_one_number(f, p) for p in parts]
    if not parts or None in values or not f.count[0] <= len(values) <= f.count[1]:
        return None
    values = tuple(float(v) for v in values)
    return values[0] if f.kind == "lrs" and len(values) == 1 and not sweep else values


def from_link(f, query: dict):
    """The value a link's text gives field f, read with plain int()/float(); the default where it is absent."""
    if f.key not in query:
        return getattr(RunConfig(), f.attr)
    text = query[f.key]
    if f.kind == "int":
        return int(text)
    if f.kind == "float":
        return float(text)
    if f.kind == "lrs" and not text.startswith("[") and "," not in text:
        return float(text)
    return tuple(float(p) for p in text.strip("[]").split(","))


def fits_together(values: dict) -> bool:
    """Whether values each field allows also fit together (rules over two fields, this machine's memory)."""
    try:
        check_machine(replace(BASE_CFG, **values))
        return True
    except ConfigError:
        return False


# ---- how a student writes a number ---------------------------------------------------------------------------------

FULL = {str(i): chr(0xFF10 + i) for i in range(10)}


@st.composite
def written(draw, text: str) -> str:
    """`text` (ASCII) as a student might type it: its digits, point, sign and e in full-width or CJK forms, with
    spaces around."""
    if draw(st.booleans()):
        text = text.replace(".", draw(st.sampled_from([".", "。", "．", "｡"])))
    if draw(st.booleans()):
        every = draw(st.booleans())
        text = "".join(FULL.get(c, c) if every or draw(st.booleans()) else c for c in text)
    if draw(st.booleans()):
        text = text.replace("e", draw(st.sampled_from(["e", "ｅ", "Ｅ"]))).replace("-", draw(st.sampled_from(
            ["-", "－", "−"]))).replace("+", draw(st.sampled_from(["+", "＋"]))).replace(",", draw(st.sampled_from(
                [",", "，"])))
    pad = st.sampled_from(["", " ", "  ", "\u3000", "\u00a0"])
    return draw(pad) + text + draw(pad)


@st.composite
def ascii_forms(draw, x: float, whole: bool) -> str:
    """One of the ways to write x in ASCII: plain, with an exponent, a leading +, grouped by thousands."""
    forms = [repr(x), f"{x:g}", f"{x:e}", f"{x:E}", f"{x:.3e}".replace("e-0", "e-").replace("e+0", "e")]
    if whole:
        n = int(x)
        forms += [str(n), f"{n:,}", f"{n}.0", f"{n:.0e}" if n and float(f"{n:.0e}") == n else str(n)]
        if n and n % 10 == 0:
            k = len(str(abs(n))) - len(str(abs(n)).rstrip("0"))
            forms += [f"{n // 10**k}e{k}", f"{n // 10**k}E+{k}"]
    text = draw(st.sampled_from(forms))
    return "+" + text if x >= 0 and draw(st.booleans()) and not text.startswith("-") else text


def nice_number(f) -> st.SearchStrategy:
    """A value field f allows (bounded where a huge one would only make the page slow: 10^6 samples at most)."""
    if f.kind == "int":
        hi = min(f.hi, 1_000_000 if f.attr == "n_samples" else f.hi)
        lo, hi = int(f.lo), int(hi)
        return st.one_of(st.integers(lo, min(hi, lo + 200)), st.integers(lo, hi),
                         st.sampled_from([v for v in (1, 10, 100, 1000, 20_000, 10**6) if lo <= v <= hi]))
    lo = f.lo if math.isfinite(f.lo) else -1e6
    hi = f.hi if math.isfinite(f.hi) else 1e6
    return st.floats(lo, hi, exclude_min=f.lo_open, exclude_max=f.hi_open, allow_nan=False)


def out_of_limits(f) -> st.SearchStrategy:
    """Numbers just past field f's limits, or far past them."""
    lo, hi = f.lo, f.hi
    if f.kind == "int":
        return st.sampled_from([lo - 1, hi + 1, lo - 1000, hi * 10]).map(lambda v: str(int(v)))
    edges = [v for v in (lo if f.lo_open else None, hi if f.hi_open else None) if v is not None]
    return st.sampled_from([*edges, lo - 1 if math.isfinite(lo) else -1e7, hi * 2 if math.isfinite(hi) else 1e10,
                            1e400]).map(lambda v: f"{v:g}")


NONSENSE = ["", " ", "\u3000", "abc", "1e400", "-1e400", "nan", "NaN", "inf", "-inf", "1,5", "1..2", "1e", "--1",
            "1 000", "0x10", "½", "٣", "1.2.3", "e5", "1,0000", ",100", "100,", "1,000.5.5", "１。２。３", "1e5e5",
            "+-1", "·5", "5个", "五"]
GARBAGE = st.text(alphabet="0123456789０１２。．.e+-－,，\u3000 x", max_size=7)


@st.composite
def typed_number(draw, f) -> str:
    kind = draw(st.sampled_from(["valid", "valid", "valid", "past", "nonsense", "garbage"]))
    if kind == "valid":
        x = draw(nice_number(f))
        return draw(written(draw(ascii_forms(float(x), whole=f.kind == "int" or float(x).is_integer()))))
    if kind == "past":
        return draw(written(draw(out_of_limits(f))))
    return draw(st.sampled_from(NONSENSE)) if kind == "nonsense" else draw(GARBAGE)


@st.composite
def typed_list(draw, f) -> str:
    """Weights or learning rates: a few numbers, each written its own way, separated as a student would."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(NONSENSE + ["0", "-1e-5", "1e10", "[]", "1,,x", "1e-5, 0"])) if f.kind == "lrs" \
            else draw(st.sampled_from(NONSENSE + ["1e7", "2,,x"]))
    if f.kind == "lrs":
        one = st.builds(lambda e, m: m * 10.0 ** e, st.integers(-8, 1), st.integers(1, 9))
    else:
        one = st.one_of(st.integers(-20, 20).map(float), st.floats(-1e6, 1e6, allow_nan=False))
    values = draw(st.lists(one, min_size=1, max_size=4))
    parts = [draw(written(draw(ascii_forms(v, whole=False)).replace(",", ""))) for v in values]
    sep = draw(st.sampled_from([",", ", ", " ", "，", "、", ";", "；", " , "]))
    text = sep.join(parts)
    if f.kind == "lrs" and draw(st.booleans()):
        text = draw(st.sampled_from(["[{}]", "［{}］"])).format(text)
    return text


def typed(f) -> st.SearchStrategy:
    return typed_number(f) if f.kind in ("int", "float") else typed_list(f)


def any_typing() -> st.SearchStrategy:
    return st.sampled_from(BOXES).flatmap(lambda f: st.tuples(st.just(f), typed(f)))


# ---- the page ------------------------------------------------------------------------------------------------------

def _sidebar_elements(at: AppTest) -> list:
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child)
    walk(at.sidebar)
    return out


def message_under(at: AppTest, f) -> str | None:
    """The error shown right under field f's box (as a reader sees it), or None."""
    els = _sidebar_elements(at)
    i = next(i for i, e in enumerate(els) if getattr(e, "key", None) == f"cfg_{f.attr}")
    after = els[i + 1] if i + 1 < len(els) else None
    return plain(after.value) if type(after).__name__ == "Error" else None


def names(f, lang: str, message: str) -> bool:
    """Whether a message names field f by its label and key, and says what is allowed, in the page's language."""
    words = LABELS[lang]
    label, allowed = words[f"field.{f.attr}.label"], "Use " if lang == "en" else "请填写"
    key = f"({f.key})" if lang == "en" else f"（{f.key}）"
    return message.startswith(label + " " + key if lang == "en" else label + key) and allowed in message


def type_into(at: AppTest, f, text: str) -> AppTest:
    return at.text_input(key=f"cfg_{f.attr}").set_value(text).run()


def check_page(at: AppTest, typed_texts: dict, lang: str) -> None:
    """The page after a student typed `typed_texts` ({field: text}): each read as the text means or refused with
    its field named right under its box; Train (and Step) off whenever any is refused."""
    assert not at.exception, at.exception[0].message
    values = {f.attr: meant(f, text) for f, text in typed_texts.items()}
    refused = [f for f, text in typed_texts.items() if values[f.attr] is None]
    train, step = at.button(key="btn_train"), at.button(key="btn_step")
    for f, text in typed_texts.items():
        assert at.text_input(key=f"cfg_{f.attr}").value == text, "the box keeps what was typed"
        under = message_under(at, f)
        if f in refused:
            assert under is not None and names(f, lang, under), f"{f.attr}={text!r} refused without its name: {under}"
        elif refused:  # the refusal of another: this one was read, and nothing is said about it
            assert under is None, f"{f.attr}={text!r} means {values[f.attr]!r} but the page says: {under}"
    if refused:
        assert train.disabled and step.disabled, f"Train on with {[f.attr for f in refused]} refused"
        return
    if not fits_together(values):  # each allowed, not together (a batch above the samples): named, Train off
        assert train.disabled and [e for e in at.sidebar.error]
        return
    assert not at.sidebar.error, [plain(e.value) for e in at.sidebar.error]
    assert not train.disabled
    query = dict(at.query_params)
    for f, text in typed_texts.items():
        assert from_link(f, query) == values[f.attr], f"{f.attr}: typed {text!r}, the page read {query}"


@PAGE
@given(st.sampled_from(["en", "zh"]), st.lists(any_typing(), min_size=1, max_size=4))
@example("en", [(BY_ATTR["n_samples"], "1e6")])  # the issue: a number box read 1e6 as 1 sample
@example("en", [(BY_ATTR["epochs"], "0")])  # the issue: red box, no words, Train trained 100 epochs
@example("zh", [(BY_ATTR["lr"], "0。00001")])  # the issue: a Chinese IME's full stop was refused
@example("zh", [(BY_ATTR["n_samples"], "１，０００"), (BY_ATTR["epochs"], "１ｅ３"), (BY_ATTR["momentum"], "０．５")])
@example("en", [(BY_ATTR["n_samples"], "1,5"), (BY_ATTR["seed"], "+7")])
@example("en", [(BY_ATTR["batch_size"], "20"), (BY_ATTR["n_samples"], "10")])  # each allowed, not together
@example("zh", [(BY_ATTR["gamma"], ""), (BY_ATTR["feature_min"], "−5"), (BY_ATTR["true_weights"], "2。5、－1")])
def test_every_box_reads_what_is_typed_or_names_its_field(lang, typings):
    at = app({**BASE, "lang": lang})
    assert all(not at.text_input(key=f"cfg_{f.attr}").disabled for f in BOXES)
    now = {}
    for f, text in typings:
        at = type_into(at, f, text)
        now[f] = text
        check_page(at, now, lang)


@PAGE
@given(any_typing())
@example((BY_ATTR["n_samples"], "1e6"))
@example((BY_ATTR["n_samples"], "1,000,000"))
@example((BY_ATTR["lr"], "［１ｅ－５］"))
@example((BY_ATTR["epochs"], "0"))
@example((BY_ATTR["feature_min"], "－３"))
@example((BY_ATTR["n_samples"], ""))  # found by the test (deep profile): a refused link's samples is the default 10
def test_a_link_a_flag_and_a_box_read_the_same_text_alike(typing):
    f, text = typing
    value = meant(f, text)
    fits = value is not None and fits_together({f.attr: value})
    linked = app({**BASE, f.key: text})
    assert not linked.exception
    warnings = " ".join(plain(w.value) for w in linked.warning)
    link_read = from_link(f, dict(linked.query_params))
    typed = type_into(app(BASE), f, text)
    assert not typed.exception
    under = message_under(typed, f)
    flags = [BY_ATTR["optimizer"].flag, "momentum", BY_ATTR["schedule"].flag, "step", BY_ATTR["n_samples"].flag,
             "100", f.flag, text]
    try:
        flag_read = getattr(parse_flags(flags)[1], f.attr)
    except ConfigError as e:
        flag_read, flag_message = None, e.message
    label = f"{LABELS['en'][f'field.{f.attr}.label']}"
    if fits:  # all three read what the text means
        assert link_read == value and label not in warnings, warnings
        assert under is None and from_link(f, dict(typed.query_params)) == value
        assert flag_read == value
    elif value is None:  # all three refuse it, naming the field and what it allows
        assert f"{label} ({f.key})" in warnings, warnings
        assert link_read == getattr(RunConfig(), f.attr), "a refused link's value is replaced by its default"
        assert under is not None and names(f, "en", under), under
        assert typed.button(key="btn_train").disabled
        assert flag_read is None and names(f, "en", flag_message), flag_message
    else:  # allowed alone, not with the others (a batch above the samples): named at every door
        assert label in warnings, warnings
        assert label in " ".join(plain(e.value) for e in typed.sidebar.error)
        assert typed.button(key="btn_train").disabled
        assert flag_read is None and label in flag_message


def test_a_box_whose_field_does_not_apply_stays_disabled_and_keeps_its_text():
    at = app()
    assert at.text_input(key="cfg_momentum").disabled  # sgd: momentum does not apply
    assert at.text_input(key="cfg_step_size").disabled and at.text_input(key="cfg_gamma").disabled
    assert at.text_input(key="cfg_momentum").value == "0.9"
    at.selectbox(key="cfg_optimizer").set_value("momentum").run()
    assert not at.text_input(key="cfg_momentum").disabled
    at = type_into(at, BY_ATTR["momentum"], "０。９５")
    assert dict(at.query_params)["momentum"] == "0.95"
    at.selectbox(key="cfg_optimizer").set_value("sgd").run()
    assert at.text_input(key="cfg_momentum").disabled and at.text_input(key="cfg_momentum").value == "０。９５"


def test_boxes_show_the_values_as_a_number_box_did():
    at = app({"samples": "1000000", "noise_std": "0.25", "gamma": "1e-3", "schedule": "exp", "seed": "4294967295"})
    shown = {f.attr: at.text_input(key=f"cfg_{f.attr}").value for f in NUMBERS}
    assert shown["n_samples"] == "1000000" and shown["epochs"] == "100" and shown["seed"] == "4294967295"
    assert shown["noise_std"] == "0.25" and shown["gamma"] == "1e-3" and shown["momentum"] == "0.9"
    assert shown["test_fraction"] == "0" and shown["feature_min"] == "1"


def test_a_preset_fills_the_boxes_and_reads_the_seed_box():
    at = app({"lang": "zh"})
    at = type_into(at, BY_ATTR["seed"], "３")
    at = type_into(at, BY_ATTR["epochs"], "0")
    assert at.button(key="btn_train").disabled
    name = "Diverging"
    at.selectbox(key="preset").set_value(name).run()
    assert not at.exception and not at.sidebar.error and not at.button(key="btn_train").disabled
    from linviz.presets import preset
    cfg = preset(name, 3)  # the preset on the data of the seed typed in full-width digits
    assert at.text_input(key="cfg_epochs").value == str(cfg.epochs)
    assert from_link(BY_ATTR["lr"], dict(at.query_params)) == cfg.lr


# ---- the field table on the new characters -------------------------------------------------------------------------

@pytest.mark.parametrize("key, text, value", [
    ("lr", "0。00001", 1e-5), ("lr", "０．００００１", 1e-5), ("lr", "1ｅ－5", 1e-5), ("lr", "１Ｅ－５", 1e-5),
    ("lr", "＋1e-5", 1e-5), ("lr", "0｡00001", 1e-5), ("lr", "［1e-5］", (1e-5,)), ("lr", "1e-5；2e-5", (1e-5, 2e-5)),
    ("samples", "1e6", 1_000_000), ("samples", "1E6", 1_000_000), ("samples", "1,000,000", 1_000_000),
    ("samples", "１，０００，０００", 1_000_000), ("samples", "1、000", 1000), ("samples", "\u3000１０\u3000", 10),
    ("samples", "\u00a010\u00a0", 10), ("samples", "+10", 10), ("samples", "10.0", 10), ("epochs", "1e6", 1_000_000),
    ("feature_min", "−5", -5), ("feature_min", "－5", -5), ("feature_min", "-1,000", -1000),
    ("noise_std", "1,000.5", 1000.5), ("noise_std", "１２。５", 12.5), ("test_fraction", ".5", 0.5),
    ("weights", "2。5，3．5、－1", (2.5, 3.5, -1.0)), ("weights", "１　２", (1.0, 2.0)),
])
def test_the_field_table_reads_what_a_chinese_ime_types(key, text, value):
    from linviz.fields import BY_KEY
    read = BY_KEY[key].read(text)
    assert read == value and type(read) is type(value)


@pytest.mark.parametrize("key, text, why", [
    ("samples", "1,5", "A comma may only group thousands"), ("samples", "1,0000", "A comma may only group thousands"),
    ("samples", ",100", "A comma may only group thousands"), ("noise_std", "0,5", "A comma may only group thousands"),
    ("samples", "", "It is empty."), ("epochs", "\u3000", "It is empty."), ("epochs", "0", "Use a whole number from 1"),
    ("epochs", "1e400", "Use a whole number"), ("samples", "0.5", "Use a whole number"), ("lr", "nan", "Use a positive"),
    ("samples", "½", "'½' cannot be read"), ("samples", "五", "'五' cannot be read"), ("momentum", "1", "Use a number"),
])
def test_the_field_table_refuses_with_words(key, text, why):
    from linviz.fields import BY_KEY
    with pytest.raises(ConfigError) as e:
        BY_KEY[key].read(text)
    f = BY_KEY[key]
    assert e.value.message.startswith(f"{LABELS['en'][f'field.{f.attr}.label']} ({f.key}): got ")
    assert why in e.value.message


def test_a_refusal_in_chinese_says_why_in_chinese():
    from linviz.fields import BY_KEY
    from linviz.say import say_in
    with pytest.raises(ConfigError) as e:
        BY_KEY["epochs"].read("1,5")
    said = say_in(e.value.message, "zh")
    assert said.startswith("训练轮数（epochs）：填写的是 '1,5'。逗号只能用作千位分隔符") and "请填写" in said


@given(any_typing())
@example((BY_ATTR["n_samples"], "1e6"))
@example((BY_ATTR["true_weights"], "0x10"))
@example((BY_ATTR["n_samples"], "1,0000"))
@example((BY_ATTR["noise_std"], "1,000.5"))
@example((BY_ATTR["lr"], "［1e-5，2e-5］"))
def test_the_field_table_reads_text_as_the_oracle_does(typing):
    """Fast (no page): Field.read agrees with this file's oracle on every text the page tests type."""
    f, text = typing
    value = meant(f, text)
    try:
        read = f.read(text)
    except ConfigError:
        read = None
    assert read == value, f"{f.attr}: {text!r} read as {read!r}, means {value!r}"
    assert type(read) is type(value)
