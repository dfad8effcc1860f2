"""The book's own machinery, built on the engine: what the chapters use but do not derive.

plots, widgets, exercises (self-checks) and grading (their hidden tests), cache (train once),
recipes, seeds and sweep (training runs the chapters report), web (the online pages' model).
"""
import importlib

_MODULES = ("plots", "widgets", "exercises", "grading", "cache", "recipes", "seeds", "sweep", "web")


def __getattr__(name):
    """``mlp.book.plots`` etc. after a plain ``import mlp``: each is imported on first use."""
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mlp.book' has no attribute {name!r}")
