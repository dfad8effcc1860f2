"""The book's live-widget extension (book/_ext/mlp_live.py) and book/live/cells.yml.

* cells.yml fits the chapters as they are: each match is in exactly one code cell, which has a
  stored widget output, and names a widget that exists;
* a mapping that matches no cell, several cells or a cell without a widget fails with a message
  naming the entry;
* a small Sphinx build (MyST-NB, execution off) puts the live widget in place of the mapped
  cell's outputs, a snapshot note under every other widget output, the widget's scripts on that
  page only, and copies the assets; a `live-widget` directive works in a markdown page;
* the build fails with a clear message when the MNIST files for chapter 11's panel are nowhere.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import mlp_live  # noqa: E402
from sphinx.errors import ExtensionError  # noqa: E402

WIDGET = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2,
                                                        "version_minor": 0},
          "text/plain": "VBox()"}


def test_cells_yml_fits_the_chapters():
    mapping = mlp_live.load_mapping(ROOT, ROOT / "book" / "live" / "cells.yml")
    assert {doc: sorted(e["widget"] for e in cells.values()) for doc, cells in mapping.items()} == {
        "chapters/01_perceptron": ["perceptron"], "chapters/02_activations": ["neuron"],
        "chapters/04_losses": ["slowdown"], "chapters/05_gradient_descent": ["bowl"],
        "chapters/07_first_networks": ["playground"], "chapters/11_playground": ["mnist"]}


def notebook(path, sources):
    """A notebook whose code cells (sources) each show a stored widget, except "plain" ones."""
    cells = [new_markdown_cell("# A chapter\n\nSome text.")]
    for source in sources:
        outputs = [] if "plain" in source else [new_output("display_data", data=WIDGET)]
        cells.append(new_code_cell(source, outputs=outputs, execution_count=1))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    nbformat.write(nb, path)


def write_cells(path, entries):
    path.write_text(json.dumps(entries))  # JSON is YAML


@pytest.mark.parametrize("entry,message", [
    ({"chapter": "ch.ipynb", "match": "nowhere()", "widget": "neuron"}, "in 0 code cells"),
    ({"chapter": "ch.ipynb", "match": "explorer(", "widget": "neuron"}, "in 2 code cells"),
    ({"chapter": "ch.ipynb", "match": "plain_cell", "widget": "neuron"}, "no stored widget output"),
    ({"chapter": "ch.ipynb", "match": "explorer(1)", "widget": "nonsense"}, "unknown widget 'nonsense'"),
    ({"chapter": "gone.ipynb", "match": "explorer(1)", "widget": "neuron"}, "no such chapter"),
    ({"chapter": "ch.ipynb", "widget": "neuron"}, "needs chapter, match and widget"),
])
def test_a_mapping_that_does_not_fit_fails(tmp_path, entry, message):
    notebook(tmp_path / "ch.ipynb", ["explorer(1)", "explorer(2)", "x = 1  # plain_cell"])
    write_cells(tmp_path / "cells.yml", [entry])
    with pytest.raises(ExtensionError, match="cells.yml does not fit") as info:
        mlp_live.load_mapping(tmp_path, tmp_path / "cells.yml")
    assert message in str(info.value)


CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_nb", "mlp_live"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
mlp_live_cells = "cells.yml"
mlp_live_mnist = {mnist!r}
mlp_live_download = False
"""


def build(tmp_path, entries, mnist=False):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(CONF.format(ext=str(ROOT / "book" / "_ext"), mnist=mnist))
    (src / "index.md").write_text("# Book\n\n```{toctree}\nch\npage\n```\n")
    (src / "page.md").write_text("# A page\n\n```{live-widget} playground\n:options: {\"syncHash\": true}\n```\n")
    notebook(src / "ch.ipynb", ["widgets.neuron_explorer()", "other_widget()", "x = 1  # plain"])
    write_cells(src / "cells.yml", entries)
    env = {k: v for k, v in os.environ.items() if k != "MLP_MNIST_DIR"}
    env["MLP_CACHE_DIR"] = str(tmp_path / "empty-cache")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src),
                           str(tmp_path / "html")], capture_output=True, text=True, env=env,
                          timeout=300)
    return done, tmp_path / "html"


def test_the_build_puts_live_widgets_in_place(tmp_path):
    done, html = build(tmp_path, [{"chapter": "ch.ipynb", "match": "neuron_explorer",
                                   "widget": "neuron", "options": {"activation": "tanh"}}])
    assert done.returncode == 0, done.stderr
    page = (html / "ch.html").read_text()
    cells = page.split('<div class="cell docutils container">')[1:]
    assert len(cells) == 3
    live, snapshot, plain = cells
    assert 'class="mlp-live" data-live="neuron"' in live and "&quot;activation&quot;:&quot;tanh&quot;" in live
    assert "widget-view+json" not in live                       # the stored widget is gone
    assert "widget-view+json" in snapshot and "mlp-snapshot-note" in snapshot
    assert "Snapshot:" in snapshot and 'href="book/how_to_use.html#run-it-on-your-own-machine"' in snapshot
    assert "mlp-snapshot-note" not in plain and "mlp-live" not in plain
    scripts = [s for s in ("mlp.js", "ui.js", "explorers.js", "playground.js") if f"_static/live/{s}" in page]
    assert scripts == ["mlp.js", "ui.js", "explorers.js"]       # this widget's, in order
    assert page.index("_static/live/mlp.js") < page.index("_static/live/ui.js") < page.index("_static/live/explorers.js")
    other = (html / "page.html").read_text()
    assert 'data-live="playground"' in other and "_static/live/playground.js" in other
    assert "_static/live/" not in (html / "index.html").read_text()
    assert sorted(p.name for p in (html / "_static" / "live").iterdir()) == sorted(mlp_live.ASSETS)


def test_the_build_fails_when_a_mapping_stops_matching(tmp_path):
    done, _ = build(tmp_path, [{"chapter": "ch.ipynb", "match": "widget", "widget": "neuron"}])
    assert done.returncode != 0
    assert "cells.yml does not fit the chapters" in done.stderr and "in 2 code cells" in done.stderr


def test_the_build_fails_clearly_without_mnist(tmp_path):
    done, _ = build(tmp_path, [], mnist=True)
    assert done.returncode != 0
    assert "live MNIST panel (chapter 11) needs the MNIST files" in done.stderr
    assert "MLP_MNIST_DIR" in done.stderr
