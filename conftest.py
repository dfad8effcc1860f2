"""Shared pytest set-up: run the chapters under nbval the way Jupyter and tools/execute.py do.

`pytest` runs tests/*.py as ordinary tests and every chapters/*.ipynb with strict nbval
(pyproject.toml: addopts). These things are arranged here:

* nbval executes cells with store_history=False, and IPython decides whether a trailing `;`
  silences a cell's result by reading the input history: under nbval `fig.plot(...);` or
  `interact(...);` would print a result that Jupyter (and the stored notebook) never shows.
  Cells are executed with store_history=True, exactly as Jupyter and nbclient do.
* The kernels inherit PYTHONHASHSEED=0 and MLP_BLAS_THREADS (default 2, as tools/execute.py
  uses; set it to rerun the book with another thread count, as another machine would): each
  chapter's first cell pins its BLAS threads with mlp.book.blas.pin_threads().
* ``make test`` runs two pytest-xdist workers (``--dist loadscope``), each kernel with one BLAS
  thread. A chapter's cells, and every test parametrised by that chapter (its grading
  harness), form one work unit (``chapter_scope``): they run in order in one worker, so a
  model trained by the first is loaded from the cache by the next, never trained twice at once.
  A chapter that loads a model another trains joins that chapter's unit (``LOADS_FROM``:
  chapter 12 loads chapter 10's best recipe), the longest unit starting first.
* The grading harness of a chapter (tests/grading_harness.py, tests/test_grading.py) runs inside
  the chapter's nbval run when both are in the session: its steps are executed silently in
  nbval's kernel right after the cells they follow, so one execution serves both, and the
  outputs nbval compares after a step show the step put the chapter's state back.
* A cell whose metadata holds a ``tolerance`` (the cells that print trained figures, tagged
  ``trained``) has its printed numbers compared within that tolerance by
  mlp.book.tolerance.compare; the text around them, and every other cell, is compared
  exactly. Nothing else is relaxed.
"""
import copy
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from mlp.book import blas

os.environ["PYTHONHASHSEED"] = "0"  # inherited by the kernels nbval starts
os.environ.setdefault("MLP_BLAS_THREADS", "2")
os.environ["MLP_BOOK_BUILD"] = "1"  # cells that need a live front end print a note instead
# this process's own numpy too: two workers, each with two BLAS threads, would ask four threads
# of two cores, and OpenBLAS threads waiting for each other spin instead of sleeping
blas.pin_threads(report=False)
ROOT = Path(__file__).parent
CHAPTERS = ROOT / "chapters"
sys.path.insert(0, str(ROOT / "tests"))  # grading_harness
HARNESS_TEST = "test_hidden_tests_and_wrong_answers"
# the id of a test parametrised by a chapter: test_...[10_learning_better]
_CHAPTER_ID = re.compile(r"\[(\d\d_\w+?)[\]-]")
_CELL_ID = re.compile(r"chapters/(\d\d_\w+)\.ipynb::")  # a cell under nbval


# a chapter that loads a model another chapter trains runs in that chapter's unit, after it
LOADS_FROM = {"12_draw_a_digit": "10_learning_better"}  # the best recipe (best_model)


def chapter_scope(nodeid):
    """The work unit of a test under ``--dist loadscope``: a chapter's notebook for its cells and
    for every test parametrised by that chapter (LOADS_FROM: the notebook that trains what the
    chapter loads), the test module (or class) for the others."""
    found = _CELL_ID.match(nodeid) or _CHAPTER_ID.search(nodeid)
    if found and (CHAPTERS / f"{found[1]}.ipynb").exists():
        return f"chapters/{LOADS_FROM.get(found[1], found[1])}.ipynb"
    return nodeid.rsplit("::", 1)[0]


