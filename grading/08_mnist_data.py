"""Chapter 8 (MNIST data): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here

# ---- ch08-ex-rows ---------------------------------------------------------------------------
rows = Exercise("ch08-ex-rows", points=1)


@rows.hidden
def row_count(n_rows):
    "the second size of the header"
    check(n_rows, 28, name="n_rows")


rows.wrong("the number of images (the first size)", "n_rows = int.from_bytes(bytes.fromhex("
           "'00 00 08 03 00 00 ea 60 00 00 00 1c 00 00 00 1c')[4:8], 'big')")
rows.wrong("little-endian bytes", "n_rows = int.from_bytes(bytes.fromhex("
           "'00 00 08 03 00 00 ea 60 00 00 00 1c 00 00 00 1c')[8:12], 'little')")
rows.wrong("the magic number's last byte (the dimension count)", "n_rows = 3")

# ---- ch08-ex-mean ---------------------------------------------------------------------------
mean = Exercise("ch08-ex-mean", points=1)


@mean.hidden
def mean_of_the_training_set(mean_pixel, X_train):
    "the mean pixel of the training set, to 4 digits"
    check_true(isinstance(mean_pixel, float), f"mean_pixel should be a Python float, got "
               f"{type(mean_pixel).__name__}: wrap it in float(...)")
    check(mean_pixel, float(np.asarray(X_train, dtype=np.float64).mean()), name="mean_pixel", rtol=1e-4)


mean.wrong("on the 0-255 scale", "mean_pixel = float(X_train.mean() * 255)")
mean.wrong("the median", "mean_pixel = float(np.median(X_train))")
mean.wrong("the mean of one image", "mean_pixel = float(X_train[0].mean())")

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

# ---- ch08-ex-common -------------------------------------------------------------------------
common = Exercise("ch08-ex-common", points=1)


@common.hidden
def most_frequent_digit(most_common, y_train):
    "the most frequent training label"
    check(most_common, int(np.bincount(np.asarray(y_train)).argmax()), name="most_common")


common.wrong("how often it occurs, not which digit", "most_common = int(np.bincount(y_train).max())")
common.wrong("the least common digit", "most_common = int(np.bincount(y_train).argmin())")
common.wrong("the first label", "most_common = int(y_train[0])")

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


split.wrong("not shuffled", "train_idx, val_idx = np.arange(50000), np.arange(50000, 60000)",
            tuned=True)
split.wrong("two independent draws that overlap",
            "rng = np.random.default_rng(1)\ntrain_idx = rng.choice(60000, 50000, replace=False)\n"
            "val_idx = rng.choice(60000, 10000, replace=False)")
split.wrong("drawn with replacement", "rng = np.random.default_rng(1)\n"
            "order = rng.integers(0, 60000, size=60000)\ntrain_idx, val_idx = order[:50000], order[50000:]")
