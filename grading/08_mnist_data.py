"""Chapter 8 (MNIST data): hidden tests, points and wrong answers of its exercises.

The hidden tests recompute every reference with the teacher's own code (headers of other
ranks and sizes, other labels, the statistics of the training set, the nearest-mean blocks).
"""
import numpy as np

from mlp.book.exercises import ExerciseError, check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch08-ex-header -------------------------------------------------------------------------
header = Exercise("ch08-ex-header", points=2)


def idx_header(shape, type_code=0x08):
    """The header bytes of an IDX file of that shape: 0, 0, type code, rank, big-endian sizes."""
    return bytes([0, 0, type_code, len(shape)]) + np.asarray(shape, dtype=">u4").tobytes()


@header.hidden
def other_ranks_and_sizes(idx_shape):
    "headers of ranks 1 to 5 with sizes up to 100,000"
    r = hidden_rng(SEED, "header")
    shapes = [tuple(int(n) for n in r.integers(1, 100000, size=rank)) for rank in (1, 2, 4, 5)]
    shapes += [(70000, 28, 28), (1, 256, 65536)]
    codes = [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]
    inputs = [(idx_header(s, codes[k % len(codes)]),) for k, s in enumerate(shapes)]
    check_function(lambda h: tuple(idx_shape(h)), lambda h: tuple(int(n) for n in np.frombuffer(h[4:], ">u4")),
                   inputs, name="idx_shape")


header.wrong("always three sizes (rank not read)", "def idx_shape(header):\n"
             "    return tuple(int.from_bytes(header[4 + 4 * i: 8 + 4 * i], 'big') for i in range(3))")
header.wrong("little-endian sizes", "def idx_shape(header):\n    rank = header[3]\n"
             "    return tuple(int.from_bytes(header[4 + 4 * i: 8 + 4 * i], 'little') for i in range(rank))")
header.wrong("one byte per size", "def idx_shape(header):\n    rank = header[3]\n"
             "    return tuple(header[4:4 + rank])")
header.wrong("the type code read as the rank", "def idx_shape(header):\n    rank = header[2]\n"
             "    return tuple(int.from_bytes(header[4 + 4 * i: 8 + 4 * i], 'big') for i in range(rank))")

# ---- ch08-ex-onehot -------------------------------------------------------------------------
onehot = Exercise("ch08-ex-onehot", points=2)


def reference_one_hot(y, n_classes):
    return np.eye(n_classes, dtype=np.float32)[np.asarray(y)]


@onehot.hidden
def other_labels(my_one_hot):
    "other labels and class counts, float32"
    r = hidden_rng(SEED, "onehot")
    inputs = [(r.integers(0, 10, size=30), 10), (np.array([4]), 6), (np.array([0, 2, 2]), 3)]
    check_function(my_one_hot, reference_one_hot, inputs, name="my_one_hot")
    check_true(np.asarray(my_one_hot(np.array([1, 0]), 2)).dtype == np.float32,
               "my_one_hot should return a float32 array (dtype=np.float32).")


onehot.wrong("transposed", "def my_one_hot(y, n_classes):\n"
             "    Y = np.zeros((n_classes, len(y)), dtype=np.float32)\n"
             "    Y[y, np.arange(len(y))] = 1\n    return Y")
onehot.wrong("a 1 in every column of the label's row",
             "def my_one_hot(y, n_classes):\n    Y = np.zeros((len(y), n_classes), dtype=np.float32)\n"
             "    Y[y] = 1\n    return Y")
onehot.wrong("zeros only", "def my_one_hot(y, n_classes):\n"
             "    return np.zeros((len(y), n_classes), dtype=np.float32)")

# ---- ch08-ex-standardise --------------------------------------------------------------------
standardise = Exercise("ch08-ex-standardise", points=2)


