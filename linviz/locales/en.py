"""English: every word linviz says, the page's and the core's messages (which the CLI prints too).
Keys are `area.name`, the same in every language; `{name}` marks a value filled in when the text is shown."""
STRINGS = {
    "field.true_weights.label": 'True weights',
    "field.true_weights.help": "The weights the model must find, e.g. 2, 3, 4, 7 (the tutorial's).",
    "field.n_samples.label": 'Samples',
    "field.n_samples.help": 'How many (x, y) samples to generate; the tutorial uses 10.',
    "field.lr.label": 'Learning rate',
    "field.lr.help": 'e.g. 1e-5 (the tutorial). Raw 1..100 features diverge above about 7e-5. Several, separated by commas, train side by side as a sweep. Changes apply from the next epoch while a run goes on.',
    "field.epochs.label": 'Epochs',
    "field.epochs.help": 'Passes over the training samples; the tutorial trains 100.',
    "field.device.label": 'Device',
    "field.device.help": "Where the tensors live: auto picks CUDA, then Apple's MPS, then the CPU.",
    "field.batch_size.label": 'Batch size',
    "field.batch_size.help": 'Samples per step: 1 as the tutorial does; the number of training samples for full-batch gradient descent.',
    "field.optimizer.label": 'Optimizer',
    "field.optimizer.help": "sgd is the tutorial's torch.optim.SGD.",
    "field.momentum.label": 'Momentum',
    "field.momentum.help": 'Used by the momentum optimizer: how much of the last step is kept.',
    "field.schedule.label": 'LR schedule',
    "field.schedule.help": 'step: lr x decay factor every N epochs; exp: the same decay, smoothly.',
    "field.step_size.label": 'Decay every (epochs)',
    "field.step_size.help": 'Epochs per decay step of the lr schedule.',
    "field.gamma.label": 'Decay factor',
    "field.gamma.help": 'The lr is multiplied by this every decay step.',
    "field.shuffle.label": 'Shuffle samples each epoch',
    "field.shuffle.help": 'The tutorial visits the samples in order.',
    "field.noise_std.label": 'Label noise (std)',
    "field.noise_std.help": 'Gaussian noise added to the targets; 0 in the tutorial.',
    "field.test_fraction.label": 'Test fraction',
    "field.test_fraction.help": 'Share of the samples held out to measure a test loss.',
    "field.standardize.label": 'Standardise features',
    "field.standardize.help": 'Scale every feature to mean 0, std 1: then lr = 0.1 works. Weights are still shown in the raw units.',
    "field.seed.label": 'Seed',
    "field.seed.help": 'Fixes the data and the initial weights, so a link reproduces the same run.',
    "field.feature_min.label": 'Smallest feature value',
    "field.feature_min.help": 'Features are integers drawn from this range (random.randint(1, 100) in the tutorial).',
    "field.feature_max.label": 'Largest feature value',
    "field.feature_max.help": "The top of the features' range (included).",
    "field.name": "{label} ({key})",
    "allowed.choice": "one of: {choices}",
    "allowed.bool": "true or false",
    "allowed.int": "a whole number from {lo} to {hi}",
    "allowed.floats": "between {least} and {most} numbers separated by commas, each a finite number between -{bound} and {bound}",
    "allowed.lrs": "a positive number up to {hi}, such as 1e-5, or up to {most} of them separated by commas for a sweep",
    "allowed.zero_up": "a number of 0 or more",
    "allowed.from_below": "a number from {lo} up to (not including) {hi}",
    "allowed.above_below": "a number above {lo} up to (not including) {hi}",
    "allowed.zero_up_to": "a number of 0 or more, up to {hi}",
    "allowed.from_to": "a number from {lo} to {hi}",
    "allowed.above_to": "a number above {lo} and at most {hi}",
    "allowed.use": "Use {allowed}.",
    "allowed.use_why": "{why} Use {allowed}.",
    "parse.not_ascii": "{char} cannot be read: write digits 0-9, a sign, a point, e or a comma.",
    "parse.empty": "It is empty.",
    "parse.not_number": "{part} is not a number.",
    "parse.count": "It has {n} numbers.",
    "parse.grouping": "A comma may only group thousands, as in 1,000,000; write a decimal point as a point, as in 1.5.",
    "error.got": "{label}: got {shown}. {allowed}",
    "error.unknown": "Unknown setting {name}. {allowed}",
    "value.digits": "a number of about {n} digits",
    "lang.label": "Language / 语言",
    "lang.help": "The page's language. A link keeps it (?lang=zh); switching does not stop a run.",
    "lang.bad_link": "Language (lang): got {value}. Allowed: {allowed}.",
    "controls.train": "Train",
    "controls.train_help": "Train from the start with the sidebar's settings",
    "controls.stop": "Stop",
    "controls.stop_help": "End the run here, keeping everything so far",
    "controls.pause": "Pause",
    "controls.pause_help": "Pause the run; press again to resume",
    "controls.resume": "Resume",
    "controls.resume_help": "Go on training",
    "controls.step": "Step",
    "controls.step_help": "Train one epoch, then pause",
    "controls.reset": "Reset",
    "controls.reset_help": "Clear the run and its charts",
    "controls.shortcut": "{what} (shortcut: {letter})",
    "controls.max": "max",  # the speed slider's last stop: train flat out between redraws
    "controls.speed": "Speed (epochs per second)",
    "tab.training": "Training",
    "tab.data": "Data",
    "tab.landscape": "Loss landscape",
    "tab.ladder": "Learning-rate ladder",
    "tab.compare": "Compare runs",
    "tab.code": "Show me the code",

    # --- core: the core's messages: rules over two fields, machine checks, links, outcomes, sweeps, estimates, analysis, steps, presets
    # config.py: rules over two fields
    "core.config.feature_order": "It must be larger than {name}, which is {value:,}.",
    "core.config.no_training": "With {name} {n:,} it leaves no training data; use a smaller fraction or more samples.",
    "core.config.batch_too_big": "It can be at most the number of training samples ({n_train:,}): {name} {n:,}.",
    "core.config.batch_too_big_split": ("It can be at most the number of training samples ({n_train:,}): {name} {n:,} "
                                        "less the {n_test:,} that {test_name} {fraction} holds out."),
    # checks.py: what this machine can run
    "core.checks.memory": ("{n:,} samples x {d:,} weights ({name}) need about {need:.1f} GiB, but one setting may use "
                           "at most {have:.1f} GiB of this server's memory. Use fewer samples or weights."),
    "core.memory.full": ("This server is shared: the runs and analyses of everyone on it use {use:.2g} GiB of its {budget:.2g} "
                         "GiB, and this needs {need:.2g} GiB more. Use fewer samples or weights, or try again when a "
                         "run has ended."),
    "core.checks.device": "Not available here: {why}. Available: auto, {devices}.",
    # devices.py: why a device is not offered
    "core.device.no_cuda": "no CUDA GPU here (or a CPU-only PyTorch build)",
    "core.device.needs_mac": "needs an Apple-silicon Mac",
    "core.device.unknown": "unknown device {name}",
    # environment variables (linviz/env.py): one line naming the variable and what it allows
    "core.env.bad": "The environment variable {name} is {shown}: use {allowed}.",
    "core.env.allowed.max_trainings": ("a whole number from 1 to {most:,} (trainings at once in each server process), "
                                       "or 0 or nothing for the default ({default})"),
    "core.env.allowed.memory_mb": ("a positive number of MiB (the memory each server process may use), or nothing for "
                                   "the default: half of the machine's available memory"),
    "core.env.allowed.debug": "{on} to show an internal error's traceback, or {off} or nothing not to",
    "core.env.default.max_trainings": "{n} trainings at once per server process",
    "core.env.default.memory_mb": "half of the machine's available memory",
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
    "core.outcome.converged_settle": ("Converged to where SGD at this lr settles (max distance {fit:.2g}): with noisy "
                                      "labels that is {err:.3g} from the true weights"),
    "core.outcome.near_settle": ("Not yet where SGD at this lr settles: max distance {fit:.3g} ({err:.3g} from the "
                                 "true weights). More epochs, or a larger lr?"),
    "core.outcome.diverging_slowly": ("Moving away: max |w - w*| = {err:.3g}, up from {start:.3g} at the start, so "
                                      "lr {lr} looks to diverge, too slowly for its loss to grow the 1e10-fold that "
                                      "stops a run. Try a smaller learning rate"),
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
    "core.status": "Epoch {epoch:,} of {epochs:,} · loss {loss:.4g}",
    "core.status.sweep": "Epoch {epoch:,} of {epochs:,}",
    "core.timing": "{elapsed:.2f} s training, {rate:,.0f} steps/s",
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
    "core.analysis.crosses": "the spectral radius of the in-order epoch map crosses 1 there, located to 1e-9 of the lr",
    "core.analysis.crosses_momentum": ("the spectral radius of the in-order epoch map with momentum crosses 1 there, "
                                       "located to 1e-9 of the lr"),
    "core.analysis.bounded": ("{note}; the search for narrow windows of other behaviour ran out of its budget of lrs, "
                              "so one may have been missed"),
    "core.analysis.settle": ("At lr = {lr:.3g} training settles {ls:.2g} from the least-squares fit (SGD's own offset, "
                             "which depends on the lr) and {true:.2g} from the true weights; epoch counts are to where "
                             "it settles."),
    "core.analysis.shuffled": "{note} (for one fixed order: an estimate, since shuffling changes the order every epoch)",
    "core.analysis.range": "{lo} to {hi}",
    "core.analysis.ranges": ("Stable in several separate ranges: {ranges}; the lrs between them diverge, so 'diverges "
                             "above {threshold:.3g}' holds only up to {until:.3g}."),
    "core.analysis.no_stable": "No lr converged on the scanned grid: the threshold is unknown.",
    "core.analysis.prefix": "The spectrum and least squares are estimates from the first {rows:,} of {n:,} samples.",
    "core.analysis.prefix_span": ("Those {rows:,} samples span {rank} of the {d} weight directions; all {n:,} may "
                                  "span more."),
    "core.analysis.why_standardized": ("standardising subtracts the mean, which leaves {n} samples {m} independent "
                                       "directions"),
    "core.analysis.why_dependent": ("the features are linearly dependent (duplicate or constant columns), or so "
                                    "nearly that float64 cannot tell them apart"),
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
    "core.preset.tutorial_seven.description": "the article's 7-weight example, at half this data's divergence threshold",
    "core.preset.too_small.title": "Too small",
    "core.preset.too_small.description": "1% of the divergence threshold: it crawls",
    "core.preset.just_right.title": "Just right",
    "core.preset.just_right.description": "the lr with the fastest convergence for this data",
    "core.preset.oscillating.title": "Oscillating",
    "core.preset.oscillating.description": ("below the divergence threshold, where the weights overshoot back and "
                                            "forth and still converge"),
    "core.preset.diverging.title": "Diverging",
    "core.preset.diverging.description": ("1.5x the divergence threshold (more where this seed's data needs it): "
                                          "the loss explodes within 10 epochs"),
    "core.preset.standardised.title": "Standardised features",
    "core.preset.standardised.description": "mean 0, std 1 features take an lr hundreds of times larger, or more",
    "core.preset.full_batch.title": "Full batch (vs per-sample)",
    "core.preset.full_batch.description": "one step per epoch on all samples: plain gradient descent",
    # what a preset does on the data of the seed in use, measured (presets.preset_numbers); "within 0.01": every
    # weight, in the raw features' units; "from epoch N on": at epoch N and every epoch after it that the run trains
    "core.preset.tutorial.numbers": ("On this seed's data: within 0.01 of the true weights from epoch {reached} on; "
                                     "the divergence threshold is {threshold}."),
    "core.preset.tutorial_seven.numbers": ("lr = {lr}, {pct}% of this data's divergence threshold {threshold} (with 4 "
                                           "weights, this seed's threshold is {threshold4}); within 0.01 of the true "
                                           "weights from epoch {reached} on (4 weights at lr = 1e-5: from epoch "
                                           "{reached4})."),
    "core.preset.too_small.numbers": ("lr = {lr}, 1% of this data's divergence threshold {threshold}: after {epochs} "
                                      "epochs the weights are still up to {error} from the true ones (the aim: 0.01)."),
    "core.preset.first_range": "{pct}% of the divergence threshold {threshold}",
    "core.preset.later_range": ("above the divergence threshold {threshold}, in a range where training converges "
                                "again, {lo} to {hi}"),
    "core.preset.kept": "{where}; lrs within {margin}% of it diverge, so this preset keeps {margin}% clear of them",
    "core.preset.just_right.numbers": ("lr = {lr}: this data's fastest lr is {best}, {where}. Within 0.01 of the true "
                                       "weights from epoch {reached} on (at the article's 1e-5: from epoch "
                                       "{reached1})."),
    "core.preset.oscillating.numbers": ("lr = {lr}, {pct}% of this data's divergence threshold {threshold}: in "
                                        "{reversals} of the first {epochs} epochs the weights step back against the "
                                        "epoch before; within 0.01 of the true weights from epoch {reached} on."),
    "core.preset.oscillating.full_batch": ("On this seed's data one sample per step zig-zags clearly at no lr kept "
                                           "{margin}% clear of diverging ones, so this preset steps on all {n} samples "
                                           "at once: lr = {lr}, {pct}% of that training's divergence threshold "
                                           "{threshold}; in {reversals} of the first {epochs} "
                                           "epochs the weights step back against the epoch before; within 0.01 of the "
                                           "true weights from epoch {reached} on."),
    "core.preset.diverging.numbers": ("lr = {lr}, {factor}x this data's divergence threshold {threshold}: the loss "
                                      "explodes, and the run is stopped as diverged at epoch {epoch}."),
    "core.preset.standardised.numbers": ("lr = {lr}: the standardised data's fastest lr is {best}, {where}, "
                                         "{ratio}x the raw features' fastest ({raw}). Within 0.01 of the true weights "
                                         "from epoch {reached} on."),
    "core.preset.full_batch.numbers": ("lr = {lr}: plain gradient descent's fastest lr here is 2/(λ_min + λ_max) = "
                                       "{best}, and above 2/λ_max = {threshold} it diverges. Within 0.01 of the true "
                                       "weights from epoch {reached} on (one sample per step, at its fastest lr: from "
                                       "epoch {reached1})."),

    # --- page: the page's frame: title, sidebar, lr hint, status line, live-run notices, the Training tab and its charts
    "page.browser_title": "linviz: watch PyTorch learn",
    "page.title": "### Watch PyTorch learn **y = w · x**",
    "page.link_unusable": "Settings in this link that were not usable, so their defaults are used instead:",
    "page.and_more": "and {n} more",
    "page.fix_sidebar": "Fix the highlighted settings in the sidebar to train.",
    "page.waiting_next_one": "Waiting for a free slot: you are next, as soon as the run training on this server finishes.",
    "page.waiting_next": ("Waiting for a free slot: you are next, as soon as one of the {busy} runs training on this "
                          "server finishes."),
    "page.waiting_ahead_one": "Waiting for a free slot: 1 student ahead of you. Yours starts as soon as its turn comes.",
    "page.waiting_ahead": "Waiting for a free slot: {ahead} students ahead of you. Yours starts as soon as its turn comes.",
    "page.lost_run": ("The server process that ran your session stopped or was restarted (or this page was disconnected "
                      "for a while), so your run was lost. Press Train to start again."),
    "page.env.bad": "{error} Until it is fixed, this server uses the default: {fallback}.",
    "page.crashed": ("Something went wrong on the server, so this page stopped here. Reload the page to try again (the "
                     "link keeps your settings); the server's log has the details for your teacher."),
    "page.experiment": "Experiment",
    "page.advanced": "Advanced",
    "page.preset": "Preset for a lecture",
    "page.preset_help": "Each preset's lr is placed from the analysis of its data",
    "page.own_settings": "(your own settings)",
    "page.lr_mid_run": ("While a run goes on, a new learning rate applies from the next epoch; any other change ends "
                        "the run."),
    "page.download_csv": "Download history (CSV)",
    "page.download_json": "Download settings + result (JSON)",
    "page.device_auto": "auto ({device})",
    "page.not_offered": "Not offered: {devices}.",
    "page.not_offered_one": "{device} ({why})",
    "page.not_offered_sep": "; ",
    "page.view_bad_link": ("View ({key}): got {value}. The only view a link can open is presenter (?view=presenter); "
                           "the normal page is shown."),
    "page.presenter": "Presenter view",
    "page.presenter_help": ("Larger type and charts for a projector, the sidebar folded (its arrow at the top left "
                            "opens it). Share the address bar's link to open the page this way."),
    "page.intro": ("The model is `y = w · x` with no bias. Its weights start random; gradient descent must find the "
                   "**true weights** you set in the sidebar from generated samples alone (the defaults are the PyTorch "
                   "tutorial's). **Step** goes one epoch at a time; several learning rates separated by commas train "
                   "side by side."),
    "page.hint.notes_sep": " ",  # between the analysis' notes: sentences
    "page.status.sep": " · ",
    "page.status.ladder": "Learning-rate ladder",
    "page.status.sweep": "{n} learning rates",
    "page.status.paused": "Paused: Resume goes on from epoch {epoch:,}; Step trains epoch {next:,} and pauses again",
    "page.status.paused_err": ("Paused: max |w - w*| = {err:.3g}. Resume goes on from epoch {epoch:,}; Step trains "
                               "epoch {next:,} and pauses again"),
    "page.status.stopped": ("Stopped: with the same settings, Step trains epoch {next:,} and pauses; Train starts "
                            "again from epoch 0"),
    "page.status.stopped_err": ("Stopped: max |w - w*| = {err:.3g}. With the same settings, Step trains epoch "
                                "{next:,} and pauses; Train starts again from epoch 0"),
    "page.status.in_epoch": "epoch {epoch:,} is {pct}% trained (the charts show it when it ends)",
    "page.progress": "epoch {epoch:,} / {epochs:,}",
    "page.hint.estimate_below": ("Your lr is **{ratio} x** the divergence threshold, estimated at {threshold}: below "
                                 "it, so it should converge. {why}; train and see."),
    "page.hint.why_large": "This data is too large to work out how fast exactly",
    "page.hint.why_shuffled": "Shuffling changes the order every epoch, so this is an estimate",
    "page.hint.why_bounded": "The search for narrow ranges of other behaviour ran out of its budget",
    "page.hint.estimate_above": ("Your lr is **{ratio} x** the divergence threshold, estimated at {threshold}: above "
                                 "it, so it should **diverge**. {why}; train and see."),
    "page.hint.exact": "Your lr is **{ratio} x** the divergence threshold ({threshold}): **{kind}**{epochs}.",
    "page.hint.epochs_one": ", ~{n:,} epoch to within 0.01{to}",
    "page.hint.epochs": ", ~{n:,} epochs to within 0.01{to}",
    "page.hint.epochs_never": ", ~{n} epochs to within 0.01{to}: never, in practice",
    "page.hint.to_true": "",
    "page.hint.to_fit": " of the fit training reaches",
    "page.hint.to_settle": " of where it settles",
    "page.hint.use_fastest": "Use the fastest lr ({lr})",
    "page.live.could_not_start": "This run could not start: {message}",
    "page.live.lr_changed": "{label} changed to {lrs} from epoch {epoch} on.",
    "page.live.lrs_changed": "{label}s changed to {lrs} from epoch {epoch} on.",
    "page.live.changed_run": ("You changed {names}: that needs new data or a new model, so the run ended at epoch "
                              "{epoch}. Press Train to start again."),
    "page.live.changed_ladder": ("You changed {names}: that needs new data or a new model, so the ladder ended at "
                                 "epoch {epoch}. Press Train to start again."),
    "page.live.list": "{first}, {rest}",
    "page.live.lr_count": "the number of learning rates ({old} to {new})",
    "page.live.lr_to_list": "the learning rate from one value to a list",
    # a setting's name inside a sentence ("You changed batch size, seed: ..."), one per field of linviz/fields.py
    "page.live.field.true_weights": "true weights",
    "page.live.field.n_samples": "samples",
    "page.live.field.lr": "learning rate",
    "page.live.field.epochs": "epochs",
    "page.live.field.device": "device",
    "page.live.field.batch_size": "batch size",
    "page.live.field.optimizer": "optimizer",
    "page.live.field.momentum": "momentum",
    "page.live.field.schedule": "lr schedule",
    "page.live.field.step_size": "decay every (epochs)",
    "page.live.field.gamma": "decay factor",
    "page.live.field.shuffle": "shuffle samples each epoch",
    "page.live.field.noise_std": "label noise (std)",
    "page.live.field.test_fraction": "test fraction",
    "page.live.field.standardize": "standardise features",
    "page.live.field.seed": "seed",
    "page.live.field.feature_min": "smallest feature value",
    "page.live.field.feature_max": "largest feature value",
    "page.log_loss": "Log-scale loss",
    "page.show_error": "Show |w - w*| instead",
    "page.chart.epoch": "epoch",
    "page.chart.loss": "Loss",
    "page.chart.mse": "mean squared error",
    "page.chart.mse_log": "mean squared error (log)",
    "page.chart.train_loss": "training loss (mean)",
    "page.chart.train_loss_hover": "mean",
    "page.chart.last_loss": "last-sample loss (what the tutorial prints)",
    "page.chart.last_loss_hover": "last sample",
    "page.chart.test_loss": "test loss",
    "page.chart.test_loss_hover": "test",
    "page.chart.lrs_changed": "lrs changed",
    "page.chart.lr_changed": "lr → {lr}",
    "page.chart.diverged": "diverged at epoch {epoch:,}:<br>the loss became inf/NaN<br>or over {factor} times its start",
    "page.chart.diverged_at": "diverged at epoch {epoch:,}",
    "page.chart.blowup": "the blow-up (the loss the diverging epoch reached)",
    "page.chart.last_finite": "last finite epoch",
    "page.chart.weights": "Weights (dashed: the true values)",
    "page.chart.error": "|w - w*| per weight (log)",
    "page.chart.weight": "weight",
    "page.chart.heatmap": "|w - w*| for {n} weights (darker is closer)",
    "page.chart.heatmap_hover": "epoch {x}, {y}: 10^{z}",
    "page.start.line": "**Train** runs {epochs} of {method} at {lrs} on {samples}: {watch}",
    "page.start.epochs_one": "1 epoch",
    "page.start.epochs": "{n:,} epochs",
    "page.start.samples_one": "1 sample",
    "page.start.samples": "{n:,} samples",
    "page.start.samples_split": "{n:,} samples ({m:,} of them held out to test)",
    "page.start.per_sample": "per-sample {optimizer}",
    "page.start.full_batch": "full-batch {optimizer}",
    "page.start.mini_batch": "{optimizer} on mini-batches of {b:,}",
    "page.start.sgd": "SGD",
    "page.start.momentum": "SGD with momentum {m}",
    "page.start.adam": "Adam",
    "page.start.lr": "lr {lr}",
    "page.start.lr_decaying": "lr {lr}, decaying ({schedule})",
    "page.start.lrs": "lrs {lrs} side by side",
    "page.start.watch_diverges": ("this lr is {ratio} x the divergence threshold of this data: watch the loss "
                                  "grow until it blows up."),
    "page.start.watch": "watch the loss fall and each weight move to its dashed target.",
    "page.start.watch_heatmap": "watch the loss fall and each weight's distance to its target shrink.",
    "page.start.watch_sweep": "one line per lr: watch which lrs bring the loss down and which blow up.",
    "page.start.loss_later": " The loss appears with the first epoch: computing it now would draw all {n:,} samples.",
    "page.start.all_later": (" The starting weights and the loss appear with the first epoch: with standardised features "
                             "both depend on all {n:,} samples."),
    "page.start.loss_label": "start: {loss}",
    "page.start.loss_note": "the loss appears with the first epoch",

    # --- tabs: the Data, Loss landscape, Learning-rate ladder and Compare tabs, and the sweep charts
    # Data tab (linviz_app/data_tab.py)
    "tabs.data.no_settings": "Fix the settings in the sidebar to see the data.",
    "tabs.data.press_train": "Press **Train** or **Step** to see the samples and what the model predicts for them.",
    "tabs.data.run_choice": "Run in the sample chart and the table",
    "tabs.data.parity_title": "Prediction vs target, epoch {epoch:,}",
    "tabs.data.parity_diverged": "Prediction vs target: diverged at epoch {epoch:,}, its last finite weights "
                                 "(epoch {last:,})",
    "tabs.data.each_title": "Each sample: target and prediction",
    "tabs.data.each_title_run": "Each sample: target and prediction ({name})",
    "tabs.data.initial_every_lr": "initial weights (every lr)",
    "tabs.data.name_diverged": "{name} (diverged at epoch {epoch:,}: last finite weights)",
    "tabs.data.target_noise": "x · w* + noise",
    "tabs.data.target_true": "x · w* (the true weights)",
    "tabs.data.model_std": "w · (x − x̄) + ȳ (standardised features, in raw units)",
    "tabs.data.note_points": "Each point is a sample: its target y = {target} and the model's prediction {model} "
                             "with the current weights. Training moves the points onto the dashed diagonal.",
    "tabs.data.note_untrained": " Not trained yet: the predictions of the initial weights.",
    "tabs.data.note_many": "{n:,} samples: the charts show about {shown:,} of them, evenly spread.",
    "tabs.data.note_test": "Open circles: the {n:,} held-out test samples, never trained on.",
    "tabs.data.note_features": "x has {d:,} features: the table shows the first {k}.",
    "tabs.data.note_standardized": "Features are standardised for training; the table and the charts show them "
                                   "raw, and the predictions in the targets' own units.",
    "tabs.data.note_noise": "The targets carry noise (std {std}): no weights fit every sample{floor}, so the points "
                            "settle around the diagonal, not on it.",
    "tabs.data.note_floor": " (the best possible weights, least squares, leave residuals of about {best}{settle})",
    "tabs.data.note_settle": "; at lr {lr} SGD settles off them, where the residuals are about {there}",
    "tabs.data.note_noise_fits": ("The targets carry noise (std {std}), yet some weights fit every sample exactly (too "
                                  "few samples to expose it), so the points can reach the diagonal."),
    # Data charts (linviz_app/data_charts.py)
    "tabs.data.parity_default": "Prediction vs target",
    "tabs.data.perfect_fit": "perfect fit (prediction = target)",
    "tabs.data.test_points": "{name}: held-out test samples",
    "tabs.data.hover_point": "sample {n}: target {x}, prediction {y}",
    "tabs.data.hover_test_point": "test sample {n}: target {x}, prediction {y}",
    "tabs.data.outside_one": "{n:,} point beyond the axes",
    "tabs.data.outside_many": "{n:,} points beyond the axes",
    "tabs.data.beyond_diverged": "{count}:<br>{runs} diverged, so its predictions<br>run off the chart",
    "tabs.data.beyond_diverged_many": "{count}:<br>{runs} diverged, so their predictions<br>run off the chart",
    "tabs.data.beyond_far": "{count}:<br>the predictions of {runs}<br>are still far from the targets",
    "tabs.data.beyond_run_diverged": "{count}:<br>the run diverged, so its predictions<br>run off the chart",
    "tabs.data.beyond_run_far": "{count}:<br>the predictions are still<br>far from the targets",
    "tabs.data.beyond_more": "{runs} and {n:,} more",
    "tabs.data.axis_target": "target y",
    "tabs.data.axis_prediction": "prediction w · x",
    "tabs.data.sample_prefix": "sample ",
    "tabs.data.test_sample_prefix": "test sample ",
    "tabs.data.residual": "residual",
    "tabs.data.target": "target y",
    "tabs.data.prediction": "prediction",
    "tabs.data.hover_target": "{label}: target {y}",
    "tabs.data.hover_prediction": "{label}: prediction {y}",
    "tabs.data.axis_samples_split": "sample (training, then held-out test)",
    "tabs.data.axis_samples": "sample",
    "tabs.data.held_out": " held out →",
    "tabs.data.col_sample": "sample",
    "tabs.data.col_test": "test {n}",
    "tabs.data.col_target": "target y",
    "tabs.data.col_prediction": "prediction",
    "tabs.data.col_residual": "residual",
    # Loss landscape tab (linviz_app/landscape_tab.py)
    "tabs.land.steps_not_shown": "Every step: not shown. {why}",
    "tabs.land.per_sample": "sample",
    "tabs.land.per_batch": "batch of {n:,}",
    "tabs.land.one_epoch": "epoch {epoch:,}",
    "tabs.land.epochs": "epochs {first:,} to {last:,}",
    "tabs.land.steps_note": "Thin line: every optimiser step (one per {each}) of {span}, replayed exactly from the "
                            "engine's weights; dots: the ends of epochs.",
    "tabs.land.training_path": "training path",
    "tabs.land.every_step": "{name}: every step",
    "tabs.land.needs_two": "The landscape needs at least two weights.",
    "tabs.land.horizontal": "Horizontal",
    "tabs.land.vertical": "Vertical",
    "tabs.land.same_weight": "Choose two different weights.",
    "tabs.land.steps_toggle": "Show every step (the zig-zag)",
    "tabs.land.steps_help": "Draw the weights after each optimiser step of the latest epochs (at most {n:,} steps), "
                            "not only one point per epoch.",
    "tabs.land.more": "... ({n:,} more)",
    "tabs.land.list_sep": ", ",
    "tabs.land.slice_fixed": "A slice through the true weights: {others} held fixed. ",
    "tabs.land.caption": "This slice's ellipses are {ratio:.2g}x longer than wide; κ of all weights: {kappa:.3g}. "
                         "Raw features: threshold {raw_threshold}, largest curvature {raw_curvature:.3g}; "
                         "standardised: threshold {std_threshold}, largest curvature {std_curvature:.3g}. "
                         "The steepest direction sets the largest usable lr.",
    # Learning-rate charts (linviz_app/lr_charts.py)
    "tabs.lr.band_hover": "lr {lr}: {kind}",
    "tabs.lr.your_lr": "your lr",
    "tabs.lr.threshold_legend": "divergence threshold {threshold}",
    "tabs.lr.ladder_loss_title": "Ladder: loss per epoch",
    "tabs.lr.mse_log": "mean squared error (log)",
    "tabs.lr.loss_now": "loss now",
    "tabs.lr.final_loss": "final loss",
    "tabs.lr.final_hover": "lr {lr}: {loss}",
    "tabs.lr.diverged_last": "diverged (last finite loss)",
    "tabs.lr.final_title_running": "Ladder: where training is now",
    "tabs.lr.final_title": "Ladder: where training ends up",
    "tabs.lr.loss_now_log": "loss now (log)",
    "tabs.lr.final_loss_log": "final loss (log)",
    "tabs.lr.learning_rate": "learning rate",
    "tabs.lr.diverges_above": "diverges above {threshold}",
    "tabs.lr.log_loss": "log10 loss",
    "tabs.lr.true_weights": "true weights",
    "tabs.lr.start": "start",
    "tabs.lr.landscape_title": "Loss over {a} and {b}",
    # Learning-rate ladder tab (linviz_app/ladder_tab.py)
    "tabs.ladder.needs_threshold": "The ladder needs valid settings and an optimizer with a divergence threshold "
                                   "(not Adam).",
    "tabs.ladder.too_big": "The ladder trains {n} runs at once: {why}",
    "tabs.ladder.progress": "{n} runs trained together as one batched run: epoch {epoch:,} of {epochs:,}, "
                            "{seconds:.2f} s of training ({status}).",
    "tabs.ladder.status.idle": "idle",
    "tabs.ladder.status.running": "running",
    "tabs.ladder.status.paused": "paused",
    "tabs.ladder.status.stopped": "stopped",
    "tabs.ladder.status.done": "done",
    "tabs.ladder.status.finished": "finished",
    "tabs.ladder.button": "Run the ladder: lr = {factors} x the threshold",
    "tabs.ladder.intro": "Same data, same initial weights, six learning rates placed around this data's divergence "
                         "threshold, trained together as one batched run. It becomes this page's run (replacing the "
                         "current one): Stop, Pause, Step and Speed above work on it.",
    # Sweep charts (linviz_app/sweep_charts.py)
    "tabs.sweep.lr_name": "lr {lr}",
    "tabs.sweep.diverged_here": "diverged here",
    "tabs.sweep.diverged_hover": "diverged after epoch {epoch}",
    "tabs.sweep.heat_hover": "epoch {epoch}, {run}: {what} 10^{z}",
    "tabs.sweep.loss": "loss",
    "tabs.sweep.heat_loss_title": "Loss of {n} learning rates (darker is lower)",
    "tabs.sweep.test_name": "{name} (test)",
    "tabs.sweep.loss_title": "Loss per learning rate",
    "tabs.sweep.loss_title_test": "Loss per learning rate (dashed: test loss)",
    "tabs.sweep.mse": "mean squared error",
    "tabs.sweep.mse_log": "mean squared error (log)",
    "tabs.sweep.heat_distance_title": "max |w - w*| per learning rate (darker is closer)",
    "tabs.sweep.distance_title": "Distance to the true weights: max |w - w*| (log)",
    # Compare runs tab (linviz_app/compare_tab.py)
    "tabs.compare.pin_label": "#{n}: lr {lr}, epoch {epoch}",
    "tabs.compare.pin": "Pin this run",
    "tabs.compare.pin_help": "Keep this run as a faint line on the loss chart (up to {n}); one learning rate at a time",
    "tabs.compare.sweep": "Pinning keeps a run with one learning rate. This run is a sweep: its {n} learning rates "
                          "are already side by side on the loss chart.",
    "tabs.compare.clear": "Clear pinned runs",
    "tabs.compare.intro": "Finish or stop a run, pin it, change a setting and train again: pinned runs stay on the "
                          "loss chart as faint lines.",
    "tabs.compare.col_run": "run",
    "tabs.compare.current": "current run",
    "tabs.compare.same": "The pinned runs share every setting.",

    # --- code: the exported script (linviz/export.py) and the Show-me-the-code tab
    "code.one_lr": "export one learning rate at a time",
    "code.script.title": "The linviz run {query}, as a standalone script: numpy + torch only.",
    "code.script.defaults": "(the tutorial's defaults)",
    "code.script.about": "It makes the same data and initial weights as linviz and trains with the PyTorch tutorial's loop.",
    "code.script.data": "Data: integer features, targets y = x . w, all from one seeded generator",
    "code.script.noise": "label noise",
    "code.script.hold_out": "hold out {n} samples for testing",
    "code.script.standardize": "Standardise: features to mean 0, std 1; targets to mean 0 (no bias in the model)",
    "code.script.decay": "{schedule} decay",
    "code.script.done": "training done",
    "code.script.raw_units": "in the raw features' units",
    "code.script.mean_loss": "the mean loss over all training samples, in float64 as linviz measures it",
    "code.script.fmt": "the tutorial's 4 decimals, or powers of ten once the loss explodes",
    "code.script.limit": ("Divergence, by linviz's rule: after an epoch, the mean loss is not finite or over {factor} "
                          "times the start's (a start below 1 counts as 1)"),
    "code.script.last": "The last finite epoch: its weights, its last batch's loss, its mean loss",
    "code.script.diverged": "not finite (NaN, inf) or over the limit: diverged in this epoch, so stop here",
    "code.script.result": ("The result as strict JSON: the last finite epoch's weights, and the epoch it diverged at "
                           "(null if it did not)"),
    "code.script.exit": "exit status {status}, as `python -m linviz` gives when a run diverges",
    "code.fix_settings": "Fix the settings to see the code.",
    "code.sweep": "This is a sweep of {n} learning rates. The script trains one learning rate, as the tutorial does: "
                  "choose which run it reproduces.",
    "code.about_run": "A standalone script (numpy + torch only, in the tutorial's style) that reproduces this run: "
                      "same data, same initial weights, same updates. Learning-rate changes made during a run are "
                      "not in it.",
    "code.about_settings": "A standalone script (numpy + torch only, in the tutorial's style) that reproduces the "
                           "current settings: same data, same initial weights, same updates. Learning-rate changes "
                           "made during a run are not in it.",
    "code.download": "Download the script",
}
