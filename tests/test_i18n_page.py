"""The page's frame in Chinese (issue 11): title, sidebar, lr hint, status line and progress, the messages above the
tabs, what a run says when its settings change mid-run, the Training tab's toggles and charts. English is unchanged
(tests/test_dashboard.py and others check it in detail; a few sentences built differently now are checked here)."""
import numpy as np
import pytest
from helpers_page import app, charts, english_left, plain, texts, train

from linviz.fields import FIELDS
from linviz.say import say_in
from linviz_app import i18n
from linviz_app.charts import loss_figure
from linviz_app.live import listed
from linviz_app.presenter import split_link
from linviz_app.widgets import KEY


def left(at) -> list[str]:
    """english_left, less the language switch's own option names ("English" / "中文": AppTest lists a segmented
    control's options as protos, `content: "English"`)."""
    return [x for x in english_left(at) if "content: " not in x]


def shown(at) -> str:
    return " ".join(plain(str(e.value)) for kind in ("markdown", "caption", "error", "warning", "info", "success",
                                                     "header") for e in at.get(kind))


@pytest.mark.parametrize("query", [
    {"epochs": "30"},                               # the tutorial, trained
    {"lr": "1e-3", "epochs": "20"},                 # diverged
    {"lr": "1e-5,3e-5", "epochs": "20"},            # a sweep
    {"view": "presenter", "epochs": "10"},          # the presenter view
    {"samples": "2", "epochs": "20"},               # fewer samples than weights: the hint's "fit training reaches"
], ids=["trained", "diverged", "sweep", "presenter", "underdetermined"])
def test_the_chinese_frame_and_training_tab_have_no_english_left(query):
    at = train(app({"lang": "zh", **query}))
    assert not at.exception
    assert left(at) == []


def test_the_chinese_frame_says_its_own_words():
    at = train(app({"lang": "zh", "epochs": "20"}))
    page = shown(at)
    assert "看 PyTorch 如何学习" in page
    assert at.header[0].value == "实验设置"
    assert "你的学习率是发散阈值" in page
    assert at.get("expander")[0].label == "高级设置"
    assert at.selectbox(key="preset").label == "课堂预设"
    assert at.selectbox(key="preset").options[0] == "（自定义设置）"
    assert at.selectbox(key="cfg_device").options[0].startswith("自动（")
    assert at.text_input(key=KEY["lr"]).label == "学习率"
    assert at.toggle(key="presenter").label == "演示模式"
    assert at.toggle(key="log_loss").label == "损失用对数刻度"
    assert [b.label for b in at.get("download_button")] == ["下载训练记录（CSV）", "下载设置和结果（JSON）"]
    assert at.get("progress")[0].proto.text.startswith("第 20 轮，共 20 轮 · 已训练 ")  # then the timing
    (loss,) = charts(at, "损失", exact=True)
    assert loss["layout"]["xaxis"]["title"]["text"] == "轮次"
    assert loss["layout"]["yaxis"]["title"]["text"] == "均方误差（对数刻度）"
    assert "训练损失（平均）" in [tr.get("name") for tr in loss["data"]]
    assert charts(at, "权重（虚线：真实值）", exact=True)


def test_the_chinese_intro_and_a_sweeps_status_line():
    assert "**真实权重**" in app({"lang": "zh"}).info[0].value
    at = train(app({"lang": "zh", "lr": "1e-5,3e-5", "epochs": "5"}))
    status = texts(at.info) + texts(at.success) + texts(at.error)
    assert status.startswith("2 个学习率 · 第 5 轮，共 5 轮")


def test_bad_settings_in_the_sidebar_and_in_the_link_are_said_in_chinese():
    # the bad values have no word of 3+ letters: english_left would count a quoted user's value as English
    at = app({"lang": "zh", "samples": "0", "view": "zz"})
    warning = texts(at.warning)
    assert warning.startswith("此链接中的以下设置无法使用，已改用默认值：")
    assert "视图（view）：填写的是 'zz'。链接只能打开演示模式（?view=presenter）" in warning
    at.text_input(key=KEY["lr"]).set_value("-1").run()
    assert "学习率（lr）：填写的是 '-1'。" in texts(at.error)
    assert "请先修正侧边栏中标出的设置，然后再训练。" in texts(at.error)
    assert left(at) == []


