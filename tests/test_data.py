"""Dataset loaders (real MNIST and Fashion-MNIST when present, small fakes) and helpers."""

import dataclasses
import gzip
import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

import mlp.data.mnist
from mlp.data.mnist import (FASHION_CLASSES, FASHION_MNIST_SHA256, MNIST_SHA256, DataNotFoundError,
                      load_fashion_mnist, load_mnist, locate, one_hot, stratified_subset,
                      train_validation_split)
from mlp.data.idx import read_idx, write_idx

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
MNIST_COUNTS = {"train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
                "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]}
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def real_mnist_dir():
    """$MLP_MNIST_DIR if set (CI), else ../shared/data/mnist next to the repository, else None."""
    for candidate in (os.environ.get("MLP_MNIST_DIR"),
                      Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"):
        if candidate and all(mlp.data.mnist.find_file(f, [candidate]) for f in FILES):
            return Path(candidate).resolve()
    return None


MNIST_DIR = real_mnist_dir()
needs_mnist = pytest.mark.skipif(MNIST_DIR is None, reason="real MNIST not found: set "
                                 "MLP_MNIST_DIR or put it in ../shared/data/mnist")
needs_fashion = pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Fashion-MNIST not "
                                   "installed (apt-get install dataset-fashion-mnist)")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads or writes the real cache or follows the caller's env vars."""
    monkeypatch.setenv("MLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MLP_MNIST_DIR", raising=False)
    monkeypatch.delenv("MLP_FASHION_MNIST_DIR", raising=False)


@pytest.fixture(scope="module")
def mnist():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLP_CACHE_DIR", "/nonexistent/mlp-test-cache")
        return load_mnist(data_dir=MNIST_DIR, download=False)


def decompressed(path):
    data = Path(path).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


# ---- real MNIST ---------------------------------------------------------------------------

@needs_mnist
def test_mnist_shapes_dtypes_and_ranges(mnist):
    (X, y), (X_test, y_test) = mnist
    assert X.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert X.dtype == X_test.dtype == np.float32
    assert y.shape == (60000,) and y_test.shape == (10000,)
    assert y.dtype == y_test.dtype == np.int64
    for images in (X, X_test):
        assert images.min() == 0.0 and images.max() == 1.0
    assert set(np.unique(y)) == set(np.unique(y_test)) == set(range(10))


@needs_mnist
def test_mnist_class_counts_are_exactly_those_of_the_readme(mnist):
    (_, y), (_, y_test) = mnist
    assert np.bincount(y).tolist() == MNIST_COUNTS["train"]
    assert np.bincount(y_test).tolist() == MNIST_COUNTS["test"]


@needs_mnist
def test_mnist_known_facts(mnist):
    (X, y), (_, y_test) = mnist
    assert y[0] == 5 and y_test[0] == 7  # the famous first digits
    assert abs(float(X.mean()) - 0.1307) < 1e-4 and abs(float(X.std()) - 0.3081) < 1e-4


@needs_mnist
def test_mnist_files_have_the_checksums_of_the_table_and_readme():
    for name in FILES:
        path = mlp.data.mnist.find_file(name, [MNIST_DIR])
        assert hashlib.sha256(decompressed(path)).hexdigest() == MNIST_SHA256[name]
    readme = MNIST_DIR.parent / "README.md"
    if readme.is_file():
        table = dict(re.findall(r"\|\s*([\w-]+-ubyte)\s*\|[^|]*\|\s*([0-9a-f]{64})\s*\|",
                                readme.read_text()))
        assert table == MNIST_SHA256


@needs_mnist
def test_mnist_raw_uint8_images_and_one_hot(mnist):
    (X, y), (X_test, y_test) = mnist
    (R, Y), (R_test, Y_test) = load_mnist(MNIST_DIR, download=False, normalize=False,
                                          flatten=False, dtype=np.uint8, one_hot=True)
    assert R.shape == (60000, 28, 28) and R.dtype == np.uint8 and R_test.shape == (10000, 28, 28)
    np.testing.assert_array_equal(R_test, read_idx(MNIST_DIR / "t10k-images-idx3-ubyte.gz"))
    # the float32 images are exactly pixel / 255, rounded once (no float64 detour)
    np.testing.assert_array_equal(X_test, R_test.reshape(10000, 784) / np.float32(255))
    np.testing.assert_array_equal(X[:5000], R[:5000].reshape(5000, 784) / np.float32(255))
    assert Y.shape == (60000, 10) and Y.dtype == np.float32 and Y_test.shape == (10000, 10)
    np.testing.assert_array_equal(Y.argmax(1), y)
    np.testing.assert_array_equal(Y_test.sum(1), 1)


@needs_mnist
def test_mnist_found_through_the_environment_variable(monkeypatch):
    monkeypatch.setenv("MLP_MNIST_DIR", str(MNIST_DIR))
    (_, _), (X_test, y_test) = load_mnist(download=False, dtype=np.float64)
    assert X_test.dtype == np.float64 and X_test.shape == (10000, 784)
    assert np.bincount(y_test).tolist() == MNIST_COUNTS["test"]


@needs_mnist
def test_stratified_subset_of_mnist_is_balanced(mnist):
    (X, y), _ = mnist
    X_small, y_small = stratified_subset(X, y, 1000, seed=0)
    assert X_small.shape == (1000, 784) and np.bincount(y_small).tolist() == [100] * 10


# ---- real Fashion-MNIST (Debian's dataset-fashion-mnist) -----------------------------------

@needs_fashion
def test_fashion_mnist_from_the_system_directory():
    (X, y), (X_test, y_test) = load_fashion_mnist(download=False, flatten=False)
    assert X.shape == (60000, 28, 28) and X_test.shape == (10000, 28, 28)
    assert X.dtype == np.float32 and y.dtype == y_test.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    for name in FILES:
        path = FASHION_DIR / f"{name}.gz"
        assert hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() \
            == FASHION_MNIST_SHA256[name]
    assert len(FASHION_CLASSES) == 10 and FASHION_CLASSES[9] == "Ankle boot"


# ---- lookup, verification and errors on small fake datasets --------------------------------

@pytest.fixture
def fake_mnist(monkeypatch):
    """Tiny stand-in for MNIST (30 train, 20 test images) with its own checksum table."""
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
              "train-labels-idx1-ubyte": (np.arange(30) % 10).astype(np.uint8),
              "t10k-images-idx3-ubyte": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
              "t10k-labels-idx1-ubyte": (np.arange(20)[::-1] % 10).astype(np.uint8)}
    raw = {name: write_idx(None, a) for name, a in arrays.items()}
    sha = {name: hashlib.sha256(data).hexdigest() for name, data in raw.items()}
    monkeypatch.setattr(mlp.data.mnist, "MNIST", dataclasses.replace(
        mlp.data.mnist.MNIST, sha256=sha, n_train=30, n_test=20))
    return arrays, raw


