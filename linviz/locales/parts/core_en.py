"""English: the core's messages (linviz/*.py): cross-field rules, machine checks, outcomes, warnings, the lr
analysis's notes, regime and preset names. Keys `core.<module>.<name>`."""
STRINGS = {
    # config.py: rules over two fields
    "core.config.feature_order": "It must be larger than {name}, which is {value:,}.",
    "core.config.no_training": "With {name} {n:,} it leaves no training data; use a smaller fraction or more samples.",
    "core.config.batch_too_big": "It can be at most the number of training samples ({n_train:,}): {name} {n:,}.",
    "core.config.batch_too_big_split": ("It can be at most the number of training samples ({n_train:,}): {name} {n:,} "
                                        "less the {n_test:,} that {test_name} {fraction} holds out."),
    # checks.py: what this machine can run
    "core.checks.memory": ("{n:,} samples x {d:,} weights ({name}) need about {need:.1f} GiB, but only {have:.1f} GiB "
                           "of memory is free. Use fewer samples or weights."),
    "core.checks.device": "Not available here: {why}. Available: auto, {devices}.",
    # devices.py: why a device is not offered
    "core.device.no_cuda": "no CUDA GPU here (or a CPU-only PyTorch build)",
    "core.device.needs_mac": "needs an Apple-silicon Mac",
    "core.device.unknown": "unknown device {name}",
    # query.py: links and flags
    "core.query.known": "Known settings: {keys}.",
    "core.query.kept": "{message} So {label} keeps {kept}.",
    # text.py: a long list echoed back
    "core.value.list": "[{head}, ... ({n:,} values)]",
    # report.py: what a run came to
    "core.outcome.diverged": ("Diverged at epoch {epoch} with lr {lr}: the loss blew up, so training stopped. "
                              "Showing epoch {before}, the last one before it blew up. Try a smaller learning rate."),
    "core.outcome.running": "Running: max |w - w*| = {err:.3g}",
    "core.outcome.initial": "Not trained yet: press Train.",
    "core.outcome.converged": "Converged: max |w - w*| = {err:.2g}",
    "core.outcome.converged_noisy": ("Converged to the best fit of the noisy data (max distance {fit:.2g}); the label "
                                     "noise keeps it {err:.3g} from the true weights"),
    "core.outcome.near_noisy": ("Near, not at, the best fit of the noisy data: max distance {fit:.3g} ({err:.3g} from "
                                "the true weights). With noisy labels, small batches keep hopping around it: a "
                                "decaying schedule or a bigger batch settles it"),
    "core.outcome.not_converged": "Not converged yet: max |w - w*| = {err:.3g} (more epochs, or a larger lr?)",
    "core.outcome.fits": ("Fits the samples (max distance {fit:.2g} from the fit nearest the start), but {why}: many "
                          "weights fit them equally well, and this one is {err:.3g} from the true weights{more}"),
    "core.outcome.more_samples": ". More samples than weights pin them down",
    "core.outcome.not_at_fit": ("Not at a fit yet: max distance {fit:.3g} from the fit training can reach (more epochs, "
                                "or a larger lr?). But {why}, so no number of epochs reaches the true weights "
                                "({err:.3g} away)"),
    "core.why.few_one": "{n} sample cannot determine {d} weights",
    "core.why.few_many": "{n} samples cannot determine {d} weights",
    "core.why.dependent": "the samples do not determine the weights (their features are linearly dependent)",
    "core.status": "Epoch {epoch:,} of {epochs:,} · {elapsed:.2f} s training · {rate:,.0f} steps/s",
    # sweeps.py: one sentence over every run of a sweep
    "core.sweep.running": "Running · max |w - w*|",
    "core.sweep.converged": "Converged",
    "core.sweep.not-converged": "Not converged yet, max |w - w*|",
    "core.sweep.diverged": "Diverged",
    "core.sweep.item.converged": "lr {lr}",
    "core.sweep.item.not-converged": "lr {lr} ({err:.3g})",
    "core.sweep.item.diverged": "lr {lr} at epoch {epoch}",
    "core.sweep.item.running": "{err:.3g} (lr {lr})",
    "core.sweep.group": "{title}: {items}",
    "core.sweep.more": "{items} and {n} more",
    "core.sweep.then": "{a} · {b}",
    "core.list.comma": "{a}, {b}",
    # estimate.py: the long-run warning
    "core.estimate.run": ("This run is estimated to take about {when} of training ({n:,} samples x {d:,} weights x "
                          "{epochs:,} epochs). Fewer epochs or samples, or a larger batch, will be quicker."),
    "core.estimate.sweep": ("This sweep is estimated to take about {when} of training ({n:,} samples x {d:,} weights x "
                            "{epochs:,} epochs x {runs:,} learning rates). Fewer epochs, samples or learning rates, "
                            "or a larger batch, will be quicker."),
    "core.estimate.minute": "{minutes} minute",
    "core.estimate.minutes": "{minutes} minutes",
    "core.estimate.hours": "{hours:.1f} hours",
    # stability.py: what training at one lr does
    "core.regime.too_slow": "too slow",
    "core.regime.smooth": "converges smoothly",
    "core.regime.oscillates": "oscillates but converges",
    "core.regime.diverges": "diverges",
    # analysis.py and sgd_map.py: how the threshold was found, and facts about the samples
    "core.analysis.all_zero": ("the training features are all zero, so every gradient is zero: training never moves "
                               "the weights, at any lr"),
    "core.analysis.adam": ("Adam rescales every step by its own running averages, so no lr threshold follows from the "
                           "data: it takes steps of about lr in weight units. Classifications use the full-batch "
                           "spectrum and are rough."),
    "core.analysis.crosses": "the spectral radius of the in-order epoch map crosses 1 here",
    "core.analysis.crosses_momentum": "the spectral radius of the in-order epoch map with momentum crosses 1 here",
    "core.analysis.shuffled": "{note} (for one fixed order: an estimate, since shuffling changes the order every epoch)",
    "core.analysis.range": "{lo:.3g} to {hi:.3g}",
    "core.analysis.ranges": ("Stable in several separate ranges: {ranges}; the lrs between them diverge, so 'diverges "
                             "above {threshold:.3g}' holds only up to {until:.3g}."),
    "core.analysis.no_stable": "No lr converged on the scanned grid: the threshold is unknown.",
    "core.analysis.prefix": "The spectrum and least squares are estimates from the first {rows:,} of {n:,} samples.",
    "core.analysis.prefix_span": ("Those {rows:,} samples span {rank} of the {d} weight directions; all {n:,} may "
                                  "span more."),
    "core.analysis.why_standardized": ("standardising subtracts the mean, which leaves {n} samples {m} independent "
                                       "directions"),
    "core.analysis.why_dependent": ("the features are linearly dependent (duplicate or constant columns), or so "
                                    "nearly that training cannot tell (curvature below 1e-10 of the largest)"),
    "core.analysis.rank": ("Rank {rank} of {d}: {why}, so many weights fit the samples equally well. Training moves "
                           "only within the samples' span and ends at the fit nearest its start{adam}; epoch counts "
                           "are to that fit, not to the true weights."),
    "core.analysis.not_adam": " (not for Adam, which rescales each weight)",
    "core.map.full_batch": ("the epoch map of even one batch is too costly here, so each of the {k:,} steps of an "
                            "epoch is taken as a full-batch step (fair for large batches)"),
    "core.map.prefix": ("the exact epoch map of the first {rows:,} of {n:,} samples (same order and batch), its log "
                        "rho scaled by {scale:.3g} to a whole epoch"),
    "core.map.safe": "{note}; below lr = {safe:.3g} (min over batches of 2/lambda_max(H_b)) plain SGD cannot diverge",
    "core.map.momentum": "{note}; with momentum such a prefix can be off several-fold, since the whole epoch's order matters",
    # steps.py: why the landscape cannot show every step
    "core.steps.none": ("Train at least one epoch to see its steps (a run that diverges in its first epoch keeps none: "
                        "its last finite weights are its starting point)."),
    "core.steps.too_many": "One epoch has {steps:,} steps, more than the {most:,} this chart draws.",
    "core.steps.stateful": ("With {optimizer} the steps are shown only while the whole run fits in {most:,} steps (its "
                            "state between steps is replayed from the start)."),
    "core.steps.thinned": "The history keeps too few of this long run's epochs to replay its latest steps.",
    "core.steps.no_lrs": "The history no longer keeps every epoch's learning rate, so the steps cannot be replayed.",
    "core.steps.missed": ("The replay did not land on the engine's weights (the learning rate changed in epochs the "
                          "history no longer keeps?), so the steps are not drawn."),
    # presets.py: names (the English one is also the preset's id) and what each shows
    "core.preset.tutorial.title": "The tutorial (4 weights)",
    "core.preset.tutorial.description": ("lr = 1e-5, one sample per step, as the article trains (100 epochs, or more "
                                         "where this seed's data needs them)"),
    "core.preset.tutorial_seven.title": "The tutorial with 7 weights",
    "core.preset.tutorial_seven.description": "more weights need a smaller lr and more epochs",
    "core.preset.too_small.title": "Too small",
    "core.preset.too_small.description": "1% of the divergence threshold: it crawls",
    "core.preset.just_right.title": "Just right",
    "core.preset.just_right.description": "the lr with the fastest convergence for this data",
    "core.preset.oscillating.title": "Oscillating",
    "core.preset.oscillating.description": "just below the threshold: the weights overshoot back and forth",
    "core.preset.diverging.title": "Diverging",
    "core.preset.diverging.description": ("1.5x the threshold (more where this seed's data needs it): the loss "
                                          "explodes within a few epochs"),
    "core.preset.standardised.title": "Standardised features",
    "core.preset.standardised.description": "mean 0, std 1 features take an lr thousands of times larger",
    "core.preset.full_batch.title": "Full batch (vs per-sample)",
    "core.preset.full_batch.description": "one step per epoch on all samples: plain gradient descent",
}
