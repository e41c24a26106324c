"""The exported script and the Show me the code tab in Chinese: the script's comments, docstring and its
"training done" line are Chinese, its code is the English script's code, it runs and prints the same numbers
(the tutorial's `Epoch [k/E], Loss: x` lines unchanged); the tab's own words are Chinese and its download is
the Chinese script."""
import ast
import os
import re
import subprocess
import sys

import pytest
from helpers_page import app, english_left, open_tab, page_texts, train
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from linviz import RunConfig
from linviz.export import standalone_script
from linviz.say import TEXTS, say

CHINESE = re.compile(r"[\u4e00-\u9fff]")
SWEEP = RunConfig(lr=(1e-5, 3e-5), epochs=20)
CONFIGS = {
    "tutorial": RunConfig(),
    "one-run-of-a-sweep": SWEEP.replace(lr=SWEEP.lrs[1]),
    "momentum-shuffle-step": RunConfig(n_samples=12, batch_size=3, shuffle=True, optimizer="momentum", momentum=0.5,
                                       lr=2e-6, epochs=20, schedule="step", step_size=5, gamma=0.5, seed=5),
    "adam-features": RunConfig(optimizer="adam", lr=0.05, epochs=20, feature_min=-5, feature_max=5),
    "noise-split-standardised-exp": RunConfig(n_samples=40, noise_std=3.0, test_fraction=0.25, standardize=True,
                                              lr=0.05, epochs=20, schedule="exp", step_size=10, gamma=0.5),
}
RUN = ["momentum-shuffle-step", "noise-split-standardised-exp"]  # between them, every comment the script can have
PAGE_KEYS = [k for k in TEXTS["en"] if k.startswith("code.") and not k.startswith("code.script.")
             and k != "code.one_lr"]


def code_only(source: str) -> str:
    """The script's code: the AST without its docstring and with the prose it prints (a plain string given to
    print) blanked; comments are not in an AST. The tutorial's printed line is an f-string, so it is compared."""
    tree = ast.parse(source)
    assert isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value.value, str)
    tree.body = tree.body[1:]
    prose = 0
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            node.args[0].value, prose = "", prose + 1
    assert prose == 1
    return ast.dump(tree)


def words(source: str) -> list[str]:
    """What a reader reads in the script besides code: its docstring, its comments and its printed prose."""
    tree = ast.parse(source)
    out = [tree.body[0].value.value]
    out += [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]
    out += re.findall(r"^print\('([^']*)'\)$", source, flags=re.MULTILINE)
    return out


@pytest.mark.parametrize("name", CONFIGS)
def test_the_chinese_script_is_the_english_code_with_chinese_words(name):
    en, zh = standalone_script(CONFIGS[name]), standalone_script(CONFIGS[name], lang="zh")
    assert standalone_script(CONFIGS[name], lang="en") == en
    assert code_only(zh) == code_only(en)
    assert zh != en
    en_words, zh_words = words(en), words(zh)
    assert len(zh_words) == len(en_words) >= 4
    for text in zh_words:  # every comment Chinese, with no English sentence left
        assert CHINESE.search(text), text
        prose = re.sub(r"[\w.,+-]+=[\w.,+&=-]+", "", text)  # the settings' link (its keys stay) left out
        assert not re.search(r"\b(the|and|to|of|for|in|samples?|features?|decay|training)\b", prose), text
    assert "print(f'Epoch [{epoch + 1}/{epochs}], Loss: {loss.item():.4f}')" in zh
    assert "print('训练完成')" in zh


def test_every_comment_text_is_used():
    scripts = "\n".join(standalone_script(cfg, lang="zh") for cfg in CONFIGS.values())
    for key in TEXTS["zh"]:
        if key.startswith("code.script."):
            assert max(re.split(r"\{\w+\}", TEXTS["zh"][key]), key=len) in scripts, key


