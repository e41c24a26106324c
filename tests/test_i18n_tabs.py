"""The analysis tabs in Chinese (`?lang=zh`): Data, Loss landscape (with its zig-zag), Learning-rate ladder, Compare
runs, the sweep's charts and the lr band read Chinese, every word of them; in English (and outside a page) they
read exactly as before, and a choice made in one language survives a switch to the other."""
import numpy as np
from helpers_page import app, charts, english_left, open_tab, train

from linviz import RunConfig, make_dataset
from linviz.samples import select
from linviz_app import i18n
from linviz_app.data_charts import sample_table
from linviz_app.lr_charts import ladder_final_figure, lr_band_figure
from linviz_app.lr_colours import lr_labels

ZH = i18n.STRINGS["zh"]


def zh(query: dict) -> dict:
    return {"lang": "zh", **query}


def titles(at) -> list[str]:
    return [f["layout"].get("title", {}).get("text", "") for f in charts(at)]


def test_the_data_tab_reads_chinese_for_a_sweep_with_test_samples_and_noise():
    at = open_tab(train(app(zh({"lr": "1e-5,3e-5", "epochs": "20", "samples": "40", "test_fraction": "0.25",
                                "noise_std": "1"}))), ZH["tab.data"])
    assert not at.exception
    assert english_left(at.main) == []
    assert "预测值与目标值对比（第 20 轮）" in titles(at)
    assert "逐个样本：目标值与预测值（学习率 1e-5）" in titles(at)
    (parity,) = charts(at, "预测值与目标值对比")
    assert [t["name"] for t in parity["data"]][:3] == ["完美拟合（预测值 = 目标值）", "学习率 1e-5",
                                                       "学习率 1e-5：留出的测试样本"]
    assert list(at.dataframe[0].value.columns) == ["样本", "x1", "x2", "x3", "x4", "目标值 y", "预测值", "残差"]
    captions = " ".join(c.value for c in at.main.caption)
    assert "空心圆：10 个留出的测试样本，从不参与训练。" in captions
    assert "目标值带有噪声（标准差 1）" in captions
    assert at.selectbox(key="data_run").label == "逐样本图和表格显示哪一次训练"


def test_the_data_tabs_choice_of_run_survives_a_language_switch():
    at = open_tab(train(app(zh({"lr": "1e-5,3e-5", "epochs": "5"}))), ZH["tab.data"])
    assert at.selectbox(key="data_run").options == ["学习率 1e-5", "学习率 3e-5"]
    at.selectbox(key="data_run").set_value("lr 3e-5").run()  # the values stay English: the link's and the tests'
    assert charts(at, "逐个样本：目标值与预测值（学习率 3e-5）")
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert charts(at, "Each sample: target and prediction (lr 3e-5)")
    assert at.selectbox(key="data_run").options == ["lr 1e-5", "lr 3e-5"]


def test_a_diverged_run_and_the_before_training_preview_read_chinese():
    at = open_tab(train(app(zh({"lr": "1e-4", "epochs": "20"}))), ZH["tab.data"])
    assert english_left(at.main) == []
    assert "预测值与目标值对比：第 4 轮发散，图中为最后一组有限权重（第 3 轮）" in titles(at)
    at = open_tab(app(zh({})), ZH["tab.data"])
    assert english_left(at.main) == []
    assert "尚未训练：图中是初始权重的预测值。" in " ".join(c.value for c in at.main.caption)


def test_the_landscape_and_its_zig_zag_read_chinese():
    at = open_tab(train(app(zh({"lr": "1e-5,3e-5", "epochs": "20"}))), ZH["tab.landscape"])
    toggle = at.toggle(key="land_steps")
    assert toggle.label == "显示每一步（之字形路径）"
    toggle.set_value(True).run()
    assert not at.exception
    assert english_left(at.main) == []
    (land,) = charts(at, "损失随 w1 和 w2 的变化")
    names = [t.get("name") for t in land["data"]]
    assert "真实权重" in names and "学习率 1e-5：每一步" in names and "起点" in names
    captions = " ".join(c.value for c in at.main.caption)
    assert "细线：第 1 到第 20 轮中优化器的每一步（每个样本一步）" in captions
    assert "这是穿过真实权重的一个切片：w3 = 4、w4 = 7 保持不变。" in captions
    at.selectbox(key="land_j").set_value("w1").run()
    assert [w.value for w in at.main.warning] == ["请选择两个不同的权重。"]


