"""How many threads the matrix products use, and which BLAS library runs them (chapters 9-14).

numpy hands every matrix product to a BLAS library (OpenBLAS in the PyPI wheels; MKL, Apple's
Accelerate or BLIS in other installs). The library splits a product's sums between threads and
picks a kernel (SIMD width, fused multiply-add) for the CPU, and both change the order of the
float additions, hence the last bits of every product and, after thousands of training steps,
the last printed digits of a trained network's figures. Untrained mathematics is unaffected.

Each chapter that trains calls ``pin_threads()`` in its first cell: the thread count comes
from ``$MLP_BLAS_THREADS`` (default 2, what the book's stored outputs used), so the tests can
rerun the book with another count, as another machine would. ``threadpoolctl`` sets it after
numpy is loaded, for OpenBLAS, MKL and BLIS alike.
"""
import os

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # an install without the book's requirements: nothing can be pinned
    threadpool_info = threadpool_limits = None

DEFAULT_THREADS = 2
ENV = "MLP_BLAS_THREADS"


def threads_wanted(n=None):
    """``n`` if given, else ``$MLP_BLAS_THREADS``, else DEFAULT_THREADS (a positive int)."""
    value = n if n is not None else os.environ.get(ENV, DEFAULT_THREADS)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{ENV} must be a whole number of threads, got {value!r}") from None
    if value < 1:
        raise ValueError(f"the number of BLAS threads must be at least 1, got {value}")
    return value


def pin_threads(n=None, report=True):
    """Limit every BLAS library numpy uses to ``threads_wanted(n)`` threads; print which ran.

    Returns the description line (``describe()``); with ``report`` it is printed too.
    """
    wanted = threads_wanted(n)
    if threadpool_limits is not None:
        threadpool_limits(limits=wanted, user_api="blas")
    line = describe()
    if report:
        print(line)
    return line


def describe():
    """One line: the BLAS library, its version, the CPU kernel it chose and its thread count."""
    if threadpool_info is None:
        return "BLAS: threads not pinned (pip install threadpoolctl to pin them)"
    libraries = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not libraries:
        return "BLAS: none that threadpoolctl can see (threads not pinned)"
    parts = []
    for info in libraries:
        kernel = f", {info['architecture']} kernel" if info.get("architecture") else ""
        parts.append(f"{info['internal_api']} {info.get('version') or ''}{kernel}, "
                     f"{info['num_threads']} thread{'s' if info['num_threads'] != 1 else ''}")
    return "BLAS: " + "; ".join(parts)
