"""The online book's live widgets: JavaScript in place of the notebooks' stored ipywidgets.

A notebook's ipywidgets need a Python kernel; the online book has none, so it showed them as
snapshots. This extension, in HTML builds only:

* replaces the outputs of the notebook cells listed in book/live/cells.yml by a live widget
  (a ``<div class="mlp-live" data-live="name">`` that book/live/ui.js mounts), and loads the
  widget's scripts on that page only;
* writes a plain note under every other widget output: it is a snapshot, and how to run it;
* gives markdown pages a ``live-widget`` directive (the playground page uses it);
* copies book/live's scripts and stylesheet to ``_static/live/`` and writes chapter 11's
  MNIST subset there (mlp.book.web.write_mnist_subset: generated at every build from the MNIST
  files, never committed). The build fails with a clear message if MNIST cannot be found.

The notebooks themselves are untouched: in Jupyter they keep their ipywidgets. The mapping
lives outside them, so it is checked: the build fails if a ``match`` of cells.yml is found in
no code cell or in more than one, or names a cell without a widget output, so that an edit
of a chapter cannot silently drop a live widget.
"""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LIVE_DIR = Path(__file__).resolve().parent.parent / "live"
CORE = ["mlp.js", "ui.js"]
#: The scripts each live widget needs (after CORE), in load order.
WIDGETS = {
    "perceptron": ["explorers.js"], "neuron": ["explorers.js"], "slowdown": ["explorers.js"],
    "bowl": ["explorers.js"], "playground": ["toy.js", "playground.js"], "mnist": ["mnist_panel.js"],
}
ASSETS = ["mlp.js", "ui.js", "toy.js", "explorers.js", "playground.js", "mnist_panel.js",
          "mnist_worker.js", "live.css"]
HOW_TO_RUN = "book/how_to_use"
HOW_TO_RUN_ANCHOR = "run-it-on-your-own-machine"


class live_widget(nodes.General, nodes.Element):
    """A live widget's container: name, options (JSON-able dict)."""


def container_html(name, options):
    """The element book/live/ui.js turns into the live widget ``name``."""
    options = html.escape(json.dumps(options, separators=(",", ":")), quote=True)
    return (f'<div class="mlp-live" data-live="{html.escape(name)}" data-options="{options}">'
            '<p class="mlp-live-fallback">This live widget needs JavaScript. Without it, run the '
            'notebook in Jupyter.</p></div>\n')


def scripts_for(names):
    """The scripts (under _static/live/) a page with these live widgets loads, in order."""
    scripts = list(CORE)
    for name in sorted(names):
        scripts += [s for s in WIDGETS[name] if s not in scripts]
    return scripts


def visit_live_widget_html(self, node):
    self.body.append(container_html(node["name"], node["options"]))
    raise nodes.SkipNode


def skip(self, node):
    raise nodes.SkipNode


class LiveWidgetDirective(Directive):
    """``live-widget NAME`` with an optional ``:options:`` JSON object, e.g.
    ```{live-widget} playground
    :options: {"syncHash": true}
    ```"""
    required_arguments = 1
    option_spec = {"options": directives.unchanged}

    def run(self):
        name = self.arguments[0]
        if name not in WIDGETS:
            raise self.error(f"unknown live widget {name!r}; known: {', '.join(sorted(WIDGETS))}")
        try:
            options = json.loads(self.options.get("options", "{}"))
        except json.JSONDecodeError as e:
            raise self.error(f"live-widget :options: must be a JSON object: {e}")
        return [live_widget(name=name, options=options)]


