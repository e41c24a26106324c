"""简体中文：页面上的文字。键与 en.py 相同；`{name}` 处在显示时填入数值。
Terms as Chinese PyTorch material uses them: 学习率, 权重, 样本, 损失, 训练轮数 (epoch), 批大小, 优化器."""
STRINGS = {
    "lang.label": "Language / 语言",
    "lang.help": "页面语言。链接会保留它（?lang=zh）；切换语言不会中断正在进行的训练。",
    "lang.bad_link": "语言（lang）：收到 {value}。可选：{allowed}。页面以英文显示。",
    "controls.train": "训练",
    "controls.train_help": "按侧边栏的设置从头开始训练",
    "controls.stop": "停止",
    "controls.stop_help": "在此结束训练，保留到目前为止的全部结果",
    "controls.pause": "暂停",
    "controls.pause_help": "暂停训练；再按一次继续",
    "controls.resume": "继续",
    "controls.resume_help": "继续训练",
    "controls.step": "单步",
    "controls.step_help": "训练一轮（一个 epoch），然后暂停",
    "controls.reset": "重置",
    "controls.reset_help": "清除本次训练及其图表",
    "controls.shortcut": "{what}（快捷键：{letter}）",
    "controls.speed": "速度（每秒训练轮数）",
}
