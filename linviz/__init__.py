"""linviz: watch a linear model learn its weights, the way the PyTorch tutorial trains it.

The core (this package) imports only numpy and torch; dashboard.py and `python -m linviz` drive it.
"""
from .config import ConfigError, RunConfig
from .data import Dataset, make_dataset
from .devices import available_devices, resolve_device
from .engine import Trainer, TrainState, train
from .fields import FIELDS
from .model import LinearModel, initial_weights
from .query import from_query, parse_config, parse_lenient, to_query
from .tutorial import tutorial_train

__all__ = [
           "FIELDS",
           "ConfigError",
           "Dataset",
           "LinearModel",
           "RunConfig",
           "TrainState",
           "Trainer",
           "available_devices",
           "from_query",
           "initial_weights",
           "make_dataset",
           "parse_config",
           "parse_lenient",
           "resolve_device",
           "to_query",
           "train",
           "tutorial_train",
]
