"""English: the Show me the code tab and the exported script's comments (linviz/export.py, linviz_app/code_tab.py)."""
STRINGS = {
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
