"""Every figure in the book has a numbered caption and alt text (MyST-NB cell metadata).

A code cell that draws a figure carries
    "mystnb": {"figure": {"caption": "...", "name": "fig-NN-short-name"},
               "image": {"alt": "what the figure shows, for a screen reader"}}
so the book numbers it (Figure 9.2), the text can refer to it ({numref}`fig-09-curves`), and a
reader who cannot see it is told what it shows.
"""
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _figure_cells(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            images = sum("image/png" in o.get("data", {}) for o in cell.outputs)
            if images:
                yield i, cell, images


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_has_a_caption_a_name_and_alt_text(path):
    number = path.name[:2]
    for i, cell, images in _figure_cells(path):
        where = f"{path.name} cell {i}"
        assert images == 1, f"{where}: {images} images in one cell; one figure per cell"
        meta = cell.metadata.get("mystnb", {})
        caption = meta.get("figure", {}).get("caption", "")
        name = meta.get("figure", {}).get("name", "")
        alt = meta.get("image", {}).get("alt", "")
        assert len(caption.split()) >= 4, f"{where}: needs mystnb.figure.caption (a sentence)"
        assert re.fullmatch(rf"fig-{number}-[a-z0-9-]+", name), \
            f"{where}: mystnb.figure.name must look like fig-{number}-what-it-shows, got {name!r}"
        assert len(alt.split()) >= 6, f"{where}: needs mystnb.image.alt saying what it shows"
        assert alt.strip() != caption.strip(), f"{where}: alt text should describe, not repeat"


def test_figure_names_are_unique():
    names = [c.metadata["mystnb"]["figure"]["name"] for p in CHAPTERS
             for _, c, _ in _figure_cells(p) if "figure" in c.metadata.get("mystnb", {})]
    assert len(names) == len(set(names))