@standardise.hidden
def training_statistics(mu, sd, X_train):
    "mu and sd: one mean and one standard deviation over all training pixels"
    check_true(np.ndim(mu) == 0 and np.ndim(sd) == 0, "mu and sd should be two single numbers.")
    X = np.asarray(X_train, dtype=np.float64)
    check(float(mu), X.mean(), name="mu", rtol=1e-4)
    check(float(sd), X.std(), name="sd", rtol=1e-4)


@standardise.hidden
def both_sets_with_the_training_statistics(X_train_std, X_test_std, X_train, X_test):
    "both sets standardised with the training mu and sd (other rows)"
    X = np.asarray(X_train, dtype=np.float64)
    m, s = X.mean(), X.std()
    rows = hidden_rng(SEED, "standardise").choice(10000, size=300, replace=False)
    check_true(np.shape(X_train_std) == np.shape(X_train) and np.shape(X_test_std) == np.shape(X_test),
               "X_train_std and X_test_std should have the shapes of X_train and X_test.")
    check(np.asarray(X_train_std)[rows], (X[rows] - m) / s, name="X_train_std", rtol=1e-3, atol=1e-4)
    check(np.asarray(X_test_std)[rows], (np.asarray(X_test, np.float64)[rows] - m) / s,
          name="X_test_std", rtol=1e-3, atol=1e-4)


standardise.wrong("one mean and sd per pixel position",
                  "mu, sd = X_train.mean(axis=0), X_train.std(axis=0)\n"
                  "X_train_std = (X_train - mu) / sd\nX_test_std = (X_test - mu) / sd")
standardise.wrong("the test set standardised with its own statistics",
                  "mu, sd = float(X_train.mean()), float(X_train.std())\n"
                  "X_train_std = (X_train - mu) / sd\n"
                  "X_test_std = (X_test - X_test.mean()) / X_test.std()", score=1)
standardise.wrong("the variance instead of the standard deviation",
                  "mu, sd = float(X_train.mean()), float(X_train.var())\n"
                  "X_train_std = (X_train - mu) / sd\nX_test_std = (X_test - mu) / sd")
standardise.wrong("the statistics of the test images",
                  "mu, sd = float(X_test.mean()), float(X_test.std())\n"
                  "X_train_std = (X_train - mu) / sd\nX_test_std = (X_test - mu) / sd")

# ---- ch08-ex-blocks -------------------------------------------------------------------------
blocks = Exercise("ch08-ex-blocks", points=2)


def nearest_mean_predictions(X_train, y_train, X_test):
    """The teacher's own nearest-class-mean classifier (not the notebook's predictions)."""
    X_train, X_test = np.asarray(X_train, np.float64), np.asarray(X_test, np.float64)
    means = np.stack([X_train[np.asarray(y_train) == k].mean(axis=0) for k in range(10)])
    d = (X_test ** 2).sum(1)[:, None] - 2 * X_test @ means.T + (means ** 2).sum(1)[None, :]
    return d.argmin(axis=1)


@blocks.hidden
def block_accuracies_and_their_spread(block_acc, spread, standard_error, random_order,
                                      X_train, y_train, X_test, y_test):
    "ten block accuracies, their spread, the standard error and the verdict"
    hits = (nearest_mean_predictions(X_train, y_train, X_test) == np.asarray(y_test)).astype(float)
    acc = hits.reshape(10, 1000).mean(axis=1)
    check(block_acc, acc, name="block_acc", atol=1e-3)
    check(float(spread), acc.std(ddof=1), name="spread", rtol=0.02)
    se = np.sqrt(hits.mean() * (1 - hits.mean()) / 1000)
    check(float(standard_error), se, name="standard_error", rtol=0.01)
    check(bool(random_order), bool(acc.std(ddof=1) < 1.5 * se), name="random_order")


blocks.wrong("counts, not accuracies", "correct = nearest_mean == y_test\n"
             "block_acc = correct.reshape(10, 1000).sum(axis=1)\nspread = float(block_acc.std(ddof=1))\n"
             "p = correct.mean()\nstandard_error = float(np.sqrt(p * (1 - p) / 1000))\n"
             "random_order = bool(spread < 1.5 * standard_error)")
