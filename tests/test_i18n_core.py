"""The core's messages (linviz/*.py) in Chinese: every kind a page shows (cross-field rules, machine checks, links'
messages, outcomes, the status line, sweeps, long-run warnings, the lr analysis's notes, regimes, presets, why a
landscape has no steps) is a Msg whose Chinese is Chinese, and whose English is what it always was."""
import re
import string

import numpy as np
import pytest
from helpers_page import KEPT_WORDS, app, plain
from helpers_page import train as press_train

from linviz import RunConfig, make_dataset, train
from linviz import checks as checks_mod
from linviz.analysis import analyze
from linviz.devices import why_missing
from linviz.errors import ConfigError
from linviz.estimate import long_run_warning
from linviz.fields import FIELDS
from linviz.presets import PRESETS, preset_description, preset_title
from linviz.query import parse_config, parse_lenient
from linviz.report import outcome, status_line, timing_line
from linviz.say import TEXTS, Msg, say, say_in
from linviz.stability import KINDS, regime_name
from linviz.steps import step_path
from linviz.sweeps import sweep_outcome
from linviz.text import fmt_value

CJK = re.compile(r"[\u4e00-\u9fff]")
# words that stay in Chinese text: code, settings' keys, units, product names (KEPT_WORDS: tests/helpers_page.py)
KEPT = KEPT_WORDS | {f.key.lower() for f in FIELDS} | {w for f in FIELDS for w in f.key.split("_")} | {"gib"}


