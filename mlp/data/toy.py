"""Tiny datasets for the first chapters: boolean truth tables and seeded 2-D point clouds.

Truth tables: ``truth_table("xor")`` -> X (4, 2) float32, rows 00, 01, 10, 11, and y (4, 1)
float32 (the shape of a network with one output unit). 2-D sets: ``make_moons``,
``make_circles``, ``make_spirals``, ``make_blobs`` -> X (n, 2) float32, y (n,) int64 labels,
shuffled, reproducible from `seed` (an int or an ``np.random.Generator``); no sklearn needed.
"""

import numpy as np

_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
#: outputs for inputs 00, 01, 10, 11. "must" is goml's MUST: the output equals the first input.
TRUTH_TABLES = {
    "and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "xor": (0, 1, 1, 0),
    "must": (0, 0, 1, 1), "nand": (1, 1, 1, 0), "nor": (1, 0, 0, 0),
}
LABEL_DTYPE = np.int64


def truth_table(name):
    """Boolean function `name` as (X (4, 2), y (4, 1)) float32; rows 00, 01, 10, 11.

    Names: and, or, xor, must (output = first input), nand, nor. Note that goml's "xor"
    test labels (0, 1, 0, 1) are really "output = second input"; ours is the true XOR.
    """
    key = str(name).lower()
    if key not in TRUTH_TABLES:
        raise ValueError(f"unknown truth table {name!r}; expected one of {sorted(TRUTH_TABLES)}")
    y = np.array(TRUTH_TABLES[key], dtype=np.float32).reshape(4, 1)
    return _INPUTS.copy(), y


def _class_sizes(n, n_classes):
    """Split n points over classes as evenly as possible: sizes differ by at most one."""
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if int(n_classes) != n_classes or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    return [n // n_classes + (k < n % n_classes) for k in range(n_classes)]


def _finish(parts, noise, rng):
    """Stack per-class point arrays, add Gaussian noise, shuffle; -> X float32 (n, 2), y int64."""
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(p), k, LABEL_DTYPE) for k, p in enumerate(parts)])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order].astype(np.float32), y[order]


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles: X (n, 2) float32, y (n,) int64 in {0, 1}.

    Class 0 is the upper arc of the unit circle, class 1 the lower arc shifted to (1, 0.5).
    `noise` is the standard deviation of Gaussian noise added to every coordinate.
    """
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return _finish([upper, lower], noise, rng)


def make_circles(n=200, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles: X (n, 2) float32, y (n,) int64; 0 = outer (radius 1),
    1 = inner (radius `factor`, 0 < factor < 1). Noise as in `make_moons`."""
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor}")
    rng = np.random.default_rng(seed)
    parts = []
    for radius, m in zip((1.0, factor), _class_sizes(n, 2)):
        t = np.linspace(0, 2 * np.pi, m, endpoint=False)
        parts.append(radius * np.stack([np.cos(t), np.sin(t)], axis=1))
    return _finish(parts, noise, rng)


def make_spirals(n=300, n_classes=2, noise=0.2, seed=0, turns=None):
    """Interleaved spiral arms, one per class: X (n, 2) float32, y (n,) int64 in 0..n_classes-1.

    Arm k: radius r from 0 to 1, angle w r + 2 pi k / n_classes (plus `noise` * N(0, 1) on the
    angle, so points stay on their arm's side); needs a hidden layer to separate. The arms wind
    w = 4 radians (about 2/3 of a turn) by default, or `turns` full turns: 1.5 turns need far
    more hidden units than the default (chapter 7).
    """
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    parts = []
    for k, m in enumerate(_class_sizes(n, n_classes)):
        r = np.linspace(0.0, 1.0, m)
        winding = 4.0 if turns is None else 2 * np.pi * turns
        angle = winding * r + 2 * np.pi * k / n_classes + noise * rng.standard_normal(m)
        parts.append(np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1))
    return _finish(parts, 0.0, rng)


def make_blobs(n=200, n_classes=3, noise=0.5, seed=0, centers=None):
    """Gaussian blobs: X (n, 2) float32, y (n,) int64 in 0..n_classes-1.

    Blob k is centred on `centers[k]` (default: evenly spaced on a circle of radius 2)
    with standard deviation `noise` in each coordinate.
    """
    if centers is None:
        angle = 2 * np.pi * np.arange(n_classes) / n_classes
        centers = 2.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.shape != (n_classes, 2):
        raise ValueError(f"centers must have shape ({n_classes}, 2), got {centers.shape}")
    rng = np.random.default_rng(seed)
    parts = [np.tile(c, (m, 1)) for c, m in zip(centers, _class_sizes(n, n_classes))]
    return _finish(parts, noise, rng)
