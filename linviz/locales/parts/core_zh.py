"""简体中文：核心模块（linviz/*.py）的消息。键与 core_en.py 相同。"""
STRINGS = {
    # config.py
    "core.config.feature_order": "必须大于{name}的值 {value:,}。",
    "core.config.no_training": "{name}为 {n:,} 时，这样就没有训练数据了；请减小比例或增加样本数。",
    "core.config.batch_too_big": "不能超过训练样本数（{n_train:,}）：{name}为 {n:,}。",
    "core.config.batch_too_big_split": ("不能超过训练样本数（{n_train:,}）：{name}为 {n:,}，再减去{test_name}为 "
                                        "{fraction} 时留作测试集的 {n_test:,} 个。"),
    # checks.py
    "core.checks.memory": ("{n:,} 个样本 × {d:,} 个权重（{name}）大约需要 {need:.1f} GiB 内存，但本机只有 {have:.1f} GiB "
                           "可用。请减少样本数或权重个数。"),
    "core.checks.device": "本机不可用：{why}。可用的设备：auto, {devices}。",
    # devices.py
    "core.device.no_cuda": "本机没有 CUDA GPU（或者安装的是仅支持 CPU 的 PyTorch）",
    "core.device.needs_mac": "需要搭载 Apple 芯片的苹果电脑",
    "core.device.unknown": "未知设备 {name}",
    # query.py
    "core.query.known": "可用的设置：{keys}。",
    "core.query.kept": "{message}因此{label}保持为 {kept}。",
    # text.py
    "core.value.list": "[{head}, ...]（共 {n:,} 个值）",
    # report.py
    "core.outcome.diverged": ("在第 {epoch} 轮发散（学习率 {lr}）：损失爆炸，训练已停止。图中显示的是第 {before} 轮，"
                              "即发散前的最后一轮。请试试更小的学习率。"),
    "core.outcome.running": "训练中：max |w - w*| = {err:.3g}",
    "core.outcome.initial": "尚未训练：请点击“训练”。",
    "core.outcome.converged": "已收敛：max |w - w*| = {err:.2g}",
    "core.outcome.converged_noisy": ("已收敛到含噪声数据的最佳拟合（最大距离 {fit:.2g}）；由于标签噪声，"
                                     "它与真实权重仍相差 {err:.3g}"),
    "core.outcome.near_noisy": ("接近但尚未到达含噪声数据的最佳拟合：最大距离 {fit:.3g}（与真实权重相差 {err:.3g}）。"
                                "标签有噪声时，小批量训练会一直在最佳拟合附近来回跳动：使用衰减的学习率调度或更大的"
                                "批大小可以让它稳定下来"),
    "core.outcome.not_converged": "尚未收敛：max |w - w*| = {err:.3g}（增加训练轮数，或者增大学习率？）",
    "core.outcome.fits": ("已拟合这些样本（与离起点最近的拟合解最大距离 {fit:.2g}），但{why}：许多组权重都能同样好地"
                          "拟合它们，当前这组与真实权重相差 {err:.3g}{more}"),
    "core.outcome.more_samples": "。样本数多于权重数时，才能唯一确定权重",
    "core.outcome.not_at_fit": ("尚未到达拟合解：与训练能到达的拟合解最大距离 {fit:.3g}（增加训练轮数，或者增大学习率？）。"
                                "但{why}，所以训练再多轮也到不了真实权重（相差 {err:.3g}）"),
    "core.why.few_one": "只有 {n} 个样本，无法确定 {d} 个权重",
    "core.why.few_many": "只有 {n} 个样本，无法确定 {d} 个权重",
    "core.why.dependent": "这些样本无法确定权重（它们的特征线性相关）",
    "core.status": "第 {epoch:,} 轮，共 {epochs:,} 轮 · 已训练 {elapsed:.2f} 秒 · 每秒 {rate:,.0f} 步",
    # sweeps.py
    "core.sweep.running": "训练中 · max |w - w*|",
    "core.sweep.converged": "已收敛",
    "core.sweep.not-converged": "尚未收敛，max |w - w*|",
    "core.sweep.diverged": "已发散",
    "core.sweep.item.converged": "lr {lr}",
    "core.sweep.item.not-converged": "lr {lr}（{err:.3g}）",
    "core.sweep.item.diverged": "lr {lr}（第 {epoch} 轮）",
    "core.sweep.item.running": "{err:.3g}（lr {lr}）",
    "core.sweep.group": "{title}：{items}",
    "core.sweep.more": "{items}，还有 {n} 个",
    "core.sweep.then": "{a} · {b}",
    "core.list.comma": "{a}、{b}",
    # estimate.py
    "core.estimate.run": ("预计这次训练大约需要 {when}（{n:,} 个样本 × {d:,} 个权重 × {epochs:,} 轮）。"
                          "减少训练轮数或样本数，或者增大批大小，都能更快完成。"),
    "core.estimate.sweep": ("预计这次学习率扫描大约需要 {when}（{n:,} 个样本 × {d:,} 个权重 × {epochs:,} 轮 × "
                            "{runs:,} 个学习率）。减少训练轮数、样本数或学习率个数，或者增大批大小，都能更快完成。"),
    "core.estimate.minute": "{minutes} 分钟",
    "core.estimate.minutes": "{minutes} 分钟",
    "core.estimate.hours": "{hours:.1f} 小时",
    # stability.py
    "core.regime.too_slow": "太慢",
    "core.regime.smooth": "平稳收敛",
    "core.regime.oscillates": "振荡但收敛",
    "core.regime.diverges": "发散",
    # analysis.py, sgd_map.py
    "core.analysis.all_zero": "训练特征全为 0，所以梯度处处为 0：无论学习率取多少，训练都不会改变权重",
    "core.analysis.adam": ("Adam 用它自己的滑动平均重新缩放每一步，所以无法从数据推出学习率阈值：它每步在权重单位下"
                           "大约移动 lr 那么远。这里的分类使用全批量的谱，只是粗略估计。"),
    "core.analysis.crosses": "按样本顺序训练一轮的线性映射（轮映射），其谱半径在这里越过 1",
    "core.analysis.crosses_momentum": "带动量、按样本顺序训练一轮的线性映射（轮映射），其谱半径在这里越过 1",
    "core.analysis.shuffled": "{note}（按某一个固定顺序计算：只是估计，因为打乱会让每轮的顺序都不同）",
    "core.analysis.range": "{lo:.3g} 到 {hi:.3g}",
    "core.analysis.ranges": ("在几个互不相连的区间内都稳定：{ranges}；区间之间的学习率会发散，所以“学习率高于 "
                             "{threshold:.3g} 就发散”只在 {until:.3g} 以下成立。"),
    "core.analysis.no_stable": "在扫描的网格上没有任何学习率收敛：阈值未知。",
    "core.analysis.prefix": "谱和最小二乘解是用 {n:,} 个样本中的前 {rows:,} 个估计出来的。",
    "core.analysis.prefix_span": "这 {rows:,} 个样本只张成了 {d} 个权重方向中的 {rank} 个；全部 {n:,} 个样本可能张成更多。",
    "core.analysis.why_standardized": "标准化减去了均值，{n} 个样本只剩下 {m} 个独立方向",
    "core.analysis.why_dependent": ("特征线性相关（有重复列或常数列），或者非常接近线性相关，训练已无法区分"
                                    "（曲率低于最大曲率的 1e-10）"),
    "core.analysis.rank": ("秩为 {rank}（共 {d} 个权重）：{why}，所以许多组权重都能同样好地拟合这些样本。训练只在样本"
                           "张成的子空间内移动，最终停在离起点最近的拟合解{adam}；这里的轮数是到达这个拟合解所需的"
                           "轮数，而不是到达真实权重所需的轮数。"),
    "core.analysis.not_adam": "（Adam 除外，它会分别缩放每个权重）",
    "core.map.full_batch": ("在这里连一个批次的轮映射都算不起，所以把一轮中的 {k:,} 步都当作全批量的步来计算"
                            "（批较大时比较合理）"),
    "core.map.prefix": ("用 {n:,} 个样本中前 {rows:,} 个样本的精确轮映射（顺序和批大小相同）估计，其 log ρ 乘以 "
                        "{scale:.3g} 换算到完整的一轮"),
    "core.map.safe": "{note}；学习率低于 {safe:.3g}（各批 2/λ_max(H_b) 的最小值）时，普通 SGD 不可能发散",
    "core.map.momentum": "{note}；使用动量时，这种只取前一部分样本的估计可能相差好几倍，因为整轮的样本顺序都有影响",
    # steps.py
    "core.steps.none": "至少训练一轮才能看到每一步（在第一轮就发散的训练不保留任何一步：它最后的有限权重就是起点）。",
    "core.steps.too_many": "一轮有 {steps:,} 步，超过了这张图最多绘制的 {most:,} 步。",
    "core.steps.stateful": "使用 {optimizer} 时，只有整个训练不超过 {most:,} 步才显示每一步（它在步与步之间的状态要从头重放）。",
    "core.steps.thinned": "这次训练很长，历史记录保留的轮数太少，无法重放最近的各步。",
    "core.steps.no_lrs": "历史记录不再保留每一轮的学习率，因此无法重放各步。",
    "core.steps.missed": "重放结果与训练引擎的权重不一致（也许学习率在历史记录已不保留的轮次中改变过？），因此不绘制各步。",
    # presets.py
    "core.preset.tutorial.title": "教程原版（4 个权重）",
    "core.preset.tutorial.description": "学习率 1e-5，每步一个样本，和原文的训练方式相同（训练 100 轮；这个随机种子的数据需要时会更多）",
    "core.preset.tutorial_seven.title": "教程：7 个权重",
    "core.preset.tutorial_seven.description": "权重越多，需要的学习率越小、训练轮数越多",
    "core.preset.too_small.title": "学习率太小",
    "core.preset.too_small.description": "只有发散阈值的 1%：训练慢得像在爬",
    "core.preset.just_right.title": "学习率刚刚好",
    "core.preset.just_right.description": "对这组数据收敛最快的学习率",
    "core.preset.oscillating.title": "振荡",
    "core.preset.oscillating.description": "略低于阈值：权重在目标两侧来回越过",
    "core.preset.diverging.title": "发散",
    "core.preset.diverging.description": "阈值的 1.5 倍（这个随机种子的数据需要时更大）：损失在几轮之内就爆炸",
    "core.preset.standardised.title": "特征标准化",
    "core.preset.standardised.description": "特征标准化为均值 0、标准差 1 后，学习率可以大几千倍",
    "core.preset.full_batch.title": "全批量（对比逐样本）",
    "core.preset.full_batch.description": "每轮用全部样本只走一步：就是普通的梯度下降",
}
