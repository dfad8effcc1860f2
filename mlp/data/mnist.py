"""MNIST and Fashion-MNIST as numpy arrays, plus the small helpers the chapters use (chapter 8).

`load_mnist()` looks for each of the four IDX files, as ``name`` or ``name.gz``, in: the
`data_dir` argument, ``$MLP_MNIST_DIR``, the cache ``$MLP_CACHE_DIR/mnist`` (default
``~/.cache/mlp-book/mnist``), and finally downloads it into the cache. Every file is checked
against the SHA-256 of its decompressed contents. See chapters/08_mnist_data.ipynb.

Labels are always int64 vectors (N,), the same for every split, or float one-hot matrices
(N, 10) with ``one_hot=True``. Prefetch from the command line::

    python -m mlp.data download [--dir DIR] [--dataset mnist|fashion]
"""

import argparse
import dataclasses
import os
import sys
from pathlib import Path

import numpy as np

from ..losses import one_hot  # noqa: F401  (re-exported: the loaders' one_hot=True uses it)
from . import download as _download
from .download import DataNotFoundError
from .idx import ChecksumError, read_idx

MNIST_SHA256 = {  # SHA-256 of the *decompressed* files, so raw and gzipped copies both verify
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
FASHION_MNIST_SHA256 = {  # computed from Debian's dataset-fashion-mnist (the original release)
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
LABEL_DTYPE = np.int64  # one label type for every split and every loader


@dataclasses.dataclass(frozen=True)
class Dataset:
    """What a loader needs to know: checksums, env var, extra dirs, split sizes, image size."""

    name: str            # cache subfolder and mirror key: "mnist" or "fashion-mnist"
    title: str           # for messages
    sha256: dict         # {train-images, train-labels, t10k-images, t10k-labels} -> hash
    env_var: str
    system_dirs: tuple = ()
    n_train: int = 60000
    n_test: int = 10000
    image_shape: tuple = (28, 28)
    n_classes: int = 10


MNIST = Dataset("mnist", "MNIST", MNIST_SHA256, "MLP_MNIST_DIR")
FASHION_MNIST = Dataset("fashion-mnist", "Fashion-MNIST", FASHION_MNIST_SHA256,
                        "MLP_FASHION_MNIST_DIR", ("/usr/share/datasets/fashion-mnist",))


def load_mnist(data_dir=None, download=True, normalize=True, flatten=True, dtype=np.float32,
               one_hot=False, mirrors=None, progress=None):
    """MNIST digits as ``(X_train, y_train), (X_test, y_test)`` (chapter 8).

    X: (60000, 784) and (10000, 784) in `dtype`, pixels/255 in [0, 1] if `normalize`
    (else 0..255); (N, 28, 28) if not `flatten`. y: int64 labels (N,) in 0..9, or
    (N, 10) one-hot (in `dtype` if it is a float type, else float32) if `one_hot`.
    Files are searched in `data_dir`, $MLP_MNIST_DIR, the cache; then downloaded from
    `mirrors` (default `mlp.data.download.MNIST_MIRRORS`) unless `download=False`.
    Raises DataNotFoundError (an OSError) if a file is nowhere, ValueError if one is wrong.
    """
    return _load(MNIST, data_dir, download, mirrors, progress,
                 normalize=normalize, flatten=flatten, dtype=dtype, as_one_hot=one_hot)


def load_fashion_mnist(data_dir=None, download=True, normalize=True, flatten=True,
                       dtype=np.float32, one_hot=False, mirrors=None, progress=None):
    """Fashion-MNIST, same shapes and options as `load_mnist`; class names in FASHION_CLASSES.

    Searched in `data_dir`, $MLP_FASHION_MNIST_DIR, the cache ($MLP_CACHE_DIR/fashion-mnist),
    /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist); then downloaded
    from `mirrors` (default `mlp.data.download.FASHION_MNIST_MIRRORS`). Chapter 8.
    """
    return _load(FASHION_MNIST, data_dir, download, mirrors, progress,
                 normalize=normalize, flatten=flatten, dtype=dtype, as_one_hot=one_hot)


def _load(dataset, data_dir, download, mirrors, progress, **options):
    """Locate, verify and read the four files; return ((X_train, y_train), (X_test, y_test))."""
    dtype = np.dtype(options["dtype"])
    if options["normalize"] and not np.issubdtype(dtype, np.floating):
        raise ValueError(f"normalize=True needs a floating dtype, got {dtype}")
    arrays = {}
    for name, sha256 in dataset.sha256.items():
        path = locate(dataset, name, data_dir, download, mirrors, progress)
        arrays[name] = _read_verified(path, sha256, dataset)
    splits = []
    for prefix, n in (("train", dataset.n_train), ("t10k", dataset.n_test)):
        images = arrays[f"{prefix}-images-idx3-ubyte"]
        labels = arrays[f"{prefix}-labels-idx1-ubyte"]
        _check_split(dataset, prefix, images, labels, n)
        splits.append(_prepare(images, labels, dataset.n_classes, **options))
    return tuple(splits)


def _prepare(images, labels, n_classes, normalize, flatten, dtype, as_one_hot):
    """uint8 images -> X in `dtype` (scaled to [0, 1] if normalize); labels -> int64 or one-hot."""
    X = images.reshape(len(images), -1) if flatten else images
    X = X.astype(dtype)  # straight to the target dtype: no float64 detour for float32
    if normalize:
        np.divide(X, 255, out=X)  # correctly rounded, so 255 -> exactly 1.0
    y = labels.astype(LABEL_DTYPE)
    if as_one_hot:
        y = one_hot(y, n_classes, X.dtype if np.issubdtype(X.dtype, np.floating) else np.float32)
    return X, y


def _check_split(dataset, prefix, images, labels, n):
    """The checksums already pin the real files; this guards custom Dataset descriptions."""
    expected = (n, *dataset.image_shape)
    if images.dtype != np.uint8 or images.shape != expected:
        raise ValueError(f"{dataset.title} {prefix} images: expected uint8 {expected}, "
                         f"got {images.dtype} {images.shape}")
    if labels.shape != (n,):
        raise ValueError(f"{dataset.title} {prefix} labels: expected {n} labels (one per "
                         f"image), got shape {labels.shape}")
    if labels.size and labels.max() >= dataset.n_classes:
        raise ValueError(f"{dataset.title} {prefix} labels: expected 0..{dataset.n_classes - 1}, "
                         f"got {labels.max()}")


def search_dirs(dataset, data_dir=None):
    """[(description, directory or None)] in lookup order: argument, env var, cache, system."""
    env = os.environ.get(dataset.env_var)
    return ([("data_dir argument", data_dir), (f"${dataset.env_var}", env or None),
             ("cache", _download.cache_root() / dataset.name)]
            + [("system directory", d) for d in dataset.system_dirs])


def find_file(name, directories):
    """First existing ``name`` or ``name.gz`` in `directories` (Nones skipped), else None."""
    for directory in directories:
        if directory is None:
            continue
        directory = Path(directory).expanduser()
        for candidate in (directory / name, directory / (name + ".gz")):
            if candidate.is_file():
                return candidate
    return None


def locate(dataset, name, data_dir=None, download=True, mirrors=None, progress=None):
    """Path of file `name` of `dataset`: found in the search dirs or downloaded into the cache."""
    places = search_dirs(dataset, data_dir)
    path = find_file(name, [d for _, d in places])
    if path is not None:
        return path
    tried = []
    if download:
        mirrors = _download.mirrors_for(dataset.name) if mirrors is None else mirrors
        try:
            return _download.download_file(name, _download.cache_root() / dataset.name,
                                           dataset.sha256[name], mirrors, progress=progress)
        except DataNotFoundError as err:
            tried = err.tried
    raise DataNotFoundError(_not_found_message(dataset, name, places, download, tried), tried)


def _not_found_message(dataset, name, places, download, tried):
    looked = "\n".join(f"  - {what}: {Path(d).expanduser().resolve() if d else '(not set)'}"
                        for what, d in places)
    if download:
        fetched = "\n".join(f"  - {line}" for line in tried) or "  - (no mirror)"
    else:
        fetched = "  - (not attempted: download=False)"
    cache = (_download.cache_root() / dataset.name).resolve()
    return (f"{dataset.title} file {name} (or {name}.gz) not found. Looked in:\n{looked}\n"
            f"Download into {cache}:\n{fetched}\n{_manual_help(dataset)}")


def _manual_help(dataset, directory=None):
    directory = directory or _download.cache_root() / dataset.name
    files = ", ".join(f"{n}.gz" for n in dataset.sha256)
    return (f"To install by hand, copy the four files {files} (gzipped or not) into "
            f"{Path(directory).resolve()}, or into any directory and set "
            f"{dataset.env_var}=that/directory (or pass data_dir=...).")


def _read_verified(path, sha256, dataset):
    """read_idx with the checksum; a wrong or damaged file gets an error that says what to do."""
    try:
        return read_idx(path, expected_sha256=sha256)
    except ChecksumError as err:
        raise ValueError(f"{path} is not the original {dataset.title} file: the SHA-256 of its "
                         f"decompressed contents is {err.actual}, expected {err.expected}. "
                         f"{_fix_advice(dataset, path)}") from None
    except ValueError as err:
        raise ValueError(f"{err}. The {dataset.title} file is damaged. "
                         f"{_fix_advice(dataset, path)}") from None


def _fix_advice(dataset, path):
    original = _download.mirrors_for(dataset.name)[0] + Path(path).name.removesuffix(".gz")
    return (f"Delete or replace it (the original: {original}.gz); once deleted from the cache "
            f"it is downloaded again on the next load.")


def train_validation_split(X, y, n_validation=10000, seed=None):
    """Split off a validation set: ``(X_train, y_train), (X_val, y_val)`` (chapter 8).

    seed=None: the last `n_validation` examples (MNIST's 50k/10k split, as in post 004);
    the parts are views of X and y. With a seed (int or Generator): a shuffled split (copies).
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X and y must have the same length, got {n} and {len(y)}")
    if not 0 <= n_validation <= n:
        raise ValueError(f"n_validation must be in 0..{n}, got {n_validation}")
    if seed is None:
        cut = n - n_validation
        return (X[:cut], y[:cut]), (X[cut:], y[cut:])
    order = np.random.default_rng(seed).permutation(n)
    train, validation = order[:n - n_validation], order[n - n_validation:]
    return (X[train], y[train]), (X[validation], y[validation])


def stratified_subset(X, y, n, seed=0):
    """A deterministic subset of `n` examples with (nearly) equal counts per class.

    Returns ``(X_sub, y_sub)`` in the original order; y may be labels (N,) or one-hot (N, k).
    Classes too small for their share give the rest to the others. Chapter 8 (goml trains
    on a slice of MNIST to keep its tests fast; a stratified slice keeps the classes balanced).
    """
    labels = np.asarray(y)
    labels = labels.argmax(1) if labels.ndim == 2 else labels
    if len(X) != len(labels):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(labels)}")
    if not 0 <= n <= len(labels):
        raise ValueError(f"n must be in 0..{len(labels)}, got {n}")
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    rng = np.random.default_rng(seed)
    picked = [rng.choice(np.flatnonzero(inverse == k), quota, replace=False)
              for k, quota in enumerate(_fair_quota(counts, n))]
    index = np.sort(np.concatenate([np.empty(0, np.intp), *picked]))
    return X[index], y[index]


def _fair_quota(counts, n):
    """Split n over classes as evenly as their counts allow (smallest classes first)."""
    quota, remaining = np.zeros(len(counts), np.intp), n
    for j, k in enumerate(np.argsort(counts, kind="stable")):
        quota[k] = min(counts[k], remaining // (len(counts) - j))
        remaining -= quota[k]
    return quota


def download_dataset(dataset="mnist", directory=None, mirrors=None,
                     timeout=_download.DEFAULT_TIMEOUT, progress=None):
    """Prefetch: make sure the four files of "mnist" or "fashion" are in `directory`.

    Default directory: the cache ($MLP_CACHE_DIR/<dataset>). Files already there are
    verified, missing ones downloaded. Returns the four Paths.
    """
    dataset = _dataset(dataset)
    directory = Path(directory) if directory is not None else _download.cache_root() / dataset.name
    mirrors = _download.mirrors_for(dataset.name) if mirrors is None else mirrors
    paths = []
    for name, sha256 in dataset.sha256.items():
        path = find_file(name, [directory])
        if path is not None:
            _read_verified(path, sha256, dataset)
        else:
            try:
                path = _download.download_file(name, directory, sha256, mirrors, timeout, progress)
            except DataNotFoundError as err:
                raise DataNotFoundError(f"{err}\n{_manual_help(dataset, directory)}",
                                        err.tried) from None
        paths.append(path)
    return paths


def _dataset(which):
    if isinstance(which, Dataset):
        return which
    table = {"mnist": MNIST, "fashion": FASHION_MNIST, "fashion-mnist": FASHION_MNIST}
    if which not in table:
        raise ValueError(f"unknown dataset {which!r}; expected one of {sorted(table)}")
    return table[which]


def main(argv=None):
    """``python -m mlp.data download [--dir DIR] [--dataset mnist|fashion]``."""
    parser = argparse.ArgumentParser(prog="python -m mlp.data",
                                     description="Prefetch the book's datasets (chapter 8).")
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("download", help="download and verify the four IDX files")
    fetch.add_argument("--dir", type=Path, default=None,
                       help="target directory (default: $MLP_CACHE_DIR/<dataset>, "
                            "MLP_CACHE_DIR defaulting to ~/.cache/mlp-book)")
    fetch.add_argument("--dataset", choices=["mnist", "fashion"], default="mnist")
    fetch.add_argument("--timeout", type=float, default=_download.DEFAULT_TIMEOUT,
                       help="seconds without data before a mirror is given up")
    args = parser.parse_args(argv)
    try:
        paths = download_dataset(args.dataset, args.dir, timeout=args.timeout)
    except (DataNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
