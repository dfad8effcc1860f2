"""A small site with the online book's live widgets, for their tests and benchmark.

    site = live_site.build(tmp_dir, {"neuron.html": ["neuron"], "all.html": list(WIDGETS)})

copies book/live's scripts to ``_static/live/`` as the book's Sphinx extension
(book/_ext/mlp_live.py) does, writes chapter 11's MNIST subset there (the real one when the
MNIST files can be found, else, with ``mnist="synthetic"`` or when they cannot, a small
learnable stand-in), and writes one page per entry, loading the scripts and holding the
widget containers exactly as the built book's pages do.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import mlp_live  # noqa: E402  (the book's own extension: the same containers and scripts)

from mlp.book import web  # noqa: E402

WIDGETS = sorted(mlp_live.WIDGETS)
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>live widgets</title>
<link rel="stylesheet" href="_static/live/live.css">
{scripts}
</head><body style="max-width: 700px; margin: 10px auto; font-family: sans-serif">
{body}
</body></html>
"""


def synthetic_subset(n_train=1000, n_val=300, seed=0):
    """MNIST-shaped uint8 data that a network can learn: ten random sparse prototypes, each
    image one of them with its ink scaled and 10% of its pixels flipped."""
    rng = np.random.default_rng(seed)
    prototypes = (rng.random((10, 784)) < 0.15).astype(np.float64)

    def draw(n):
        y = np.arange(n) % 10
        X = prototypes[y] * rng.uniform(0.6, 1.0, (n, 1))
        flip = rng.random((n, 784)) < 0.1
        X[flip] = rng.random(int(flip.sum()))
        return np.round(255 * X).astype(np.uint8), y.astype(np.uint8)
    return draw(n_train), draw(n_val)


def write_subset(path: Path, mnist: str = "real") -> str:
    """Write the panel's data file; returns "real" or "synthetic" (what was written)."""
    if mnist == "real":
        try:
            web.write_mnist_subset(path, download=False)
            return "real"
        except OSError:
            pass
    path.write_bytes(web.subset_bytes(*synthetic_subset()))
    return "synthetic"


def page(widgets, options=None) -> str:
    """A page with one container per widget name (options: {name: dict})."""
    options = options or {}
    scripts = "\n".join(f'<script src="_static/live/{s}"></script>'
                        for s in mlp_live.scripts_for(set(widgets)))
    body = "\n".join(mlp_live.container_html(w, options.get(w, {})) for w in widgets)
    return PAGE.format(scripts=scripts, body=body)


def build(directory: Path, pages: dict, mnist: str = "real", options: dict | None = None) -> dict:
    """Copy the assets, write the data and the pages into ``directory``; returns
    {"directory": ..., "mnist": "real" | "synthetic"}."""
    static = Path(directory) / "_static" / "live"
    static.mkdir(parents=True, exist_ok=True)
    for name in mlp_live.ASSETS:
        (static / name).write_bytes((mlp_live.LIVE_DIR / name).read_bytes())
    kind = write_subset(static / "mnist_subset.bin", mnist)
    for name, widgets in pages.items():
        (Path(directory) / name).write_text(page(widgets, options), encoding="utf-8")
    return {"directory": Path(directory), "mnist": kind}