def test_a_sweep_is_exported_one_lr_at_a_time():
    with pytest.raises(ValueError, match="one learning rate at a time"):
        standalone_script(SWEEP, lang="zh")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The English and Chinese scripts of RUN, each its own `python run.py`, all started at once."""
    procs = {}
    for name in RUN:
        for lang in ("en", "zh"):
            script = tmp_path_factory.mktemp(f"{name}-{lang}") / "run.py"
            script.write_text(standalone_script(CONFIGS[name], lang=lang), encoding="utf-8")
            procs[name, lang] = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                                 stderr=subprocess.PIPE, encoding="utf-8",
                                                 env=os.environ | {"PYTHONIOENCODING": "utf-8"})
    yield {k: (p.communicate(timeout=300), p.returncode) for k, p in procs.items()}


@pytest.mark.parametrize("name", RUN)
def test_the_chinese_script_runs_and_prints_what_the_english_one_prints(name, runs):
    (en_out, en_err), en_rc = runs[name, "en"]
    (zh_out, zh_err), zh_rc = runs[name, "zh"]
    assert en_rc == 0, en_err
    assert zh_rc == 0, zh_err
    en_lines, zh_lines = en_out.splitlines(), zh_out.splitlines()
    assert [line[:21] for line in en_lines[:2]] == ["Epoch [10/20], Loss: ", "Epoch [20/20], Loss: "]
    assert en_lines[2:-1] == ["training done"] and en_lines[-1].startswith('{"weights": [')
    assert zh_lines == en_lines[:-2] + ["训练完成", en_lines[-1]]  # same losses, same final weights (JSON)


def _shown(at):
    return " ".join(page_texts(at))


def _no_english_of_mine(at):
    left = english_left(at)
    mine = [say("en", k, n=2)[:30] for k in PAGE_KEYS]
    assert not [line for line in left if any(m in line for m in mine)], left


@pytest.fixture
def downloads(monkeypatch):
    """The files the page offers for download in its script runs, by file name (each run's media are kept in a
    storage that AppTest drops after the run, so they are recorded as they are added)."""
    seen = {}
    add = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        seen[filename] = path_or_data
        return add(self, path_or_data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def test_the_code_tab_on_the_chinese_page_is_chinese_and_offers_the_chinese_script(downloads):
    at = open_tab(train(app({"lang": "zh", "epochs": "5"})), "查看代码")
    assert not at.exception
    zh = standalone_script(RunConfig(epochs=5), lang="zh")
    assert at.code[0].value == zh.strip()  # st.code drops the last newline
    assert at.download_button(key="dl_script").label == "下载脚本"
    script = downloads["linviz_run.py"]
    assert (script.decode() if isinstance(script, bytes) else script) == zh
    assert say("zh", "code.about_run") in _shown(at)
    _no_english_of_mine(at)


def test_the_code_tab_of_a_chinese_sweep_and_of_broken_settings():
    at = open_tab(train(app({"lang": "zh", "lr": "1e-5,3e-5", "epochs": "10"})), "查看代码")
    assert not at.exception
    assert say("zh", "code.sweep", n=2) in _shown(at)
    assert at.selectbox(key="code_lr").label == "学习率"
    at.selectbox(key="code_lr").set_value(3e-5).run()
    assert at.code[0].value == standalone_script(RunConfig(lr=3e-5, epochs=10), lang="zh").strip()
    _no_english_of_mine(at)
    at = open_tab(app({"lang": "zh"}), "查看代码")
    assert say("zh", "code.about_settings") in _shown(at)  # no run yet: the sidebar's settings
    at.text_input(key="cfg_lr").set_value("abc").run()
    assert not at.code
    assert say("zh", "code.fix_settings") in _shown(at)
    _no_english_of_mine(at)


def test_the_english_code_tab_is_unchanged():
    at = open_tab(app({"lr": "2e-5"}), "Show me the code")
    assert at.code[0].value == standalone_script(RunConfig(lr=2e-5)).strip()
    assert at.download_button(key="dl_script").label == "Download the script"
    assert "that reproduces the current settings: same data" in _shown(at)