LONGEST = "chapters/10_learning_better.ipynb"  # trains both recipes: minutes, not seconds


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config, items):
    """Each chapter's grading harness after the chapter's cells, its steps planned into them;
    under make test's workers the longest unit first, the others in collection order."""
    import grading_harness
    runs = config.stash.setdefault(grading_harness.RUNS, {})
    notebooks = {Path(str(item.fspath)).name for item in items if item.nodeid.endswith(".ipynb")
                 or ".ipynb::" in item.nodeid}
    folder = None
    for item in items:
        chapter = getattr(item, "callspec", None) and item.callspec.params.get("chapter")
        if chapter and item.originalname == HARNESS_TEST and chapter.name in notebooks:
            if folder is None:
                folder = Path(tempfile.mkdtemp(prefix="mlp-harness-"))
                config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
            runs[chapter.name] = folder / f"{chapter.stem}.jsonl"
    items.sort(key=lambda item: getattr(item, "originalname", "") == HARNESS_TEST)
    if config.getoption("dist", "no") == "loadscope":
        items.sort(key=lambda item: chapter_scope(item.nodeid) != LONGEST)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: pytest -p no:xdist still runs
def pytest_xdist_make_scheduler(config, log):
    """make test's two workers: each chapter, with its grading harness, runs in one of them."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByChapter(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return chapter_scope(nodeid)

    return ByChapter(config, log)

try:
    import nbval.kernel
    import nbval.plugin
except ImportError:  # nbval not installed: only plain tests can run
    nbval = None
else:
    from mlp.book import tolerance

    def _execute_like_jupyter(self, cell_input, allow_stdin=None):
        """nbval's RunningKernel.execute_cell_input, with the history Jupyter keeps."""
        return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin,
                               stop_on_error=False)

    nbval.kernel.RunningKernel.execute_cell_input = _execute_like_jupyter

    _compare_exactly = nbval.plugin.IPyNbCell.compare_outputs

    def _text_fields(test, ref):
        """(test holder, ref holder, key) of each text both outputs carry."""
        if test.get("output_type") != ref.get("output_type"):
            return
        if "data" in test and "data" in ref:
            test, ref = test["data"], ref["data"]
        for key, value in ref.items():
            if isinstance(value, str) and isinstance(test.get(key), str) and key != "output_type":
                if not key.startswith("image/"):
                    yield test, ref, key

    def _compare_within_tolerance(self, test, ref, skip_compare=None):
        """compare_outputs, with a trained cell's numbers allowed to move within its spec."""
        spec = self.cell.metadata.get("tolerance")
        if spec is None:
            return _compare_exactly(self, test, ref, skip_compare)
        tolerance.check_spec(spec, f"cell {self.cell_num}")
        test = copy.deepcopy(test)
        problems = []
        for t, r in zip(test, ref):
            for t_holder, r_holder, key in _text_fields(t, r):
                stored, fresh = self.sanitize(r_holder[key]), self.sanitize(t_holder[key])
                found = [] if stored == fresh else tolerance.compare(stored, fresh, spec)
                if found:
                    problems += found
                else:  # within tolerance: let the exact comparison see the stored text
                    t_holder[key] = r_holder[key]
        same = _compare_exactly(self, test, ref, skip_compare)
        if not same and problems:
            self.comparison_traceback[:0] = ["Trained figures beyond their stated tolerance:"] + \
                [f"  {p}" for p in problems]
        return same

    nbval.plugin.IPyNbCell.compare_outputs = _compare_within_tolerance

    _run_cell = nbval.plugin.IPyNbCell.runtest
    _steps = {}  # notebook path: grading_harness.plan

    def _run_cell_then_harness(self):
        """nbval's runtest, then the grading harness's steps planned after this cell, if any."""
        try:
            _run_cell(self)
        finally:
            for code in _harness_steps(self):
                kernel = self.parent.kernel
                if self.parent.timed_out or not kernel.is_alive():
                    break
                msg_id = kernel.kc.execute(code, silent=True, store_history=False,
                                           stop_on_error=False)
                kernel.await_reply(msg_id, timeout=3600)  # its output is not this cell's

    def _harness_steps(cell):
        import grading_harness
        path = Path(str(cell.parent.fspath))
        report = cell.config.stash.get(grading_harness.RUNS, {}).get(path.name)
        if report is None:
            return []
        if path not in _steps:
            _steps[path] = grading_harness.plan(path, report)
        index = next(i for i, c in enumerate(cell.parent.nb.cells) if c is cell.cell)
        return _steps[path].get(index, [])

    nbval.plugin.IPyNbCell.runtest = _run_cell_then_harness