def test_a_link_message_is_english_where_it_is_made_and_on_the_english_page():
    message = split_link({"view": "huge"})[2]["view"]
    assert message == ("View (view): got 'huge'. The only view a link can open is presenter (?view=presenter); "
                       "the normal page is shown.")
    assert say_in(message, "zh").startswith("视图（view）：填写的是 'huge'。")
    assert "View (view): got 'nope'." in texts(app({"view": "nope"}).warning)


def test_mid_run_changes_are_announced_in_the_pages_language_and_english_is_unchanged():
    at = app({"lang": "zh", "epochs": "50"})
    at = at.button(key="btn_step").click().run()  # one epoch, paused: the run follows the sidebar
    at.text_input(key=KEY["lr"]).set_value("2e-5").run()
    assert "学习率已改为 2e-5，从第 2 轮起生效。" in texts(at.info)
    assert "· 已暂停：" in texts(at.info) and "按“单轮”只训练第 2 轮" in texts(at.info)
    at.text_input(key=KEY["seed"]).set_value("3")
    at.text_input(key=KEY["batch_size"]).set_value("2").run()
    said = "你修改了批大小、随机种子：这需要新的数据或新的模型，所以本次训练在第 1 轮结束。按“训练”重新开始。"
    assert said in texts(at.info)
    assert left(at) == []
    at.segmented_control(key="lang").set_value("en").run()  # the notice is said again in the new language
    assert ("You changed batch size, seed: that needs new data or a new model, so the run ended at epoch 1. Press "
            "Train to start again.") in texts(at.info)
    assert at.session_state["live"].notice.startswith("You changed batch size, seed:")  # English as a str


def test_switching_language_relabels_every_widget_and_keeps_its_value():
    at = app({"epochs": "40"})
    at.text_input(key=KEY["lr"]).set_value("3e-5").run()
    at.text_input(key=KEY["n_samples"]).set_value("20").run()
    at.selectbox(key=KEY["optimizer"]).set_value("momentum").run()
    at.checkbox(key=KEY["shuffle"]).check().run()
    at.toggle(key="presenter").set_value(True).run()
    at.segmented_control(key="lang").set_value("zh").run()
    assert not at.exception
    assert (at.text_input(key=KEY["lr"]).label, at.text_input(key=KEY["lr"]).value) == ("学习率", "3e-5")
    assert (at.text_input(key=KEY["n_samples"]).label, at.text_input(key=KEY["n_samples"]).value) == ("样本数", "20")
    assert at.text_input(key=KEY["epochs"]).value == "40"
    assert (at.selectbox(key=KEY["optimizer"]).label, at.selectbox(key=KEY["optimizer"]).value) == ("优化器",
                                                                                                    "momentum")
    assert at.checkbox(key=KEY["shuffle"]).value
    assert (at.toggle(key="presenter").label, at.toggle(key="presenter").value) == ("演示模式", True)
    assert left(at) == []
    at.segmented_control(key="lang").set_value("en").run()
    assert (at.text_input(key=KEY["lr"]).label, at.text_input(key=KEY["lr"]).value) == ("Learning rate", "3e-5")
    assert at.toggle(key="presenter").label == "Presenter view"


def test_a_preset_chosen_on_the_chinese_page_fills_the_settings_and_says_what_it_shows():
    at = app({"lang": "zh"})
    at.selectbox(key="preset").set_value("Diverging").run()  # the option's value stays the preset's key
    assert not at.exception
    assert at.selectbox(key="preset").value == "Diverging"
    assert left(at) == []


def test_every_field_has_a_name_for_mid_run_sentences_and_lists_join_per_language():
    for f in FIELDS:
        assert f"page.live.field.{f.attr}" in i18n.STRINGS["en"]
        assert i18n.STRINGS["en"][f"page.live.field.{f.attr}"] == str(f.label).lower()
    names = listed([f"x{i}" for i in range(3)])
    assert (names, say_in(names, "zh")) == ("x0, x1, x2", "x0、x1、x2")


def test_chart_words_are_english_outside_a_page_run():
    v = {"epoch": np.arange(3), "loss": np.ones(3), "last_loss": np.ones(3), "test_loss": np.full(3, np.nan),
         "lr": np.full(3, 1e-5), "weights": np.ones((3, 2))}
    fig = loss_figure(v).to_dict()
    assert (fig["layout"]["title"]["text"], fig["layout"]["xaxis"]["title"]["text"]) == ("Loss", "epoch")
    assert fig["data"][0]["name"] == "training loss (mean)"
