"""Tests of the book tooling: tools/execute.py, strict nbval, the student edition, site checks.

They build their own small notebook (a rounded number, an ipywidgets slider with interactive
output, one exercise with a gated solution and a self-check), so they do not depend on any
chapter.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_site  # noqa: E402
import execute  # noqa: E402
import student_edition  # noqa: E402

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def fixture_notebook() -> nbformat.NotebookNode:
    return new_notebook(cells=[
        new_markdown_cell("# Fixture\n\nThe mean of $x$.", id="intro"),
        new_code_cell("import numpy as np\n\nx = np.random.default_rng(0).normal(size=100)\n"
                      'print(f"mean: {x.mean():.4f}")', id="number"),
        new_code_cell("import ipywidgets as widgets\n\ndef square(n=3):\n"
                      '    print(f"{n} squared is {n * n}")\n\n'
                      'widgets.interact(square, n=widgets.IntSlider(value=3, min=0, max=9, description="n"));',
                      id="widget"),
        new_markdown_cell("```{exercise} Double it\n:label: ex-double\n\nWrite `double(v)`.\n```", id="ex"),
        new_markdown_cell("````{solution-start} ex-double\n:class: dropdown\n````", id="sol-start"),
        new_code_cell('def double(v):\n    """Return twice v."""\n    return 2 * v', id="sol",
                      metadata={"tags": ["solution"]}),
        new_markdown_cell("````{solution-end}\n````", id="sol-end"),
        new_code_cell('assert double(2) == 4\nprint("double: correct")', id="check",
                      metadata={"tags": ["check"]}),
    ])


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """The fixture notebook, executed once by tools/execute.py."""
    path = tmp_path_factory.mktemp("executed") / "fixture.ipynb"
    nbformat.write(fixture_notebook(), path)
    assert execute.main([str(path)]) == 0
    return path


def run_nbval(folder: Path) -> subprocess.CompletedProcess:
    """`pytest --nbval` on the notebooks in folder, configured like the repository's own run
    (the root conftest.py is loaded as a plugin, since folder is outside the repository)."""
    ini = folder / "pytest.ini"
    ini.write_text("[pytest]\n")
    cmd = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(folder), "-rf",
           "-p", "no:cacheprovider", "-p", "conftest", "--nbval", "--nbval-current-env",
           "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(folder)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


# ---- tools/execute.py ----------------------------------------------------------------------
def test_execute_stores_normalised_outputs(executed):
    nb = nbformat.read(executed, as_version=4)
    assert nb.metadata.kernelspec == execute.KERNELSPEC
    assert nb.metadata.language_info == execute.LANGUAGE_INFO
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert all("execution" not in c.metadata for c in nb.cells)
    assert "mean: " in "".join(o.get("text", "") for o in code[0].outputs)
    # the widget: its state is stored, its view points at a stored model, ids are the stable ones
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    views = [o.data[WIDGET_VIEW]["model_id"] for c in code for o in c.outputs
             if "data" in o and WIDGET_VIEW in o.data]
    assert views and all(v in state for v in views)
    assert set(state) == {execute.stable_model_id(i) for i in range(len(state))}
    # output inside the interact's Output widget is stored as cell output, as nbval sees it
    assert "3 squared is 9" in "".join(o.get("text", "") for o in code[1].outputs)


def test_execute_twice_gives_identical_files(executed, tmp_path):
    copy = tmp_path / "again.ipynb"
    copy.write_bytes(executed.read_bytes())
    assert execute.main([str(copy)]) == 0
    assert copy.read_bytes() == executed.read_bytes()


def test_execute_fails_on_error_and_leaves_file(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), path)
    before = path.read_bytes()
    assert execute.main([str(path)]) == 1
    assert path.read_bytes() == before
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_widget_ids_are_replaced_everywhere():
    old_a, old_b = "a" * 32, "b" * 32
    nb = nbformat.from_dict({
        "cells": [{"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {}, "source": "",
                   "outputs": [{"output_type": "display_data", "metadata": {},
                                "data": {WIDGET_VIEW: {"model_id": old_b, "version_major": 2, "version_minor": 0}}}]}],
        "metadata": {"widgets": {WIDGET_STATE: {"state": {
            old_a: {"state": {}}, old_b: {"state": {"children": [f"IPY_MODEL_{old_a}"]}}}}}},
        "nbformat": 4, "nbformat_minor": 5})
    out = json.dumps(execute.normalise_widget_ids(nb))
    assert old_a not in out and old_b not in out
    assert f"IPY_MODEL_{execute.stable_model_id(0)}" in out
    assert f'"model_id": "{execute.stable_model_id(1)}"' in out


# ---- strict nbval on stored outputs ----------------------------------------------------------
ALTERATIONS = {  # notebook name -> (stored text, edited text); "unaltered" must pass
    "unaltered": None,
    "altered_number": ("mean: ", "mean: 1"),
    "altered_widget_output": ("3 squared is 9", "3 squared is 8"),
}


def test_a_figure_drawn_by_interact_is_stored_without_its_empty_view():
    view = {"output_type": "display_data", "metadata": {},
            "data": {WIDGET_VIEW: {"model_id": "a" * 32}, "text/plain": ["interactive(...)"]}}
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    text = {"output_type": "stream", "name": "stdout", "text": "n = 3\n"}
    assert execute.drop_empty_views([view, image, text]) == [image, text]
    assert execute.drop_empty_views([view, text]) == [view, text]   # printed output: the view stays


def test_nbval_passes_stored_outputs_and_catches_edited_numbers(executed, tmp_path):
    """Editing a stored number without re-executing must make strict nbval fail (one pytest
    run over three copies, to start pytest only once)."""
    text = executed.read_text()
    for name, change in ALTERATIONS.items():
        if change:
            assert change[0] in text
        (tmp_path / f"{name}.ipynb").write_text(text.replace(*change, 1) if change else text)
    result = run_nbval(tmp_path)
    failed = set(re.findall(r"^FAILED \S*?(\w+)\.ipynb::", result.stdout, re.M))
    assert failed == {n for n, c in ALTERATIONS.items() if c}, result.stdout[-3000:]
    assert result.stdout.count("Cell outputs differ") >= 2


def test_pytest_collects_tests_normally_and_chapters_with_nbval():
    cfg = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'testpaths\s*=\s*\["tests",\s*"chapters"\]', cfg)
    addopts = re.search(r"addopts\s*=\s*\"([^\"]*)\"", cfg).group(1).split()
    assert "--nbval" in addopts and "--nbval-lax" not in addopts


def test_sanitizers_only_touch_unstable_text():
    cfg = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    rules = re.findall(r"^regex: (.*)$", cfg, re.M)
    for stable in ["mean: 0.0906", "accuracy 98.51%", "loss 0.1234", "W has shape (784, 30)"]:
        assert not any(re.search(r, stable) for r in rules), stable
    for unstable in ["<Figure at 0x7f3a2b1c9d60>", "epoch took 12.31 s"]:
        assert any(re.search(r, unstable) for r in rules), unstable


# ---- student edition -----------------------------------------------------------------------
def test_make_stub_keeps_signature_and_docstring():
    stub = student_edition.make_stub('def double(v):\n    """Return twice v."""\n    return 2 * v\n')
    assert stub == 'def double(v):\n    """Return twice v."""\n    raise NotImplementedError("Exercise: Return twice v.")\n'


def test_make_stub_variants():
    stub = student_edition.make_stub("# Pick the learning rate\n# 0.5 is best: see above\nimport numpy as np\neta = 0.5\n")
    assert stub.splitlines() == ["# Pick the learning rate", "import numpy as np",
                                 "eta = ...  # EXERCISE: replace ... with your answer"]
    stub = student_edition.make_stub("# Train for three epochs\nfor i in range(3):\n    step()\n")
    assert "step()" not in stub and 'raise NotImplementedError("Exercise: Train for three epochs")' in stub
    stub = student_edition.make_stub("@decorate\ndef f(a,\n      b):\n    return a\n")
    assert stub.startswith("@decorate\ndef f(a,\n      b):\n    raise NotImplementedError(")
    compile(student_edition.make_stub("class L:\n    def forward(self, a):\n        return a\n"), "s", "exec")


def test_student_edition_of_executed_notebook(executed, tmp_path):
    out = tmp_path / "student"
    assert student_edition.main(["--out", str(out), str(executed)]) == 0
    nb = nbformat.read(out / executed.name, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert "return 2 * v" not in sources and "solution-start" not in sources and "solution-end" not in sources
    assert 'raise NotImplementedError("Exercise: Return twice v.")' in sources
    assert "{exercise}" in sources  # the exercise statement stays
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "widgets" not in nb.metadata


def test_student_errors_outside_exercises_are_reported():
    nb = new_notebook(cells=[
        new_code_cell("f(1)", metadata={"tags": ["check"]}),
        new_code_cell("answer.get(1)", metadata={"tags": ["check"]}),
        new_code_cell("later = f(2)"),
        new_code_cell("g()"),
    ])
    errors = [("NotImplementedError", "Exercise: write f"), ("AttributeError", "'ellipsis' object"),
              ("NotImplementedError", "Exercise: write f"), ("KeyError", "'x'")]
    for cell, (ename, evalue) in zip(nb.cells, errors):
        cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])]
    unexpected, unfriendly = student_edition.classify_errors(nb)
    assert len(unexpected) == 1 and "KeyError" in unexpected[0]
    assert len(unfriendly) == 1 and "AttributeError" in unfriendly[0]


# ---- book structure and site checks ----------------------------------------------------------
def test_toc_lists_every_chapter_and_only_existing_files():
    listed = check_site.toc_files(ROOT / "_toc.yml")
    for doc in listed:
        assert (ROOT / f"{doc}.md").is_file() or (ROOT / f"{doc}.ipynb").is_file(), f"_toc.yml lists missing {doc}"
    for nb in sorted((ROOT / "chapters").glob("*.ipynb")):
        assert f"chapters/{nb.stem}" in listed, f"{nb.name} is not in _toc.yml: add it to its part"


def test_config_points_at_vendored_assets():
    import yaml
    import vendor_assets

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"
    sphinx = config["sphinx"]["config"]
    assert "hide_solutions" not in sphinx
    shipped = {f"offline/{dst}" for _, _, dst in vendor_assets.ASSETS}
    wanted = [sphinx["mathjax_path"], *sphinx["nb_ipywidgets_js"]]
    assert all(any(w == s or w.startswith(s + "/") for s in shipped) for w in wanted), (wanted, shipped)
    assert "book/vendor" in sphinx["html_extra_path"]  # copied as is, never injected in pages
    assert "book/vendor" not in sphinx.get("html_static_path", [])


STATIC = """<div class="cell docutils container"><div class="cell_output docutils container">
<div class="output stderr highlight-myst-ansi"><pre>RuntimeWarning: overflow</pre></div></div></div>
<div class="solution admonition" id="s1"><p>shown</p></div><span class="math">\\(x\\)</span>"""

RENDERED = """<div><div class="widget-subarea"><div class="lm-Widget jupyter-widgets widget-slider"></div></div>
<script type="application/vnd.jupyter.widget-view+json">{"model_id": "abc"}</script></div>
<div><script type="application/vnd.jupyter.widget-view+json">{"model_id": "def"}</script></div>
<mjx-container></mjx-container>"""


def test_check_site_finds_problems_in_html():
    problems, n_math = check_site.check_static(STATIC)
    assert n_math == 1
    assert any("stderr" in p for p in problems) and any("not hidden" in p for p in problems)
    problems = check_site.check_rendered(RENDERED, n_math=2)
    assert any("math not rendered" in p for p in problems)
    assert [p for p in problems if "widget" in p] == ["widget def… not rendered"]
    log = ('[1:1:INFO:CONSOLE:63] "Uncaught SyntaxError: Identifier \'THEBE_JS_URL\' has already been declared", source: x (63)\n'
           '[1:1:INFO:CONSOLE(6)] "Uncaught TypeError: boom", source: y (6)\n')
    assert check_site.check_console(log) == ["JavaScript error: Uncaught TypeError: boom (y)"]


def test_each_chapter_and_its_tests_are_one_work_unit_of_make_test():
    """conftest.chapter_scope: make test's workers never train one chapter's models twice."""
    from conftest import chapter_scope

    unit = "chapters/10_learning_better.ipynb"
    assert chapter_scope(f"{unit}::Cell 3") == unit
    assert chapter_scope("tests/test_grading.py::test_hidden_tests_and_wrong_answers"
                         "[10_learning_better]") == unit
    assert chapter_scope("tests/test_grading.py::test_no_grading_file_without_a_chapter") == \
        "tests/test_grading.py"
    assert chapter_scope("tests/test_x.py::test_y[99_no_such_chapter]") == "tests/test_x.py"
    assert chapter_scope("chapters/12_draw_a_digit.ipynb::Cell 1") == unit  # loads the recipe
    assert chapter_scope("chapters/09_training_mnist.ipynb::Cell 1") == \
        "chapters/09_training_mnist.ipynb"


def test_a_chapters_grading_harness_runs_after_its_cells_and_inside_their_run(tmp_path):
    """conftest.py: the harness test of a chapter collected with the chapter comes after its
    cells (whose nbval run executes the harness's steps); collected alone (also without
    pytest-xdist), it is still there, and runs the chapter itself."""
    def order(*paths):
        out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *paths],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return [line for line in out.splitlines() if "::" in line]

    both = order("tests/test_grading.py", "chapters/02_activations.ipynb")
    harness = "tests/test_grading.py::test_hidden_tests_and_wrong_answers[02_activations]"
    last_cell = max(i for i, n in enumerate(both) if n.startswith("chapters/02_activations"))
    assert both.index(harness) > last_cell
    assert harness in order("tests/test_grading.py", "-p", "no:xdist")  # conftest without xdist