def put(directory, files, gz=False, only=None):
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if only is None or name in only:
            (directory / (name + ".gz" if gz else name)).write_bytes(
                gzip.compress(data) if gz else data)
    return directory


def test_load_from_raw_files_in_the_cache(fake_mnist, tmp_path):
    arrays, raw = fake_mnist
    put(tmp_path / "cache" / "mnist", raw)
    (X, y), (X_test, y_test) = load_mnist(download=False)
    assert X.shape == (30, 784) and X_test.shape == (20, 784) and X.dtype == np.float32
    np.testing.assert_array_equal(X * np.float32(255), arrays["train-images-idx3-ubyte"]
                                  .reshape(30, 784))
    assert y.dtype == y_test.dtype == np.int64
    assert y.tolist() == arrays["train-labels-idx1-ubyte"].tolist()


def test_lookup_order_argument_env_cache(fake_mnist, tmp_path, monkeypatch):
    _, raw = fake_mnist
    name = "t10k-labels-idx1-ubyte"
    arg = put(tmp_path / "arg", raw, only=[name])
    env = put(tmp_path / "env", raw, gz=True)
    cache = put(tmp_path / "cache" / "mnist", raw)
    monkeypatch.setenv("MLP_MNIST_DIR", str(env))
    assert locate(mlp.data.mnist.MNIST, name, arg) == arg / name
    images = "train-images-idx3-ubyte"
    assert locate(mlp.data.mnist.MNIST, images, arg) == env / f"{images}.gz"
    monkeypatch.delenv("MLP_MNIST_DIR")
    assert locate(mlp.data.mnist.MNIST, images, arg) == cache / images  # uncompressed name accepted
    (_, _), (_, y_test) = load_mnist(arg, download=False)  # mixes dirs file by file
    assert y_test.tolist() == (np.arange(20)[::-1] % 10).tolist()