blocks.wrong("the standard error of all 10,000 images", "correct = nearest_mean == y_test\n"
             "block_acc = correct.reshape(10, 1000).mean(axis=1)\nspread = float(block_acc.std(ddof=1))\n"
             "p = correct.mean()\nstandard_error = float(np.sqrt(p * (1 - p) / 10000))\n"
             "random_order = bool(spread < 1.5 * standard_error)")
blocks.wrong("interleaved blocks (every tenth image), not consecutive ones",
             "correct = nearest_mean == y_test\n"
             "block_acc = correct.reshape(1000, 10).mean(axis=0)\nspread = float(block_acc.std(ddof=1))\n"
             "p = correct.mean()\nstandard_error = float(np.sqrt(p * (1 - p) / 1000))\n"
             "random_order = bool(spread < 1.5 * standard_error)")
blocks.wrong("the verdict the wrong way round", "correct = nearest_mean == y_test\n"
             "block_acc = correct.reshape(10, 1000).mean(axis=1)\nspread = float(block_acc.std(ddof=1))\n"
             "p = correct.mean()\nstandard_error = float(np.sqrt(p * (1 - p) / 1000))\n"
             "random_order = True", score=0)

# ---- ch08-ex-blank --------------------------------------------------------------------------
blank = Exercise("ch08-ex-blank", points=1)


@blank.hidden
def blank_positions_per_subset(blank_counts, X_train, y_train):
    "positions with no ink in any image of stratified subsets of 100 to 60,000"
    from mlp import data
    check_true(np.shape(blank_counts) == (4,), "blank_counts should hold four counts.")
    ref = [int((np.asarray(data.stratified_subset(X_train, y_train, n, seed=0)[0]).max(axis=0) == 0).sum())
           for n in (100, 1000, 10000, 60000)]
    check(np.asarray(blank_counts), np.array(ref), name="blank_counts")


_blank = ("blank_counts = np.array([int(({subset}.max(axis=0) {op} 0).sum()) for n in (100, 1000, 10000, 60000)])")
blank.wrong("the first n images, not the stratified subsets",
            _blank.format(subset="X_train[:n]", op="=="))
blank.wrong("the positions with ink (not the blank ones)",
            _blank.format(subset="data.stratified_subset(X_train, y_train, n, seed=0)[0]", op=">"))
blank.wrong("positions blank in some image (min, not max)",
            "blank_counts = np.array([int((data.stratified_subset(X_train, y_train, n, seed=0)[0]"
            ".min(axis=0) == 0).sum()) for n in (100, 1000, 10000, 60000)])")

# ---- ch08-ex-split --------------------------------------------------------------------------
split = Exercise("ch08-ex-split", points=1)


@split.hidden
def disjoint_and_complete(train_idx, val_idx):
    "50,000 + 10,000 indices, shuffled, each once"
    check_true(np.shape(train_idx) == (50000,) and np.shape(val_idx) == (10000,),
               "train_idx should hold 50,000 indices and val_idx 10,000.")
    both = np.concatenate([train_idx, val_idx])
    check_true(np.array_equal(np.sort(both), np.arange(60000)),
               "Every index 0..59999 should be in exactly one of the two parts.")
    check_true(not np.array_equal(np.sort(val_idx), np.arange(50000, 60000)),
               "val_idx is the last 10,000 images in order: shuffle before splitting.")


split.wrong("not shuffled", "train_idx, val_idx = np.arange(50000), np.arange(50000, 60000)")
split.wrong("two independent draws that overlap",
            "rng = np.random.default_rng(1)\ntrain_idx = rng.choice(60000, 50000, replace=False)\n"
            "val_idx = rng.choice(60000, 10000, replace=False)")
split.wrong("drawn with replacement", "rng = np.random.default_rng(1)\n"
            "order = rng.integers(0, 60000, size=60000)\ntrain_idx, val_idx = order[:50000], order[50000:]")