def test_why_the_zig_zag_is_not_shown_reads_chinese():
    at = open_tab(app(zh({"epochs": "5", "lr": "1e-3", "batch_size": "2"})), ZH["tab.landscape"])
    at.toggle(key="land_steps").set_value(True).run()
    at = train(at)
    assert not at.exception
    assert english_left(at.main) == []
    assert any(c.value.startswith("无法显示每一步：") for c in at.main.caption)


def test_the_ladder_reads_chinese_before_and_after_it_runs():
    at = open_tab(app(zh({"epochs": "20"})), ZH["tab.ladder"])
    assert english_left(at.main) == []
    assert at.button(key="btn_ladder").label == "运行学习率阶梯：学习率 = 0.1, 0.3, 0.6, 0.9, 1.05, 1.5 × 阈值"
    at.select_slider(key="speed").set_value("max").run()
    at.button(key="btn_ladder").click().run()
    assert not at.exception
    assert english_left(at.main) == []
    assert charts(at, "学习率阶梯：每轮的损失") and charts(at, "学习率阶梯：训练最终的结果")
    (final,) = charts(at, "学习率阶梯：训练最终的结果")
    assert final["layout"]["annotations"][0]["text"].startswith("高于 ")
    assert "（已完成）" in " ".join(c.value for c in at.main.caption)


def test_compare_runs_reads_chinese_and_its_pins_follow_the_language():
    at = open_tab(app(zh({"epochs": "20"})), ZH["tab.compare"])
    assert english_left(at.main) == []
    at = train(at)
    assert at.button(key="btn_pin").label == "保留这次训练"
    at.button(key="btn_pin").click().run()
    assert at.session_state["pins"][0]["label"] == "#1: lr 1e-5, epoch 20"  # English as a str (a Msg)
    at.text_input(key="cfg_lr").set_value("3e-5").run()
    at = train(at)
    assert english_left(at.main) == []
    table = at.dataframe[0].value
    assert list(table.columns) == ["哪次训练", "lr"]
    assert list(table["哪次训练"]) == ["#1：学习率 1e-5，第 20 轮", "当前训练"]
    at.segmented_control(key="lang").set_value("en").run()
    assert list(at.dataframe[0].value["run"]) == ["#1: lr 1e-5, epoch 20", "current run"]


def test_a_sweeps_charts_read_chinese():
    at = train(app(zh({"lr": "1e-5,1e-4", "epochs": "20", "test_fraction": "0.3"})))
    assert not at.exception
    (loss,) = charts(at, "各学习率的损失（虚线：测试集损失）")
    assert loss["layout"]["yaxis"]["title"]["text"] == "均方误差（对数刻度）"
    assert {t["name"] for t in loss["data"] if t.get("showlegend", True)} >= {"学习率 1e-5", "学习率 1e-4", "在此发散"}
    assert charts(at, "与真实权重的距离：max |w - w*|（对数刻度）")


def test_the_lr_band_names_the_regimes_in_chinese():
    at = app(zh({}))
    band = next(f for f in charts(at) if any(t.get("name") == "你的学习率" for t in f["data"]))
    names = [t["name"] for t in band["data"]]
    assert "平稳收敛" in names and "发散" in names
    assert not {"converges smoothly", "diverges", "your lr"} & set(names)


def test_english_is_unchanged_outside_a_page():
    assert lr_labels([1e-5, 3e-5]) == ["lr 1e-5", "lr 3e-5"]
    assert lr_labels([1e-5], "zh") == ["学习率 1e-5"]
    cfg = RunConfig(n_samples=12, test_fraction=0.25)
    data = make_dataset(cfg)
    s = select(data)
    table = sample_table(s, s.y, rows=len(s.y))
    assert list(table) == ["sample", "x1", "x2", "x3", "x4", "target y", "prediction", "residual"]
    assert table["sample"][0] == "1" and table["sample"][-1] == f"test {s.number[-1]}"
    fig = ladder_final_figure([1e-5, 1e-4], [1.0, np.inf], [False, True], 6e-5)
    assert fig["layout"]["title"]["text"] == "Ladder: where training ends up"
    assert fig["layout"]["annotations"][0]["text"] == "diverges above 6e-5"
    band = lr_band_figure(np.array([1e-6, 1e-4]), ["converges smoothly", "diverges"], 1e-5, 6e-5)
    assert [t["name"] for t in band["data"]] == ["converges smoothly", "diverges", "divergence threshold 6e-5", "your lr"]
