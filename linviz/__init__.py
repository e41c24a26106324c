"""linviz: watch a linear model learn its weights, the way the PyTorch tutorial trains it.

The core (this package) imports only numpy and torch; dashboard.py and `python -m linviz` drive it.
Names load on first use (PEP 562): `python -m linviz` then imports torch inside its own Ctrl-C handling.
"""
import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for editors and linters; at run time each name loads when first used
    from .config import RunConfig
    from .data import Dataset, make_dataset
    from .devices import available_devices, resolve_device
    from .engine import Trainer, train
    from .errors import ConfigError
    from .fields import FIELDS
    from .model import LinearModel, initial_weights
    from .query import from_query, parse_config, parse_lenient, to_query
    from .state import RunState, TrainState
    from .tutorial import tutorial_train

_WHERE = {  # name -> the module that defines it
    "ConfigError": "errors", "RunConfig": "config", "Dataset": "data", "make_dataset": "data",
    "available_devices": "devices", "resolve_device": "devices", "RunState": "state", "Trainer": "engine",
    "TrainState": "state", "train": "engine", "FIELDS": "fields", "LinearModel": "model", "initial_weights": "model",
    "from_query": "query", "parse_config": "query", "parse_lenient": "query", "to_query": "query",
    "tutorial_train": "tutorial",
}
__all__ = ["FIELDS", "ConfigError", "Dataset", "LinearModel", "RunConfig", "RunState", "TrainState", "Trainer",
           "available_devices", "from_query", "initial_weights", "make_dataset", "parse_config", "parse_lenient",
           "resolve_device", "to_query", "train", "tutorial_train"]


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'linviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