def english_words(text: str) -> list[str]:
    """English words left, a user's own text (quoted: 'nope') aside."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"'[^']*'", " ", text)) if w.lower() not in KEPT]


def assert_chinese(msg) -> str:
    """msg is a Msg whose Chinese has Chinese characters and no English words; returns the Chinese."""
    assert isinstance(msg, Msg), repr(msg)
    zh = say_in(msg, "zh")
    assert CJK.search(zh), zh
    assert english_words(zh) == [], zh
    return zh


def error_of(make) -> ConfigError:
    with pytest.raises(ConfigError) as e:
        make()
    return e.value


# --- every key: the same placeholders in both languages, and a Chinese text that fills in ---

NOT_PROSE = {"core.sweep.item.converged", "core.sweep.item.running", "core.sweep.item.not-converged", "core.sweep.group", "core.sweep.then", "core.value.list",
             "core.analysis.range", "core.list.comma", "core.outcome.converged", "core.outcome.running",
             "core.sweep.running"}  # numbers and math only, or joins


CORE_ZH = {k: v for k, v in TEXTS["zh"].items() if k.startswith("core.")}


@pytest.mark.parametrize("key", sorted(CORE_ZH))
def test_every_core_text_fills_in_and_reads_as_chinese(key):
    fields = {f for _, f, _, _ in string.Formatter().parse(CORE_ZH[key]) if f}
    zh = say("zh", key, **{f: 1234.5 for f in fields})  # a number fits every format spec (:, .3g .1f)
    assert say("en", key, **{f: 1234.5 for f in fields})
    assert english_words(zh) == [], zh
    if key not in NOT_PROSE:
        assert CJK.search(zh), (key, zh)


# --- each kind of message, from the code that says it ---

def test_cross_field_rules_are_said_in_chinese_and_english_is_unchanged():
    e = error_of(lambda: RunConfig(batch_size=20))
    assert e.message == ("Batch size (batch_size): got '20'. It can be at most the number of training samples (10): "
                         "Samples (samples) 10.")
    assert assert_chinese(e.message) == "批大小（batch_size）：填写的是 '20'。不能超过训练样本数（10）：样本数（samples）为 10。"
    e = error_of(lambda: RunConfig(n_samples=12345, test_fraction=0.2, batch_size=12345))
    assert e.message == ("Batch size (batch_size): got '12345'. It can be at most the number of training samples "
                         "(9,876): Samples (samples) 12,345 less the 2,469 that Test fraction (test_fraction) 0.2 "
                         "holds out.")
    assert "2,469" in assert_chinese(e.message)
    e = error_of(lambda: RunConfig(feature_min=5, feature_max=5))
    assert e.message.endswith("It must be larger than Smallest feature value (feature_min), which is 5.")
    assert "必须大于特征最小值（feature_min）" in assert_chinese(e.message)
    e = error_of(lambda: RunConfig(n_samples=1, test_fraction=0.5))
    assert "留不下训练数据" in assert_chinese(e.message)
    assert assert_chinese(e.errors["test_fraction"]) == say_in(e.message, "zh")


def test_the_machine_checks_are_said_in_chinese(monkeypatch):
    monkeypatch.setattr(checks_mod, "available_devices", lambda: ["cpu"])
    e = error_of(lambda: checks_mod.check_device("cuda"))
    assert e.message == ("Device (device): got 'cuda'. Not available here: no CUDA GPU here (or a CPU-only PyTorch "
                         "build). Available: auto, cpu.")
    assert "本机不可用" in assert_chinese(e.message)
    monkeypatch.setattr(checks_mod, "available_memory", lambda: 2**30)
    monkeypatch.setattr(checks_mod, "memory_limit", lambda: 2**29)  # half of the machine's 1 GiB
    e = error_of(lambda: checks_mod.check_machine(RunConfig(n_samples=2_000_000, true_weights=(1.0,) * 100)))
    assert e.message.endswith("need about 6.2 GiB, but one setting may use at most 0.5 GiB of this server's memory. Use fewer samples or weights.")
    assert "6.2 GiB" in assert_chinese(e.message)
    for name in ("cuda", "mps", "tpu"):
        assert_chinese(why_missing(name))
    assert why_missing("tpu") == "unknown device 'tpu'"


def test_link_messages_unknown_keys_and_kept_values_are_said_in_chinese():
    e = error_of(lambda: parse_config({"nope": "1", "lr": "x"}))
    assert e.message.startswith("Unknown setting 'nope'. Known settings: weights, samples, lr,")
    assert "可用的设置：weights" in assert_chinese(e.message)
    _, messages = parse_lenient({"batch_size": "20", "feature_min": "200"})
    assert messages["batch_size"].endswith("Samples (samples) 10. So Batch size keeps 1.")
    assert assert_chinese(messages["batch_size"]).endswith("因此批大小保持为 1。")
    assert assert_chinese(messages["feature_min"]).endswith("因此特征最小值保持为 1。")
    long = fmt_value(tuple(range(10)), words=True)
    assert long == "[0, 1, 2, 3, 4, 5, 6, 7, ... (10 values)]"
    assert assert_chinese(long) == "[0, 1, 2, 3, 4, 5, 6, 7, ...]（共 10 个值）"
    assert type(fmt_value(tuple(range(10)))) is str  # a ConfigError's echo of a value stays quoted plain text


def _states(cfg):
    return list(train(cfg))


def test_every_outcome_is_said_in_chinese():
    diverged = RunConfig(lr=1e-3)
    kind, text = outcome(diverged, _states(diverged)[-1])
    assert kind == "diverged" and text.startswith("Diverged at epoch 1 with lr 1e-3: the loss blew up")
    assert assert_chinese(text).startswith("在第 1 轮发散（学习率 1e-3）")
    cfg = RunConfig(epochs=2)
    first, last = _states(cfg)[0], _states(cfg)[-1]
    w = last.run(0).weights
    said = {}
    for args in [(first, {}), (last, {"running": True}), (last, {}), (last, {"best": w}), (last, {"best": w + 1})]:
        kind, text = outcome(cfg, args[0], **args[1])
        said[kind] = said.get(kind, []) + [assert_chinese(text)]
    good = RunConfig(lr=3e-5, epochs=40, seed=3)
    kind, text = outcome(good, _states(good)[-1])
    assert (kind, text) == ("converged", "Converged: max |w - w*| = 0.00014")
    assert assert_chinese(text) == "已收敛：max |w - w*| = 0.00014"
    assert said["initial"] == ["尚未训练：请点击“训练”。"]
    assert said["running"][0].startswith("训练中：")
    assert len(said["not-converged"]) == 2 and len(said["converged"]) == 1


@pytest.mark.parametrize("n, english", [
    (1, "1 sample cannot determine 4 weights"), (2, "2 samples cannot determine 4 weights"),
    (10, "the samples do not determine the weights")])
def test_an_underdetermined_outcome_is_said_in_chinese_in_the_singular_and_plural(n, english):
    cfg = RunConfig(epochs=2, n_samples=n)
    s = _states(cfg)[-1]
    w = s.run(0).weights
    for reachable, kind in ((w, "converged"), (w + 1, "not-converged")):
        k, text = outcome(cfg, s, reachable=reachable)
        assert k == kind and english in text
        zh = assert_chinese(text)
        assert ("无法确定权重" if n == 10 else f"只有 {n} 个样本，无法确定 4 个权重") in zh
        assert ("唯一确定下来" in zh) == (kind == "converged" and n < 4)


def test_the_status_line_is_said_in_chinese():
    cfg = RunConfig(epochs=1000)
    s = _states(cfg.replace(epochs=3))[-1]
    line = status_line(cfg, s)
    assert line == f"Epoch 3 of 1,000 · loss {s.run(0).loss:.4g}"  # what a student reads first; the timing after it
    assert assert_chinese(line) == f"第 3 轮，共 1,000 轮 · 损失 {s.run(0).loss:.4g}"
    timing = timing_line(s)
    assert timing.endswith(" steps/s")
    assert assert_chinese(timing).startswith("已训练 ")


def test_a_sweeps_sentence_is_said_in_chinese_with_its_groups_and_the_runs_not_named():
    cfg = RunConfig(lr=(3e-5, 1e-3, 1e-8, 2e-8, 3e-8, 4e-8, 5e-8, 6e-8, 7e-8), epochs=40, seed=3)
    states = _states(cfg)
    assert sweep_outcome(cfg, states[0]) == ("initial", "Not trained yet: press Train.")
    kind, text = sweep_outcome(cfg, states[-1])
    assert kind == "mixed"
    assert text == ("Converged: lr 3e-5 · Not converged yet, max |w - w*|: lr 1e-8 (7.3), lr 2e-8 (7.02), "
                    "lr 3e-8 (6.75), lr 4e-8 (6.51), lr 5e-8 (6.28), lr 6e-8 (6.07) and 1 more · "
                    "Diverged: lr 1e-3 at epoch 1")
    assert assert_chinese(text) == ("已收敛：学习率 3e-5 · 尚未收敛，max |w - w*|：学习率 1e-8（7.3）、学习率 2e-8（7.02）、"
                                    "学习率 3e-8（6.75）、学习率 4e-8（6.51）、学习率 5e-8（6.28）、学习率 6e-8（6.07），还有 1 个 · "
                                    "已发散：学习率 1e-3（第 1 轮）")
    kind, text = sweep_outcome(cfg, states[5], running=True)
    assert kind == "running" and text.startswith("Running · max |w - w*|: 1 (lr 3e-5), ")
    assert assert_chinese(text).startswith("训练中 · max |w - w*|：1（学习率 3e-5）、")


@pytest.mark.parametrize("cfg, when", [
    (RunConfig(n_samples=10_000, epochs=9_000), "about 1 minute of"),
    (RunConfig(n_samples=10_000, epochs=25_000), "about 3 minutes of"),
    (RunConfig(n_samples=1_000_000, epochs=20_000), "about 3.9 hours of"),
    (RunConfig(n_samples=10_000, epochs=100_000, lr=(1e-5, 2e-5)), "x 2 learning rates"),
])
def test_long_run_warnings_are_said_in_chinese(cfg, when):
    text = long_run_warning(cfg)
    assert when in text
    zh = assert_chinese(text)
    assert ("学习率扫描" in zh) == cfg.is_sweep
    assert re.search(r"\d (分钟|小时)", zh)


@pytest.mark.parametrize("cfg", [
    RunConfig(), RunConfig(optimizer="momentum"), RunConfig(shuffle=True), RunConfig(optimizer="adam"),
    RunConfig(n_samples=1, standardize=True), RunConfig(n_samples=2), RunConfig(n_samples=4, standardize=True),
    RunConfig(n_samples=2, optimizer="adam"), RunConfig(n_samples=100, optimizer="momentum", epochs=300),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in vars(c).items() if v != getattr(RunConfig(), k)) or "tutorial")
def test_the_analysis_notes_and_regimes_are_said_in_chinese(cfg):
    a = analyze(cfg)
    assert_chinese(a.note)
    for note in a.notes:
        assert_chinese(note)
    for r in a.classify_many([1e-25, 1e-5, 7e-5, 1e-3]):
        assert_chinese(r.kind)


def test_the_estimated_epoch_maps_notes_are_said_in_chinese():
    a = analyze(RunConfig(n_samples=300_000, true_weights=(1.0,) * 40))
    assert "cannot diverge" in a.note
    assert "普通 SGD 不可能发散" in assert_chinese(a.note)
    for text in (Msg("core.map.momentum", note=Msg("core.map.prefix", rows=25, n=300_000, scale=1.2e4)),
                 Msg("core.map.full_batch", k=1), Msg("core.analysis.prefix", rows=4650, n=20_000),
                 Msg("core.analysis.prefix_span", rows=4650, rank=3, d=400, n=20_000)):
        assert_chinese(text)


def test_regime_names_are_msgs_equal_to_their_english_names():
    assert sorted(KINDS.values()) == ["converges smoothly", "diverges", "oscillates but converges", "too slow"]
    assert [say_in(regime_name(k), "zh") for k in ("too slow", "converges smoothly", "oscillates but converges",
                                                   "diverges")] == ["太慢", "平稳收敛", "振荡但收敛", "发散"]
    assert regime_name("too_slow") is regime_name("too slow")
    assert analyze(RunConfig()).classify(1e-3).kind == "diverges"
    assert {analyze(RunConfig()).classify(1e-3).kind: 1} == {"diverges": 1}  # a dict keyed by English finds it


def test_preset_names_and_descriptions_are_said_in_chinese_and_the_ids_stay_english():
    assert list(PRESETS)[:2] == ["The tutorial (4 weights)", "The tutorial with 7 weights"]
    for name in PRESETS:
        assert preset_title(name) == name
        assert preset_description(name) is PRESETS[name][0]
        assert_chinese(preset_title(name))
        assert_chinese(preset_description(name))
    assert say_in(preset_title("Just right"), "zh") == "学习率刚刚好"
    assert preset_title("(your own settings)") == "(your own settings)"  # not a preset: as it is


def test_why_a_landscape_shows_no_steps_is_said_in_chinese():
    cfg = RunConfig(epochs=10)
    data = make_dataset(cfg)

    def view(epochs):
        return {"epoch": np.array(epochs, float), "weights": np.zeros((len(epochs), 4)),
                "lr": np.full(len(epochs), 1e-5)}
    said = [step_path(cfg, data, view([0])), step_path(cfg, data, view([0, 1]), max_steps=5),
            step_path(cfg.replace(optimizer="momentum"), data, view(list(range(6))), max_steps=20),
            step_path(cfg, data, view([0, 5]), max_steps=20), step_path(cfg, data, view([0, 2, 3])),
            step_path(cfg, data, view([0, 2, 3]), lr_at=lambda e: np.array([1e-5]))]
    assert [say_in(m, "en") for m in said][1] == "One epoch has 10 steps, more than the 5 this chart draws."
    assert [m.key for m in said] == [f"core.steps.{k}" for k in
                                     ("none", "too_many", "stateful", "thinned", "no_lrs", "missed")]
    for m in said:
        assert_chinese(m)
    assert say_in(said[1], "zh") == "一轮有 10 步，超过了这张图最多绘制的 5 步。"


# --- on the Chinese page ---

def test_the_chinese_pages_status_says_the_core_outcome_and_status_line_in_chinese():
    at = press_train(app({"lang": "zh", "lr": "1e-3", "epochs": "5"}))
    shown = [plain(str(e.value)) for kind in ("info", "success", "warning", "error") for e in at.get(kind)]
    status = [s for s in shown if "发散" in s]
    assert status and "在第 1 轮发散（学习率 1e-3）" in status[0]
    assert status[0].startswith("第 0 轮，共 5 轮 · 损失 ")  # the numbers shown are the start's, the last finite ones
    assert english_words(status[0]) == [], status[0]


def test_the_chinese_pages_preset_box_names_and_describes_presets_in_chinese():
    at = app({"lang": "zh"})
    box = at.selectbox(key="preset")
    assert "学习率刚刚好" in box.options
    box.set_value("Just right").run()
    assert "对这组数据收敛最快的学习率" in [c.value for c in at.caption]
