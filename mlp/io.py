"""Saving and loading networks as .npz files (chapter 9 saves each epoch; chapter 12 reuses one).

The file holds the parameters (``W0``, ``b0``, ``alpha0`` ...) and a JSON header with the format
version and the architecture. Loading never unpickles (``allow_pickle=False``): an .npz from an
untrusted source cannot run code. Writes go to a temporary file that is renamed into place only
when complete (``atomic_write``), so a crash never leaves a half-written model.

This module knows files, not networks: ``MLP.save`` and ``MLP.load`` (mlp.network) call it.
"""
import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np

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


def read(path, expect_sizes=None):
    """``(config, arrays)`` of a network written by ``save``: checks the format, the version and
    (optionally) the layer sizes. ``MLP.load`` builds the network from them."""
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
    return config, arrays


def _read_header(f, path):
    if "header" not in f.files:
        raise ValueError("no 'header' entry: not written by mlp.io.save")
    header = json.loads(str(f["header"]))
    if header.get("format") != FORMAT:
        raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
    if header.get("version") != VERSION:
        raise ValueError(f"format version {header.get('version')}, this mlp reads version {VERSION}")
    return header


def fill(net, arrays, path):
    """Copy the saved ``arrays`` into ``net``'s parameters, checking every name and shape."""
    for i, layer in enumerate(net.layers):
        for name, target in zip(["W", "b"] + list(layer.activation.params), layer.params()):
            key = f"{name}{i}"
            if key not in arrays or arrays[key].shape != target.shape:
                got = arrays[key].shape if key in arrays else "nothing"
                raise ValueError(f"{path}: {key} should have shape {target.shape}, found {got}")
            target[...] = arrays[key]


def atomic_write(path, data):
    """Write ``data`` (bytes, or str as UTF-8) to ``path`` so that a crash never leaves a
    half-written file; returns the Path.

    The bytes go to a temporary file in the target's folder, which is renamed over the target
    only once it is complete: ``os.replace`` is atomic, so readers see the old file or the new
    one. Used for models here and, by the data layer and the book's tools, for every file the
    package writes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0o600 would hide the file from a web server or a group
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
