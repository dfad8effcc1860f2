"""The package layout shows the architecture (issue 11): the engine a student reads at `mlp/`,
the data layer in `mlp.data`, the book's machinery in `mlp.book`, and the engine imports neither.
"""
import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import mlp

PACKAGE = Path(mlp.__file__).parent
ENGINE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
ENTRY_POINTS = ["mlp.data", "mlp.book.recipes", "mlp.book.seeds", "mlp.book.web"]


def _imports(path):
    """The mlp modules a file imports (absolute names), wherever in the file the import is."""
    tree, package = ast.parse(path.read_text()), "mlp"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "mlp"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's own package
                base = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-node.level]
                module = ".".join(base + tuple(filter(None, [node.module])))
            else:
                module = node.module or ""
            if module.split(".")[0] != package:
                continue
            found |= {f"{module}.{a.name}" if module == "mlp" else module for a in node.names}
    return found


def _engine_deps(name):
    deps = _imports(PACKAGE / f"{name}.py")
    return {d.split(".")[1] for d in deps if d.count(".") >= 1}


def test_the_engine_imports_neither_the_data_layer_nor_the_book():
    for name in ENGINE:
        deps = _imports(PACKAGE / f"{name}.py")
        bad = sorted(d for d in deps if d.startswith(("mlp.data", "mlp.book")))
        assert not bad, f"engine module mlp.{name} imports {bad}"


def test_the_engine_has_no_import_cycle():
    graph = {name: _engine_deps(name) & set(ENGINE) for name in ENGINE}
    visiting, done = set(), set()

    def visit(node, path):
        assert node not in visiting, f"import cycle: {' -> '.join(path + [node])}"
        if node in done:
            return
        visiting.add(node)
        for dep in graph[node]:
            visit(dep, path + [node])
        visiting.discard(node)
        done.add(node)

    for name in ENGINE:
        visit(name, [])


def test_the_data_layer_does_not_import_the_book():
    for path in (PACKAGE / "data").glob("*.py"):
        bad = sorted(d for d in _imports(path) if d.startswith("mlp.book"))
        assert not bad, f"{path.name} imports {bad}"


def test_each_subpackage_says_what_it_holds():
    for sub in ("data", "book"):
        doc = ast.get_docstring(ast.parse((PACKAGE / sub / "__init__.py").read_text()))
        assert doc and len(doc.splitlines()) <= 4, f"mlp.{sub} needs a short docstring"


def test_the_readers_names_still_work():
    for name in ("MLP", "fit", "load_mnist", "one_hot", "make_moons", "truth_table", "gradcheck"):
        assert callable(getattr(mlp, name))
    assert importlib.import_module("mlp.book.plots").PALETTE  # the subpackages import


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_every_entry_point_parses_its_arguments(module):
    """`python -m ... --help` prints usage and exits at once (it used to start a training run)."""
    run = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: python -m " + module)
