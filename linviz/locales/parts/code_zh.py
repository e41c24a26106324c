"""简体中文：“查看代码”页签，以及导出脚本中的注释（linviz/export.py、linviz_app/code_tab.py）。"""
STRINGS = {
    "code.one_lr": "一次只能导出一个学习率",
    "code.script.title": "独立脚本：复现 linviz 的这次训练（设置：{query}），只依赖 numpy 和 torch。",
    "code.script.defaults": "教程的默认值",
    "code.script.about": "它生成与 linviz 相同的数据和初始权重，并用 PyTorch 教程中的训练循环来训练。",
    "code.script.data": "数据：特征为整数，目标值 y = x . w，全部由同一个固定随机种子的生成器产生",
    "code.script.noise": "标签噪声",
    "code.script.hold_out": "留出 {n} 个样本作为测试集",
    "code.script.standardize": "标准化：特征变为均值 0、标准差 1；目标值变为均值 0（模型没有偏置项）",
    "code.script.decay": "学习率衰减（{schedule} 调度）",
    "code.script.done": "训练完成",
    "code.script.raw_units": "换算回原始特征的单位",
    "code.fix_settings": "请先修正设置，再查看代码。",
    "code.sweep": "这是一次包含 {n} 个学习率的扫描。脚本像教程一样只用一个学习率训练：请选择要复现哪一次训练。",
    "code.about_run": "一个独立脚本（只依赖 numpy 和 torch，写法与教程相同），复现这次训练：数据相同、初始权重相同、"
                      "每一步的更新也相同。训练过程中对学习率的修改不包含在内。",
    "code.about_settings": "一个独立脚本（只依赖 numpy 和 torch，写法与教程相同），按当前设置复现训练：数据相同、"
                           "初始权重相同、每一步的更新也相同。训练过程中对学习率的修改不包含在内。",
    "code.download": "下载脚本",
}
