"""The tolerance for trained figures (mlp.book.tolerance, applied by conftest.py): small moves
of a trained number pass, material ones fail, and everything else still compares exactly."""
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mlp.book import tolerance

ROOT = Path(__file__).resolve().parent.parent
SPEC = {"percent": 0.5, "decimal": "10%", "why": "measured: threads 1-3"}


def test_numbers_within_their_tolerance_pass():
    assert tolerance.compare("test accuracy 98.58% after 15 epochs, loss 0.0412",
                             "test accuracy 98.31% after 15 epochs, loss 0.0440", SPEC) == []


@pytest.mark.parametrize("actual, why", [
    ("test accuracy 96.58% after 15 epochs, loss 0.0412", "2 points"),      # material: fails
    ("test accuracy 98.58% after 15 epochs, loss 0.0500", "21%"),
    ("test accuracy 98.58% after 16 epochs, loss 0.0412", "integers exact"),
    ("test accuracy 98.58% after 15 rounds, loss 0.0412", "text exact"),
    ("test accuracy 98.58% after 15 epochs, loss 0.0412 0.1", "one more number"),
    ("test accuracy 98.58 after 15 epochs, loss 0.0412", "a percent became a decimal"),
])
def test_material_changes_and_changed_text_fail(actual, why):
    assert tolerance.compare("test accuracy 98.58% after 15 epochs, loss 0.0412", actual, SPEC), why


def test_a_column_may_widen_and_architectures_stay_exact():
    spec = {"decimal": 0.05, "integer": "10%", "why": "w"}
    assert tolerance.compare("784-300-10   9.98", "784-300-10  10.02", spec) == []
    assert tolerance.compare("784-300-10", "784-330-10", spec) == []  # within 10%: allowed...
    assert tolerance.compare("784-300-10", "784-340-10", spec)        # ...beyond: fails


@pytest.mark.parametrize("spec", [{"percent": 1}, {"percent": -1, "why": "w"},
                                  {"percentage": 1, "why": "w"}, {"decimal": "x%", "why": "w"}])
def test_a_malformed_spec_is_refused_with_a_reason(spec):
    with pytest.raises(ValueError, match="tolerance"):
        tolerance.check_spec(spec)


# ---- every trained cell of the book ----------------------------------------------------------
def _trained_cells():
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "tolerance" in cell.metadata:
                yield path.name, i, cell


def _texts(cell):
    for out in cell.outputs:
        if out.output_type == "stream":
            yield out.text
        for key, value in out.get("data", {}).items():
            if key.startswith("text/") and isinstance(value, str):
                yield value


def _moved(text, spec, factor):
    """``text`` with every number of a tolerated kind moved by ``factor`` times its limit."""
    def move(m):
        token = m.group(0)
        kind = tolerance.kind_of(token)
        if kind not in spec:
            return token
        value = float(token.rstrip("%"))
        decimals = len(token.rstrip("%").split(".")[1]) if "." in token else 0
        step, unit = tolerance._limit(spec[kind], value) * factor, 10 ** -decimals
        if step < unit and factor < 1:
            return token  # a move below the printed precision cannot be written: leave it
        step = max(step, unit)
        return f"{value + step:.{decimals}f}" + ("%" if token.endswith("%") else "")
    return tolerance.NUMBER.sub(move, text)


def test_every_trained_cell_is_tagged_and_says_why():
    for name, i, cell in _trained_cells():
        tolerance.check_spec(cell.metadata["tolerance"], f"{name} cell {i}")
        assert "trained" in cell.metadata.get("tags", []), f"{name} cell {i}: tag it 'trained'"


def test_a_stored_trained_figure_moved_materially_fails():
    """Each trained cell's numbers, moved by 3x their tolerance, are caught; by 0.5x, not."""
    checked = 0
    for name, i, cell in _trained_cells():
        spec = cell.metadata["tolerance"]
        for text in _texts(cell):
            far, near = _moved(text, spec, 3.0), _moved(text, spec, 0.5)
            if far != text:
                assert tolerance.compare(text, far, spec), f"{name} cell {i}: 3x not caught"
                checked += 1
            assert not [p for p in tolerance.compare(text, near, spec) if "moved" in p] or \
                near == text, f"{name} cell {i}"
    assert checked or not list(_trained_cells())


# ---- the mechanism inside a real nbval run ---------------------------------------------------
def _notebook(tmp_path, stored, spec):
    cell = nbformat.v4.new_code_cell('print("test accuracy 98.58% after 15 epochs")')
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    if spec:
        cell.metadata["tolerance"] = spec
        cell.metadata["tags"] = ["trained"]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("stored, spec, passes", [
    ("test accuracy 98.70% after 15 epochs\n", SPEC, True),    # moved 0.12 points: within
    ("test accuracy 96.58% after 15 epochs\n", SPEC, False),   # moved 2 points: material
    ("test accuracy 98.70% after 15 epochs\n", None, False),   # no tolerance: exact
    ("test accuracy 98.58% after 16 epochs\n", SPEC, False),   # integers stay exact
])
def test_nbval_applies_the_tolerance(tmp_path, stored, spec, passes):
    path = _notebook(tmp_path, stored, spec)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env",
                          "-p", "no:cacheprovider", "-p", "conftest", f"--rootdir={ROOT}",
                          "-c", str(ROOT / "pyproject.toml"), str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (run.returncode == 0) == passes, run.stdout[-2000:]
    if not passes and spec:
        assert "beyond" in run.stdout or "exactly" in run.stdout
