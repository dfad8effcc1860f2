"""Shared pytest set-up: run the chapters under nbval the way Jupyter and tools/execute.py do.

`pytest` runs tests/*.py as ordinary tests and every chapters/*.ipynb with strict nbval
(pyproject.toml: addopts). Three things are arranged here:

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
* A cell whose metadata holds a ``tolerance`` (the cells that print trained figures, tagged
  ``trained``) has its printed numbers compared within that tolerance by
  mlp.book.tolerance.compare; the text around them, and every other cell, is compared
  exactly. Nothing else is relaxed.
"""
import copy
import os
import re
from pathlib import Path

os.environ["PYTHONHASHSEED"] = "0"  # inherited by the kernels nbval starts
os.environ.setdefault("MLP_BLAS_THREADS", "2")
os.environ["MLP_BOOK_BUILD"] = "1"  # cells that need a live front end print a note instead
CHAPTERS = Path(__file__).parent / "chapters"
# the id of a test parametrised by a chapter: test_...[10_learning_better]
_CHAPTER_ID = re.compile(r"\[(\d\d_\w+?)[\]-]")


def chapter_scope(nodeid):
    """The work unit of a test under ``--dist loadscope``: a chapter's notebook for its cells and
    for every test parametrised by that chapter, the test module (or class) for the others."""
    found = _CHAPTER_ID.search(nodeid)
    if found and (CHAPTERS / f"{found[1]}.ipynb").exists():
        return f"chapters/{found[1]}.ipynb"
    return nodeid.rsplit("::", 1)[0]


LONGEST = "chapters/10_learning_better.ipynb"  # trains both recipes: minutes, not seconds


def pytest_collection_modifyitems(config, items):
    """Under make test's workers, the longest unit first; the others in collection order."""
    if config.getoption("dist", "no") == "loadscope":
        items.sort(key=lambda item: chapter_scope(item.nodeid) != LONGEST)


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
