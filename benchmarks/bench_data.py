"""Time loading full MNIST as float32: from the gzipped cache and from uncompressed files.

    python benchmarks/bench_data.py [--dir DIR] [--repeat 5]

The four files are found the way `load_mnist` finds them (or in --dir), copied into a temporary
cache (gzipped) and a temporary folder (uncompressed), and each load is timed `--repeat` times
(warm disk cache; best and median wall time, and the best CPU time, which is the fairer
figure on a busy machine). A breakdown shows where the time goes.
"""

import argparse
import gzip
import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from mlp.data.mnist import MNIST, load_mnist, locate
from mlp.data.idx import read_idx


def timed(fn, repeat):
    """(best wall time, median wall time, best CPU time) over `repeat` calls, in seconds."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), statistics.median(wall), min(cpu)


def copy_dataset(source_dir, gz_dir, raw_dir):
    """Copy MNIST's four files into gz_dir (gzipped) and raw_dir (uncompressed)."""
    gz_dir.mkdir(parents=True)
    raw_dir.mkdir(parents=True)
    for name in MNIST.sha256:
        data = locate(MNIST, name, source_dir, download=False).read_bytes()
        raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        (gz_dir / f"{name}.gz").write_bytes(data if raw is not data else gzip.compress(raw))
        (raw_dir / name).write_bytes(raw)


def report(label, times):
    best, median, cpu = (1000 * t for t in times)
    print(f"{label:<52} best {best:6.1f} ms  median {median:6.1f} ms  CPU {cpu:6.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=None, help="where MNIST is (default: the usual lookup)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache, raw_dir = Path(tmp) / "cache", Path(tmp) / "raw"
        copy_dataset(args.dir, cache / "mnist", raw_dir)
        os.environ["MLP_CACHE_DIR"] = str(cache)
        os.environ.pop("MLP_MNIST_DIR", None)
        report("load_mnist() from the cache, .gz files, float32",
               timed(lambda: load_mnist(download=False), args.repeat))
        report("load_mnist(raw_dir), uncompressed files, float32",
               timed(lambda: load_mnist(raw_dir, download=False), args.repeat))
        print("breakdown (train images, 60000 x 28 x 28):")
        breakdown(cache / "mnist" / "train-images-idx3-ubyte.gz",
                  raw_dir / "train-images-idx3-ubyte", args.repeat)


def breakdown(gz_file, raw_file, repeat):
    sha256 = MNIST.sha256[raw_file.name]
    report("  gzip.decompress alone", timed(lambda: gzip.decompress(gz_file.read_bytes()), repeat))
    report("  read_idx(.gz) with SHA-256 check",
           timed(lambda: read_idx(gz_file, expected_sha256=sha256), repeat))
    report("  read_idx(raw) with SHA-256 check",
           timed(lambda: read_idx(raw_file, expected_sha256=sha256), repeat))
    data = raw_file.read_bytes()
    report("  SHA-256 alone", timed(lambda: hashlib.sha256(data).hexdigest(), repeat))
    images = read_idx(raw_file)

    def to_float32():
        X = images.reshape(len(images), -1).astype(np.float32)
        np.divide(X, 255, out=X)

    report("  uint8 -> float32 / 255 (astype, in-place divide)", timed(to_float32, repeat))


if __name__ == "__main__":
    main()