# ---- cells.yml: which cell gets which widget --------------------------------------------------
def load_mapping(srcdir: Path, path: Path) -> dict:
    """{docname: {cell_index: entry}} from cells.yml; raises ExtensionError listing every entry
    that matches no cell, several cells, or a cell without a widget output."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    problems, mapping = [], {}
    for i, entry in enumerate(entries):
        where = f"{path.name} entry {i + 1} ({entry.get('chapter')!r}, match {entry.get('match')!r})"
        problem = _check_entry(srcdir, entry)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        cells = _code_cells(srcdir / entry["chapter"])
        found = [k for k, cell in cells if entry["match"] in cell["source"]]
        if len(found) != 1:
            problems.append(f"{where}: the match is in {len(found)} code cells (cells "
                            f"{found}), it must be in exactly one")
            continue
        cell = dict(cells)[found[0]]
        if not _has_widget(cell):
            problems.append(f"{where}: cell {found[0]} has no stored widget output to replace")
            continue
        docname = str(Path(entry["chapter"]).with_suffix("").as_posix())
        mapping.setdefault(docname, {})[found[0]] = entry
    if problems:
        raise ExtensionError("book/live/cells.yml does not fit the chapters:\n  " + "\n  ".join(problems))
    return mapping


def _check_entry(srcdir, entry):
    if not isinstance(entry, dict) or not {"chapter", "match", "widget"} <= set(entry):
        return "needs chapter, match and widget"
    if entry["widget"] not in WIDGETS:
        return f"unknown widget {entry['widget']!r}; known: {', '.join(sorted(WIDGETS))}"
    if not (srcdir / entry["chapter"]).is_file():
        return "no such chapter"
    if not isinstance(entry.get("options", {}), dict):
        return "options must be a mapping"
    return None


def _code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cells.append((k, dict(cell, source=source)))
    return cells


def _has_widget(cell):
    return any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", []))


# ---- the transform ---------------------------------------------------------------------------
def _is_widget_bundle(node):
    return (isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"
            and any(isinstance(c, nodes.container) and c.get("mime_type") == WIDGET_VIEW
                    for c in node.children))


class LiveWidgets(SphinxPostTransform):
    """Runs before MyST-NB picks a MIME type per output (SelectMimeType, priority 4)."""
    default_priority = 3
    formats = ("html",)

    def run(self, **kwargs):
        docname = self.env.docname
        mapped = dict(self.app.env.mlp_live_mapping.get(docname, {}))
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code":
                continue
            outputs = [c for c in cell.children if isinstance(c, nodes.container)
                       and c.get("nb_element") == "cell_code_output"]
            entry = mapped.pop(cell.get("cell_index"), None)
            if entry is not None:
                if not outputs:
                    raise ExtensionError(f"{docname}: the cell cells.yml maps to the "
                                         f"{entry['widget']} widget shows no output")
                outputs[0].children = [live_widget(name=entry["widget"], options=entry.get("options", {}))]
            elif outputs and any(_is_widget_bundle(n) for n in outputs[0].findall(nodes.container)):
                outputs[0].append(self._snapshot_note(docname))
        if mapped:
            raise ExtensionError(f"{docname}: cells.yml maps cells {sorted(mapped)} that the page "
                                 "does not show")

    def _snapshot_note(self, docname):
        uri = self.app.builder.get_relative_uri(docname, HOW_TO_RUN) + "#" + HOW_TO_RUN_ANCHOR
        note = nodes.paragraph(classes=["mlp-snapshot-note"])
        note += nodes.strong(text="Snapshot: ")
        note += nodes.Text("these controls need a Python kernel, so the online book shows them as "
                           "the notebook last ran. To move them, run this notebook in Jupyter or "
                           "Colab (")
        note += nodes.reference(text="how to run the notebooks", refuri=uri, internal=True)
        note += nodes.Text(").")
        return note


# ---- events ------------------------------------------------------------------------------------
def read_mapping(app):
    app.env.mlp_live_mapping = load_mapping(Path(app.srcdir), Path(app.srcdir) / app.config.mlp_live_cells)


def write_data(app):
    """Chapter 11's MNIST subset into _static/live/ (seconds; a clear error if MNIST is nowhere)."""
    if app.builder.format != "html" or not app.config.mlp_live_mnist:
        return
    from mlp.book import web
    target = Path(app.outdir) / "_static" / "live" / "mnist_subset.bin"
    try:
        web.write_mnist_subset(target, download=app.config.mlp_live_download)
    except OSError as e:
        raise ExtensionError(
            "The online book's live MNIST panel (chapter 11) needs the MNIST files, which are "
            "turned into _static/live/mnist_subset.bin at every build. Point MLP_MNIST_DIR at a "
            "folder with the four MNIST files (train-images-idx3-ubyte.gz ...) or let "
            f"mlp.data.load_mnist() download them.\nmlp.data said: {e}") from e
    logger.info(f"mlp_live: wrote {target.name} ({target.stat().st_size / 1e6:.1f} MB)")


def add_page_assets(app, pagename, templatename, context, doctree):
    if doctree is None or app.builder.format != "html":
        return
    names = {node["name"] for node in doctree.findall(live_widget)}
    if not names:
        return
    for i, script in enumerate(scripts_for(names)):
        app.add_js_file(f"live/{script}", priority=700 + i)
    app.add_css_file("live/live.css")


def copy_assets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "live"
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copy2(LIVE_DIR / name, target / name)


def setup(app):
    app.add_config_value("mlp_live_cells", "book/live/cells.yml", "env")
    app.add_config_value("mlp_live_mnist", True, "env")
    app.add_config_value("mlp_live_download", True, "env")  # may mlp.data download MNIST?
    app.add_node(live_widget, html=(visit_live_widget_html, None), latex=(skip, None),
                 text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_directive("live-widget", LiveWidgetDirective)
    app.add_post_transform(LiveWidgets)
    app.connect("builder-inited", read_mapping)
    app.connect("builder-inited", write_data)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", copy_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
