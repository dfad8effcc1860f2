"""Sphinx checks of the book's own conventions; every problem is a warning, so `-W` fails.

* A notebook cell with a stored error output (a traceback) fails the build: the book never
  shows a crash. Cells that demonstrate an error on purpose are tagged `raises-exception`
  (nbval then expects the error too).
* A sphinx-exercise solution that is not a dropdown fails the build: solutions are hidden.
"""
from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _in_cell_tagged(node, tag):
    while node is not None:
        if isinstance(node, nodes.Element) and f"tag_{tag}" in node.get("classes", []):
            return True
        node = node.parent
    return False


def check_doctree(app, doctree):
    for node in doctree.findall(nodes.Element):
        classes = node.get("classes", [])
        if "output" in classes and "traceback" in classes and not _in_cell_tagged(node, "raises-exception"):
            logger.warning("notebook cell has an error output (re-execute it with tools/execute.py, "
                           "or tag the cell raises-exception if the error is the point)",
                           location=node, type="mlp_book", subtype="error_output")
        if "solution" in classes and "dropdown" not in classes and node.__class__.__name__.startswith("solution"):
            logger.warning("solution is not hidden: add `:class: dropdown` to the solution directive",
                           location=node, type="mlp_book", subtype="solution_visible")


def setup(app):
    app.connect("doctree-read", check_doctree)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
