"""Chapter 13 (speed): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng
from mlp.book.recipes import BEST

SEED = 0  # tools/assignments.py writes the teacher's seed here


def n_params(sizes):
    return sum(m * n + n for m, n in zip(sizes, sizes[1:]))


# ---- ch13-ex-flops --------------------------------------------------------------------------
flops = Exercise("ch13-ex-flops", points=2)


def reference_flops(sizes, n):
    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2 * n * (2 * sum(p) + sum(p[1:]))


@flops.hidden
def other_networks(epoch_flops):
    "random widths and depths, one layer, one example"
    r = hidden_rng(SEED, "flops")
    cases = [([int(w) for w in r.integers(2, 900, size=k)], int(r.integers(1, 70000)))
             for k in (2, 3, 5)] + [([10, 10], 1)]
    check_function(epoch_flops, reference_flops, cases, name="epoch_flops")


flops.wrong("dL/da counted for the first layer too", "def epoch_flops(sizes, n):\n"
            "    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]\n    return 2 * n * 3 * sum(p)")
flops.wrong("the forward pass only", "def epoch_flops(sizes, n):\n"
            "    return 2 * n * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))")
flops.wrong("multiply-adds, not FLOPs (no factor 2)", "def epoch_flops(sizes, n):\n"
            "    p = [a * b for a, b in zip(sizes[:-1], sizes[1:])]\n    return n * (2 * sum(p) + sum(p[1:]))")

# ---- ch13-ex-bytes --------------------------------------------------------------------------
bytes_ex = Exercise("ch13-ex-bytes", points=1)


@bytes_ex.hidden
def weights_and_training_memory(weight_bytes, training_bytes):
    "the bytes of the best recipe's network (mlp.book.recipes.BEST) in float32, alone and with Adam"
    n = n_params(BEST["sizes"])
    check(weight_bytes, 4 * n, name="weight_bytes")
    check(training_bytes, 16 * n, name="training_bytes")


_SIZES = "from mlp.book import recipes\nsizes = recipes.BEST['sizes']\n"
_N = "n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))\n"
bytes_ex.wrong("the old 784-512-512-10 widths", "n_params = 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10\n"
               "weight_bytes = 4 * n_params\ntraining_bytes = 4 * weight_bytes")
bytes_ex.wrong("float64 (8 bytes)", _SIZES + _N + "weight_bytes = 8 * n_params\ntraining_bytes = 4 * weight_bytes")
bytes_ex.wrong("the biases forgotten", _SIZES + "n_params = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))\n"
               "weight_bytes = 4 * n_params\ntraining_bytes = 4 * weight_bytes")
bytes_ex.wrong("Adam's two moments forgotten", _SIZES + _N + "weight_bytes = 4 * n_params\ntraining_bytes = 2 * weight_bytes")

# ---- ch13-ex-intensity ----------------------------------------------------------------------
intensity = Exercise("ch13-ex-intensity", points=1)


@intensity.hidden
def smallest_batch(b_min):
    "the smallest batch limited by arithmetic"
    check(b_min, 16, name="b_min")


intensity.wrong("FLOPs per byte inverted", "b_min = int(np.ceil(200e9 / 25e9 * 2 / 4))")
intensity.wrong("bandwidth over peak", "b_min = 25e9 / 200e9")
intensity.wrong("the factor 2 of a multiply-add forgotten", "b_min = int(np.ceil(200e9 / 25e9 * 4))")

# ---- ch13-ex-vectorise ----------------------------------------------------------------------
vectorise = Exercise("ch13-ex-vectorise", points=2)


@vectorise.hidden
def other_shapes(summed_outer):
    "other widths and batch sizes"
    r = hidden_rng(SEED, "outer")
    cases = [(r.normal(size=(n, i)), r.normal(size=(n, o))) for n, i, o in ((3, 1, 4), (20, 7, 2), (1, 3, 3))]
    check_function(summed_outer, lambda a, d: a.T @ d, cases, name="summed_outer")


vectorise.wrong("delta.T @ a (transposed)", "def summed_outer(a, delta):\n    return delta.T @ a")
vectorise.wrong("elementwise outer of the sums", "def summed_outer(a, delta):\n"
                "    return np.outer(a.sum(0), delta.sum(0))")
vectorise.wrong("only the first example", "def summed_outer(a, delta):\n    return np.outer(a[0], delta[0])")

# ---- ch13-ex-tree-sum -----------------------------------------------------------------------
tree = Exercise("ch13-ex-tree-sum", points=2)


def reference_tree_sum(v):
    """Neighbours added in pairs, level by level, in float32 (an odd level gets one zero)."""
    v = np.asarray(v, dtype=np.float32)
    while len(v) > 1:
        if len(v) % 2:
            v = np.concatenate([v, np.zeros(1, np.float32)])
        v = v[0::2] + v[1::2]
    return v[0]


def reference_errors(n):
    tenths = np.full(n, np.float32(0.1))
    exact = n * float(np.float32(0.1))
    return (abs(float(np.cumsum(tenths)[-1]) - exact) / exact,
            abs(float(reference_tree_sum(tenths)) - exact) / exact)


@tree.hidden
def tree_bit_for_bit(tree_sum):
    "tree_sum bit for bit on other lengths (1, 2, 7, 4097, ...) and values of both signs"
    r = hidden_rng(SEED, "tree-sum")
    lengths = [1, 2, 7, 33, 4097] + [int(k) for k in r.integers(2, 3000, size=3)]
    for n in lengths:
        v = (r.normal(size=n) * 10.0 ** r.integers(-3, 4, size=n)).astype(np.float32)
        got, want = tree_sum(v.copy()), reference_tree_sum(v)
        check_true(isinstance(got, np.float32), f"tree_sum should return an np.float32, got a "
                   f"{type(got).__name__} (length {n}).")
        check_true(got == want, f"tree_sum adds in another order than neighbours in pairs, level by "
                   f"level (a vector of length {n}).")


@tree.hidden
def errors_of_other_sums(errors_of_tenths, sequential_error, tree_error):
    "errors_of_tenths at other n, and the two lists"
    r = hidden_rng(SEED, "tree-errors")
    for n in [1, 3000] + [int(k) for k in r.integers(10 ** 4, 3 * 10 ** 5, size=2)]:
        check(errors_of_tenths(n), reference_errors(n), name=f"errors_of_tenths({n})",
              rtol=1e-6, atol=1e-15)
    expected = np.array([reference_errors(n) for n in (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)])
    check(np.asarray(sequential_error, dtype=float), expected[:, 0], name="sequential_error",
          rtol=1e-6, atol=1e-15)
    check(np.asarray(tree_error, dtype=float), expected[:, 1], name="tree_error",
          rtol=1e-6, atol=1e-15)


_TREE = ('def tree_sum(v):\n    """Pairs of neighbours."""\n    v = np.asarray(v)\n'
         '    while len(v) > 1:\n        if len(v) % 2:\n'
         '            v = np.concatenate([v, np.zeros(1, v.dtype)])\n'
         '        v = v[0::2] + v[1::2]\n    return v[0]\n\n\n')
_ERRORS = ('def errors_of_tenths(n):\n    """Relative errors."""\n'
           '    tenths = np.full(n, np.float32(0.1))\n    exact = {exact}\n'
           '    left_to_right = {left}\n'
           '    return abs(float(left_to_right) - exact) / exact, abs(float(tree_sum(tenths)) - exact) / exact\n\n\n'
           'sequential_error = [errors_of_tenths(n)[0] for n in (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)]\n'
           'tree_error = [errors_of_tenths(n)[1] for n in (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)]\n')
_RIGHT = dict(exact="n * float(np.float32(0.1))", left="np.cumsum(tenths)[-1]")
tree.wrong("np.sum instead of the tree (another order)",
           'def tree_sum(v):\n    """np.sum."""\n    return np.sum(v)\n\n\n' + _ERRORS.format(**_RIGHT))
tree.wrong("the tree in float64", _TREE.replace("v = np.asarray(v)", "v = np.asarray(v, dtype=np.float64)")
           + _ERRORS.format(**_RIGHT))
tree.wrong("the exact sum taken as n * 0.1", _TREE + _ERRORS.format(exact="n * 0.1", left=_RIGHT["left"]),
           score=1)
tree.wrong("np.sum as the left-to-right sum", _TREE + _ERRORS.format(exact=_RIGHT["exact"],
                                                                    left="np.sum(tenths)"), score=1)