def test_wrong_contents_in_data_dir_is_a_clear_valueerror(fake_mnist, tmp_path):
    _, raw = fake_mnist
    zeros = write_idx(None, np.zeros((30, 28, 28), np.uint8))
    bad = dict(raw, **{"train-images-idx3-ubyte": zeros})
    put(tmp_path / "d", bad, gz=True)
    with pytest.raises(ValueError) as info:
        load_mnist(tmp_path / "d", download=False)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and str(tmp_path / "d") in message
    assert mlp.data.mnist.MNIST.sha256["train-images-idx3-ubyte"] in message  # expected
    assert hashlib.sha256(zeros).hexdigest() in message  # actual
    assert "Delete or replace" in message


def test_damaged_file_is_a_clear_valueerror(fake_mnist, tmp_path):
    _, raw = fake_mnist
    put(tmp_path / "d", raw)
    path = tmp_path / "d" / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte.*needs 30 payload bytes.*"
                                         r"got 27.*damaged"):
        load_mnist(tmp_path / "d", download=False)


def test_missing_files_without_download_name_every_place(fake_mnist, tmp_path, monkeypatch):
    monkeypatch.setenv("MLP_MNIST_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DataNotFoundError) as info:
        load_mnist(tmp_path / "empty", download=False)
    message = str(info.value)
    assert isinstance(info.value, OSError)
    for expected in ["train-images-idx3-ubyte", str(tmp_path / "empty"), "$MLP_MNIST_DIR",
                     str(tmp_path / "nowhere"), str(tmp_path / "cache" / "mnist"),
                     "download=False", "t10k-labels-idx1-ubyte.gz", "MLP_MNIST_DIR="]:
        assert expected in message, expected
    assert not (tmp_path / "cache").exists()


def test_declared_split_sizes_are_checked(fake_mnist, tmp_path, monkeypatch):
    _, raw = fake_mnist
    put(tmp_path / "d", raw)
    monkeypatch.setattr(mlp.data.mnist, "MNIST", dataclasses.replace(mlp.data.mnist.MNIST, n_train=31))
    with pytest.raises(ValueError, match=r"train images: expected uint8 \(31, 28, 28\), "
                                         r"got uint8 \(30, 28, 28\)"):
        load_mnist(tmp_path / "d", download=False)


def test_label_count_must_match_image_count(fake_mnist, tmp_path, monkeypatch):
    _, raw = fake_mnist
    raw = dict(raw, **{"t10k-labels-idx1-ubyte": write_idx(None, np.zeros(19, np.uint8))})
    sha = {n: hashlib.sha256(d).hexdigest() for n, d in raw.items()}
    monkeypatch.setattr(mlp.data.mnist, "MNIST", dataclasses.replace(mlp.data.mnist.MNIST, sha256=sha))
    put(tmp_path / "d", raw)
    with pytest.raises(ValueError, match=r"t10k labels: expected 20 labels \(one per image\), "
                                         r"got shape \(19,\)"):
        load_mnist(tmp_path / "d", download=False)


def test_options_one_hot_dtype_and_normalize(fake_mnist, tmp_path):
    _, raw = fake_mnist
    put(tmp_path / "d", raw)
    (X, Y), _ = load_mnist(tmp_path / "d", dtype=np.float64, one_hot=True, flatten=False)
    assert X.shape == (30, 28, 28) and X.dtype == np.float64 and Y.dtype == np.float64
    assert Y.shape == (30, 10) and Y.argmax(1).tolist() == (np.arange(30) % 10).tolist()
    with pytest.raises(ValueError, match="normalize=True needs a floating dtype, got uint8"):
        load_mnist(tmp_path / "d", dtype=np.uint8)


# ---- helpers --------------------------------------------------------------------------------

def test_one_hot_values_and_shapes():
    Y = one_hot(np.array([2, 0, 1, 2]))
    assert Y.dtype == np.float32 and Y.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert one_hot(np.array([1], np.uint8), 4, np.float64).tolist() == [[0, 1, 0, 0]]
    assert one_hot(np.array([], int), 3).shape == (0, 3)


@pytest.mark.parametrize("labels, n_classes, message", [
    (np.array([0.0, 1.0]), None, r"integers, got float64 \(2,\)"),
    (np.array([[0, 1]]), None, r"vector \(N,\) of integers, got int64 \(1, 2\)"),
    (np.array([0, -1, 2]), 3, r"in 0\.\.2, got -1 at index 1"),
    (np.array([0, 1, 10]), 10, r"in 0\.\.9, got 10 at index 2"),
    (np.array([True, False]), None, r"integers, got bool"),
])
def test_one_hot_rejects_bad_labels(labels, n_classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, n_classes)


def test_train_validation_split_default_is_the_last_10000_as_views():
    X, y = np.arange(60000 * 2).reshape(60000, 2), np.arange(60000) % 10
    (X_train, y_train), (X_val, y_val) = train_validation_split(X, y)
    assert X_train.shape == (50000, 2) and X_val.shape == (10000, 2)
    assert X_val[0, 0] == 100000 and y_val.tolist() == y[50000:].tolist()
    assert np.shares_memory(X_train, X) and np.shares_memory(X_val, X)


def test_train_validation_split_seeded_is_a_deterministic_partition():
    X, y = np.arange(100).reshape(100, 1) * 10, np.arange(100)
    (a, ya), (b, yb) = train_validation_split(X, y, n_validation=30, seed=1)
    assert a.shape == (70, 1) and b.shape == (30, 1)
    assert sorted(np.concatenate([ya, yb]).tolist()) == list(range(100))
    np.testing.assert_array_equal(np.concatenate([a, b])[:, 0], np.concatenate([ya, yb]) * 10)
    (a2, _), _ = train_validation_split(X, y, n_validation=30, seed=1)
    (a3, _), _ = train_validation_split(X, y, n_validation=30, seed=2)
    assert np.array_equal(a, a2) and not np.array_equal(a, a3)
    with pytest.raises(ValueError, match="same length, got 100 and 99"):
        train_validation_split(X, y[:99])
    with pytest.raises(ValueError, match=r"n_validation must be in 0\.\.100, got 101"):
        train_validation_split(X, y, n_validation=101)


def test_stratified_subset_balanced_deterministic_and_in_order():
    y = np.repeat(np.arange(4), [50, 100, 20, 30])
    X = np.arange(len(y)) * 2
    X_sub, y_sub = stratified_subset(X, y, 42, seed=3)
    counts = np.bincount(y_sub, minlength=4)
    assert counts.sum() == 42 and counts.max() - counts.min() <= 1
    np.testing.assert_array_equal(X_sub, np.sort(X_sub))  # original order kept
    np.testing.assert_array_equal(y[X_sub // 2], y_sub)  # rows stay paired
    assert np.array_equal(stratified_subset(X, y, 42, seed=3)[0], X_sub)
    assert not np.array_equal(stratified_subset(X, y, 42, seed=4)[0], X_sub)


def test_stratified_subset_small_classes_give_their_share_to_others():
    y = np.repeat(np.arange(3), [5, 100, 100])
    _, y_sub = stratified_subset(np.zeros((205, 1)), y, 65)
    assert np.bincount(y_sub).tolist() == [5, 30, 30]
    Y = one_hot(y)  # one-hot targets are accepted too
    _, Y_sub = stratified_subset(np.zeros((205, 1)), Y, 6)
    assert Y_sub.shape == (6, 3) and Y_sub.sum(0).tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match=r"n must be in 0\.\.205, got 206"):
        stratified_subset(np.zeros((205, 1)), y, 206)
