"""mlp: neural networks from scratch in numpy — the tested code behind the book.

Each module is one concept and says which chapter derives it:
activations (2), losses (4), init (7), layers (3, 6), network (3, 6), optimizers (5, 10),
training (5, 7, 10), gradcheck (6), perceptron (1), io (9), quasinewton (14),
idx and data (8), toy (1, 7), recipes (10), plots, widgets, exercises.
"""
from . import activations, init, losses, optimizers, quasinewton
from .activations import get_activation
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .layers import Dense
from .losses import get_loss
from .network import MLP
from .optimizers import SGD, Adam, Momentum
from .perceptron import Perceptron
from .training import DivergenceError, History, exponential_decay, fit

__version__ = "0.1.0"

__all__ = [
    "MLP", "Dense", "Perceptron", "SGD", "Momentum", "Adam", "fit", "History",
    "DivergenceError", "exponential_decay", "gradcheck", "numerical_gradient", "relative_error",
    "get_activation", "get_loss", "activations", "losses", "init", "optimizers", "quasinewton",
]
