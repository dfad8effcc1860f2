"""mlp: neural networks from scratch in numpy — the tested code behind the book.

Each module is one concept and says which chapter derives it:
activations (2), losses (4), init (7), layers (3, 6), network (3, 6), optimizers (5, 10),
training (5, 7, 10), gradcheck (6), autodiff (6), perceptron (1), io (9), quasinewton (14),
idx, download and data (8), augment (10), toy (1, 7), seeds (9), cache (9-12), recipes (10),
sweep (11), preprocess and web (12), metrics, plots, widgets, exercises (throughout).
"""
import importlib

from . import activations, init, losses, optimizers, quasinewton, toy
from .activations import get_activation
from .gradcheck import (elementwise_relative_error, gradcheck, gradcheck_report,
                        numerical_gradient, relative_error)
from .layers import Dense
from .losses import get_loss
from .network import MLP
from .optimizers import SGD, Adam, Momentum
from .perceptron import Perceptron
from .toy import make_blobs, make_circles, make_moons, make_spirals, truth_table
from .training import DivergenceError, History, cosine_decay, exponential_decay, fit

__version__ = "0.1.0"

__all__ = [
    "MLP", "Dense", "Perceptron", "SGD", "Momentum", "Adam", "fit", "History",
    "DivergenceError", "exponential_decay", "cosine_decay", "gradcheck", "gradcheck_report",
    "numerical_gradient", "relative_error", "elementwise_relative_error",
    "get_activation", "get_loss", "activations", "losses", "init", "optimizers", "quasinewton",
    "toy", "truth_table", "make_moons", "make_circles", "make_spirals", "make_blobs",
    "load_mnist", "load_fashion_mnist", "one_hot", "train_validation_split", "stratified_subset",
]

# Loaded on first use, so `python -m mlp.data` does not import mlp.data twice and
# `import mlp` stays light (plots and widgets pull in matplotlib and ipywidgets).
_LAZY = {name: "data" for name in ("load_mnist", "load_fashion_mnist", "one_hot",
                                   "train_validation_split", "stratified_subset")}
_SUBMODULES = {"data", "idx", "download", "plots", "widgets", "exercises", "metrics", "recipes",
               "cache", "seeds", "sweep", "preprocess", "web", "augment", "autodiff"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mlp' has no attribute {name!r}")
