"""Fetch MNIST and Fashion-MNIST files into the per-user cache, verified (chapter 8,
chapters/08_mnist_data.ipynb).

`download_file` tries each mirror in turn with `urllib`: the body goes to a temporary file in
the target directory, is checked (a valid IDX file whose decompressed bytes have the known
SHA-256) and only then renamed into place. On any failure nothing is left behind. Files are
stored gzipped (``train-images-idx3-ubyte.gz``), as the mirrors serve them.
"""

import contextlib
import os
import sys
import tempfile
import time
import urllib.request
from http.client import HTTPException
from pathlib import Path

from .idx import read_idx

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
FASHION_MNIST_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
)
DEFAULT_TIMEOUT = 30.0  # seconds without data before a mirror is given up


class DataNotFoundError(OSError):
    """A dataset file is nowhere on disk and could not be downloaded from any mirror.

    `tried` lists what was attempted (URLs with the reason each failed, directories searched).
    """

    def __init__(self, message, tried=()):
        super().__init__(message)
        self.tried = list(tried)


def cache_root():
    """The per-user cache directory: $MLP_CACHE_DIR, default ~/.cache/mlp-book."""
    return Path(os.environ.get("MLP_CACHE_DIR") or Path.home() / ".cache" / "mlp-book")


def mirrors_for(dataset_name):
    """The module's current mirror list for "mnist" or "fashion-mnist" (read at call time)."""
    return {"mnist": MNIST_MIRRORS, "fashion-mnist": FASHION_MNIST_MIRRORS}[dataset_name]


def download_file(name, directory, sha256, mirrors=None, timeout=DEFAULT_TIMEOUT,
                  progress=None):
    """Download `name`.gz from the first mirror that serves it intact; return its Path.

    `sha256` is the expected hash of the decompressed file; `mirrors` are base URLs
    (default `MNIST_MIRRORS`). `progress`: None = tqdm bar on a terminal, else plain text;
    True = tqdm bar always (if installed); False = silent. Raises `DataNotFoundError`
    listing every URL tried and why it failed; on failure `directory` gains no file.
    """
    mirrors = MNIST_MIRRORS if mirrors is None else mirrors
    directory = Path(directory)
    created = _make_dirs(directory)
    failures = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + name + ".gz"
        try:
            return _fetch_verified(url, directory / (name + ".gz"), sha256, timeout, progress)
        except (OSError, HTTPException, ValueError) as err:
            failures.append(f"{url}: {type(err).__name__}: {err}")
    for folder in reversed(created):  # leave no empty cache folders behind either
        with contextlib.suppress(OSError):
            folder.rmdir()
    tried = "\n".join(f"  - {line}" for line in failures) or "  (no mirror given)"
    raise DataNotFoundError(f"could not download {name}.gz into {directory}; tried:\n{tried}",
                            tried=failures)


def _make_dirs(directory):
    """mkdir -p that returns the folders it created, outermost first."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()][::-1]
    directory.mkdir(parents=True, exist_ok=True)
    return missing


def _fetch_verified(url, target, sha256, timeout, progress):
    """Stream `url` to a temp file beside `target`, verify it, then rename it to `target`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            _stream(url, out, timeout, progress)
        read_idx(tmp, expected_sha256=sha256, name=url)  # valid IDX with the right contents
        os.replace(tmp, target)
        return target
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _stream(url, out, timeout, progress):
    """Copy the body of `url` into `out`; a body shorter than Content-Length is an error."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        bar, got = _progress_bar(url, total, progress), 0
        try:
            while chunk := response.read(1 << 16):
                out.write(chunk)
                got += len(chunk)
                bar.update(len(chunk))
        finally:
            bar.close()
    if total is not None and got != total:
        raise OSError(f"connection closed early: expected {total} bytes, got {got}")


def _progress_bar(url, total, progress):
    """tqdm on a terminal (or when progress=True), plain text lines otherwise, nothing if False."""
    if progress is False:
        return _TextProgress(url, total, quiet=True)
    if progress or (progress is None and sys.stderr.isatty()):
        try:
            from tqdm.auto import tqdm
            return tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1])
        except ImportError:
            pass
    return _TextProgress(url, total)


class _TextProgress:
    """Minimal stand-in for tqdm: one line when starting, one when done."""

    def __init__(self, url, total, quiet=False):
        self.url, self.total, self.quiet, self.n, self.t0 = url, total, quiet, 0, time.time()
        size = f" ({total / 1e6:.1f} MB)" if total else ""
        self._print(f"Downloading {url}{size} ...")

    def update(self, n):
        self.n += n

    def close(self):
        self._print(f"  {self.n} bytes in {time.time() - self.t0:.1f} s")

    def _print(self, text):
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)
