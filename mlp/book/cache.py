"""Train once, save, reuse: a cache of trained networks and their histories (chapters 9-12).

A chapter that needs a trained network asks ``cached(name, train)``: the first call trains and
saves the network (``name.npz``) with its history (``name.json``) in the cache directory; later
calls, in this or a later chapter, load both. Training is seeded and deterministic, so what a
notebook shows is the same whether the model was loaded or trained.

The cache directory is ``$MLP_CACHE_DIR/models`` (default ``~/.cache/mlp-book/models``).
"""
import json

from ..data.download import cache_root
from ..io import atomic_write
from ..network import MLP


def model_dir():
    return cache_root() / "models"


def cached(name, train, refresh=False):
    """(net, history) for ``name``: loaded from the cache, or ``train()`` -> (net, history), saved.

    ``history`` is a dict of lists (an mlp History or anything JSON can hold).
    """
    path = model_dir() / f"{name}.npz"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not refresh:
        return MLP.load(path), json.loads(meta.read_text())
    net, history = train()
    history = _plain(history)
    net.save(path)
    atomic_write(meta, json.dumps(history))
    return net, history


def _plain(history):
    """A JSON round trip, so a fresh history and a loaded one are the same plain dict."""
    return json.loads(json.dumps(dict(history)))
