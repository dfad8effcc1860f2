"""Saving and loading networks as .npz files (chapter 9 saves each epoch; chapter 12 reuses one).

The file holds the parameters (``W0``, ``b0``, ``alpha0`` ...) and a JSON header with the format
version and the architecture. Loading never unpickles (``allow_pickle=False``): an .npz from an
untrusted source cannot run code. Writes go to a temporary file that is renamed into place only
when complete, so a crash never leaves a half-written model.
"""
import io
import json
from pathlib import Path

import numpy as np

from .files import atomic_write

FORMAT = "mlp-book-npz"
VERSION = 1


def save(net, path):
    """Write ``net`` to ``path`` (.npz), atomically."""
    path = Path(path)
    header = dict(format=FORMAT, version=VERSION, config=net.config)
    arrays = {"header": np.array(json.dumps(header))}
    for i, layer in enumerate(net.layers):
        for name, value in zip(["W", "b"] + list(layer.activation.params), layer.params()):
            arrays[f"{name}{i}"] = value
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write(path, buffer.getvalue())


def load(path, expect_sizes=None):
    """Read a network written by ``save``; check format, version and (optionally) the sizes."""
    from .network import MLP
    try:
        with np.load(path, allow_pickle=False) as f:
            header = _read_header(f, path)
            arrays = {k: f[k] for k in f.files if k != "header"}
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: not a readable mlp model file ({e})") from None
    config = header["config"]
    if expect_sizes is not None and list(expect_sizes) != config["sizes"]:
        raise ValueError(f"{path}: holds a network of sizes {config['sizes']}, "
                         f"expected {list(expect_sizes)}")
    net = MLP.from_config(config)
    _fill(net, arrays, path)
    return net


def _read_header(f, path):
    if "header" not in f.files:
        raise ValueError("no 'header' entry: not written by mlp.io.save")
    header = json.loads(str(f["header"]))
    if header.get("format") != FORMAT:
        raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
    if header.get("version") != VERSION:
        raise ValueError(f"format version {header.get('version')}, this mlp reads version {VERSION}")
    return header


def _fill(net, arrays, path):
    for i, layer in enumerate(net.layers):
        for name, target in zip(["W", "b"] + list(layer.activation.params), layer.params()):
            key = f"{name}{i}"
            if key not in arrays or arrays[key].shape != target.shape:
                got = arrays[key].shape if key in arrays else "nothing"
                raise ValueError(f"{path}: {key} should have shape {target.shape}, found {got}")
            target[...] = arrays[key]
