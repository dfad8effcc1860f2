"""mlp: neural networks from scratch in numpy — the tested code behind the book.

The engine, one concept per module, each naming the chapter that derives it:
perceptron (1), activations (2), layers and network (3, 6), losses (4), optimizers (5, 10),
training (5, 7, 10), gradcheck and autodiff (6), init (7), metrics (9), io (9),
quasinewton (14); checks validates every input. Two subpackages sit on top and the engine
imports neither: ``mlp.data`` (files and data sets) and ``mlp.book`` (the book's figures,
widgets, exercises, caches and reported runs).
"""
import importlib

from . import activations, init, losses, metrics, optimizers, quasinewton
from .activations import get_activation
from .data import (load_fashion_mnist, load_mnist, one_hot, stratified_subset,
                   train_validation_split)
from .data.toy import make_blobs, make_circles, make_moons, make_spirals, truth_table
from .gradcheck import (elementwise_relative_error, gradcheck, gradcheck_report,
                        numerical_gradient, relative_error)
from .layers import Dense
from .losses import get_loss
from .network import MLP
from .optimizers import SGD, Adam, Momentum
from .perceptron import Perceptron
from .training import DivergenceError, History, cosine_decay, exponential_decay, fit

__version__ = "0.2.0"

__all__ = [
    "MLP", "Dense", "Perceptron", "SGD", "Momentum", "Adam", "fit", "History",
    "DivergenceError", "exponential_decay", "cosine_decay", "gradcheck", "gradcheck_report",
    "numerical_gradient", "relative_error", "elementwise_relative_error",
    "get_activation", "get_loss", "activations", "losses", "init", "optimizers", "quasinewton",
    "truth_table", "make_moons", "make_circles", "make_spirals", "make_blobs",
    "load_mnist", "load_fashion_mnist", "one_hot", "train_validation_split", "stratified_subset",
]


def __getattr__(name):
    """``mlp.book`` is imported on first use: it pulls in matplotlib and ipywidgets when used."""
    if name == "book":
        return importlib.import_module(".book", __name__)
    raise AttributeError(f"module 'mlp' has no attribute {name!r}")
