"""Chapter 3 (the forward pass): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))


# ---- ch03-ex-shapes -------------------------------------------------------------------------
shapes_ex = Exercise("ch03-ex-shapes", points=1)


@shapes_ex.hidden
def all_six_shapes(shapes):
    "the six shapes of a 6-4-3 network on a batch of 8"
    check_true(isinstance(shapes, dict), "shapes should be a dict like {'W1': (6, 4), ...}.")
    want = {"W1": (6, 4), "b1": (4,), "z1": (8, 4), "W2": (4, 3), "b2": (3,), "z2": (8, 3)}
    for key, shape in want.items():
        check(shapes.get(key), shape, name=f"the shape of {key}")


shapes_ex.wrong("the column-vector convention (W is (n_out, n_in))",
                'shapes = {"W1": (4, 6), "b1": (4,), "z1": (8, 4), "W2": (3, 4), "b2": (3,), '
                '"z2": (8, 3)}')
shapes_ex.wrong("biases as columns and z for one example",
                'shapes = {"W1": (6, 4), "b1": (4, 1), "z1": (4,), "W2": (4, 3), "b2": (3, 1), '
                '"z2": (3,)}')

# ---- ch03-ex-forward ------------------------------------------------------------------------
forward_ex = Exercise("ch03-ex-forward", points=2)


def reference_forward(layers, X):
    a = np.asarray(X, dtype=float)
    for W, b in layers:
        a = sigmoid(a @ W + b)
    return a


def random_net(r, sizes):
    return [(r.normal(size=(m, n)), r.normal(size=n)) for m, n in zip(sizes, sizes[1:])]


@forward_ex.hidden
def other_networks(forward):
    "random networks of depth 1 to 4, batches of 1 to 9"
    r = hidden_rng(SEED, "forward")
    cases = [(random_net(r, sizes), r.random((n, sizes[0])))
             for sizes, n in (([4, 1], 3), ([3, 5, 2], 1), ([2, 6, 6, 3, 4], 9), ([7, 7], 5))]
    check_function(forward, reference_forward, cases, name="forward")


forward_ex.wrong("no sigmoid on the last layer",
                 "def forward(layers, X):\n    a = X\n    for W, b in layers[:-1]:\n"
                 "        a = sigmoid(a @ W + b)\n    W, b = layers[-1]\n    return a @ W + b")
forward_ex.wrong("only the first layer", "def forward(layers, X):\n    W, b = layers[0]\n"
                 "    return sigmoid(X @ W + b)")
forward_ex.wrong("the bias left out", "def forward(layers, X):\n    a = X\n    for W, b in layers:\n"
                 "        a = sigmoid(a @ W)\n    return a")
forward_ex.wrong("returns its input", "def forward(layers, X):\n    return X")

# ---- ch03-ex-convert ------------------------------------------------------------------------
convert_ex = Exercise("ch03-ex-convert", points=2)


@convert_ex.hidden
def other_layers(convert):
    "layers of other sizes, including one output"
    r = hidden_rng(SEED, "convert")
    cases = [(r.normal(size=(m, n)), r.normal(size=(m, 1))) for m, n in ((1, 4), (6, 2), (5, 5))]
    check_function(convert, lambda W_col, b_col: (W_col.T, b_col[:, 0]), cases, name="convert")


convert_ex.wrong("not transposed", "def convert(W_col, b_col):\n    return W_col, b_col[:, 0]")
convert_ex.wrong("the bias kept as a column", "def convert(W_col, b_col):\n    return W_col.T, b_col")
convert_ex.wrong("the bias as a row (1, n_out)", "def convert(W_col, b_col):\n"
                 "    return W_col.T, b_col.T")

# ---- ch03-ex-xnor ---------------------------------------------------------------------------
xnor = Exercise("ch03-ex-xnor", points=2)


@xnor.hidden
def truth_table(W_hidden_xnor, b_hidden_xnor, W_out_xnor, b_out_xnor):
    "XNOR on 00, 01, 10, 11 through a 2-2-1 step network"
    given = (W_hidden_xnor, b_hidden_xnor, W_out_xnor, b_out_xnor)
    check_true(all(v is not None and v is not ... for v in given),
               "Fill in W_hidden_xnor, b_hidden_xnor, W_out_xnor and b_out_xnor.")
    for name, v, shape in zip(["W_hidden_xnor", "b_hidden_xnor", "W_out_xnor", "b_out_xnor"],
                              given, [(2, 2), (2,), (2, 1), (1,)]):
        check(np.shape(v), shape, name=f"the shape of {name}")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    h = (X @ np.asarray(W_hidden_xnor, float) + np.asarray(b_hidden_xnor, float) > 0).astype(float)
    out = (h @ np.asarray(W_out_xnor, float) + np.asarray(b_out_xnor, float) > 0).astype(float)
    check(out, np.array([[1.0], [0.0], [0.0], [1.0]]), name="the network's outputs")


xnor.wrong("XOR's weights (the opposite function)",
           "W_hidden_xnor = np.array([[1.0, -1.0], [1.0, -1.0]])\nb_hidden_xnor = np.array([-0.5, 1.5])\n"
           "W_out_xnor = np.array([[1.0], [1.0]])\nb_out_xnor = np.array([-1.5])")
xnor.wrong("AND alone in the output (forgets 00)",
           "W_hidden_xnor = np.array([[1.0, 0.0], [1.0, 0.0]])\nb_hidden_xnor = np.array([-1.5, 0.0])\n"
           "W_out_xnor = np.array([[1.0], [0.0]])\nb_out_xnor = np.array([-0.5])")

# ---- ch03-ex-bumps --------------------------------------------------------------------------
bumps = Exercise("ch03-ex-bumps", points=2)


@bumps.hidden
def within_the_bar_everywhere(bump_net):
    "a 1-m-1 sigmoid network within 0.05 of g at other points of [0, 1]"
    check_true(isinstance(bump_net, mlp.MLP), "bump_net should be an mlp.MLP.")
    sizes = list(bump_net.sizes)
    check_true(len(sizes) == 3 and sizes[0] == 1 and sizes[2] == 1 and sizes[1] <= 200,
               f"bump_net should have sizes [1, m, 1] with m <= 200, got {sizes}.")
    check_true(bump_net.layers[0].activation.name == "sigmoid"
               and bump_net.layers[1].activation.name == "identity",
               "bump_net's hidden layer should use the sigmoid and its output the identity.")
    x = np.concatenate([[0.0, 1.0], hidden_rng(SEED, "bumps").random(5000)])
    g = 0.5 + 0.4 * np.sin(4 * np.pi * x) * np.exp(-x)
    gap = np.abs(bump_net.forward(x[:, None])[:, 0] - g)
    check_true(gap.max() < 0.05, f"bump_net is off by {gap.max():.3f} at x = {x[np.argmax(gap)]:.4f}")


_G = "def g(x):\n    return 0.5 + 0.4 * np.sin(4 * np.pi * x) * np.exp(-x)\n"
bumps.wrong("too few bumps", _G + "bump_net = bump_network(*bump_fit(g, 6))")
bumps.wrong("too many hidden units (more than 200)", _G + "bump_net = bump_network(*bump_fit(g, 150))")
bumps.wrong("the target's mean alone", "bump_net = mlp.MLP([1, 2, 1], activation='sigmoid', "
            "output='identity', dtype=np.float64)\nbump_net.layers[0].W[...] = 0\n"
            "bump_net.layers[1].W[...] = 0\nbump_net.layers[1].b[...] = 0.5")
