"""Shared pytest set-up: run the chapters under nbval the way Jupyter and tools/execute.py do.

`pytest` runs tests/*.py as ordinary tests and every chapters/*.ipynb with strict nbval
(pyproject.toml: addopts). Two differences between nbval's kernel and a Jupyter kernel would
make a correct notebook fail, so they are removed here:

* nbval executes cells with store_history=False, and IPython decides whether a trailing `;`
  silences a cell's result by reading the input history: under nbval `fig.plot(...);` or
  `interact(...);` would print a result that Jupyter (and the stored notebook) never shows.
  Cells are executed with store_history=True, exactly as Jupyter and nbclient do.
* tools/execute.py runs kernels with PYTHONHASHSEED=0 and two BLAS threads; so do the nbval
  kernels. The number of BLAS threads changes how a matrix product splits its sums, hence the
  last bits of every float32 training run: pinned, a chapter trains to the same digits on any
  machine with the same CPU kind, however many cores it has.

Nothing here relaxes a comparison: every stored output is still compared.
"""
import os

os.environ["PYTHONHASHSEED"] = "0"  # inherited by the kernels nbval starts
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "2"
os.environ["MLP_BOOK_BUILD"] = "1"  # cells that need a live front end print a note instead

try:
    import nbval.kernel
except ImportError:  # nbval not installed: only plain tests can run
    nbval = None
else:
    def _execute_like_jupyter(self, cell_input, allow_stdin=None):
        """nbval's RunningKernel.execute_cell_input, with the history Jupyter keeps."""
        return self.kc.execute(cell_input, store_history=True, allow_stdin=allow_stdin,
                               stop_on_error=False)

    nbval.kernel.RunningKernel.execute_cell_input = _execute_like_jupyter
