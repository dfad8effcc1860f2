"""Chapter 6 (backpropagation): hidden tests, points and wrong answers of its exercises."""
import numpy as np

import mlp
from mlp.book.exercises import ExerciseError, check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng

SEED = 0  # tools/assignments.py writes the teacher's seed here


def sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))


# ---- ch06-ex-chain --------------------------------------------------------------------------
chain = Exercise("ch06-ex-chain", points=1)


@chain.hidden
def both_derivatives(dC_dw, dC_db):
    "dC/dw and dC/db of the single neuron"
    check(dC_dw, -0.25, name="dC_dw", rtol=1e-9)
    check(dC_db, -0.125, name="dC_db", rtol=1e-9)


chain.wrong("the sigmoid's slope left out", "dC_dw = -0.5 * 2\ndC_db = -0.5")
chain.wrong("the sign of (a - y) reversed", "dC_dw = 0.125 * 2\ndC_db = 0.125")
chain.wrong("x left out of dC/dw", "dC_dw = -0.125\ndC_db = -0.125")

# ---- ch06-ex-dense-backward -----------------------------------------------------------------
dense = Exercise("ch06-ex-dense-backward", points=2)


def dense_reference(a_prev, W, b, da):
    a = sigmoid(a_prev @ W + b)
    delta = da * a * (1 - a)
    return delta @ W.T, a_prev.T @ delta, delta.sum(axis=0)


@dense.hidden
def other_layers(dense_sigmoid_backward):
    "layers of other sizes, one example, one output"
    r = hidden_rng(SEED, "dense")
    cases = [tuple(r.normal(size=s) for s in shapes)
             for shapes in [((7, 4), (4, 3), (3,), (7, 3)), ((1, 2), (2, 5), (5,), (1, 5)),
                            ((3, 6), (6, 1), (1,), (3, 1))]]
    check_function(dense_sigmoid_backward, dense_reference, cases, name="dense_sigmoid_backward")


dense.wrong("W not transposed for da_prev (crashes on non-square layers)",
            "def dense_sigmoid_backward(a_prev, W, b, da):\n    a = sigmoid(a_prev @ W + b)\n"
            "    delta = da * a * (1 - a)\n    return delta @ W, a_prev.T @ delta, delta.sum(axis=0)")
dense.wrong("the sigmoid's slope forgotten", "def dense_sigmoid_backward(a_prev, W, b, da):\n"
            "    delta = da\n    return delta @ W.T, a_prev.T @ delta, delta.sum(axis=0)")
dense.wrong("a mean over the batch for db", "def dense_sigmoid_backward(a_prev, W, b, da):\n"
            "    a = sigmoid(a_prev @ W + b)\n    delta = da * a * (1 - a)\n"
            "    return delta @ W.T, a_prev.T @ delta, delta.mean(axis=0)", score=0, tuned=False)

# ---- ch06-ex-central ------------------------------------------------------------------------
central = Exercise("ch06-ex-central", points=2)


def central_reference(f, x, eps=1e-6):
    x = np.array(x, dtype=np.float64)
    return mlp.numerical_gradient(lambda: f(x), x, eps)


@central.hidden
def other_functions(my_numerical_gradient):
    "other functions and shapes, a large eps"
    r = hidden_rng(SEED, "central")
    quartic = lambda x: float(np.sum(x ** 4) - np.sum(x))
    cosine = lambda x: float(np.cos(x).sum() * x.flat[0])
    cases = [(quartic, r.normal(size=4)), (cosine, r.normal(size=(2, 3))),
             (quartic, r.normal(size=(3, 1)), 1e-2)]
    check_function(my_numerical_gradient, central_reference, cases,
                   name="my_numerical_gradient", rtol=1e-6)


central.wrong("a one-sided difference", "def my_numerical_gradient(f, x, eps=1e-6):\n"
              "    x = np.array(x, dtype=np.float64)\n    grad = np.zeros_like(x)\n    base = f(x)\n"
              "    for i in np.ndindex(x.shape):\n        old = x[i]\n        x[i] = old + eps\n"
              "        grad[i] = (f(x) - base) / eps\n        x[i] = old\n    return grad")
central.wrong("divided by eps instead of 2 eps", "def my_numerical_gradient(f, x, eps=1e-6):\n"
              "    x = np.array(x, dtype=np.float64)\n    grad = np.zeros_like(x)\n"
              "    for i in np.ndindex(x.shape):\n        old = x[i]\n        x[i] = old + eps\n"
              "        up = f(x)\n        x[i] = old - eps\n        down = f(x)\n        x[i] = old\n"
              "        grad[i] = (up - down) / eps\n    return grad")
central.wrong("x not restored after each nudge", "def my_numerical_gradient(f, x, eps=1e-6):\n"
              "    x = np.array(x, dtype=np.float64)\n    grad = np.zeros_like(x)\n"
              "    for i in np.ndindex(x.shape):\n        x[i] += eps\n        up = f(x)\n"
              "        x[i] -= eps\n        down = f(x)\n        grad[i] = (up - down) / (2 * eps)\n"
              "    return grad")

# ---- ch06-ex-bug ----------------------------------------------------------------------------
bug = Exercise("ch06-ex-bug", points=2)


@bug.hidden
def non_square_network(fixed_backward):
    "a 3-4-2 network and a 2-5-3-1 network (not square)"
    r = hidden_rng(SEED, "bug")
    for sizes in ([3, 4, 2], [2, 5, 3, 1]):
        net = mlp.MLP(sizes, activation="sigmoid", output="sigmoid", loss="mse",
                      seed=int(r.integers(1000)))
        X, Y = r.normal(size=(6, sizes[0])), r.random((6, sizes[-1]))
        try:
            error = mlp.gradcheck(net, X, Y, gradients=fixed_backward)
        except Exception as e:
            raise mlp.book.exercises.ExerciseError(
                f"fixed_backward raised {type(e).__name__}: {e} on a {sizes} network: "
                f"check the shape of every product") from e
        check_true(error < 1e-7, f"on a {sizes} network gradcheck is {error:.1e}, above 1e-7")


bug.wrong("the buggy version unchanged", "def fixed_backward(net, X, Y):\n"
          "    return buggy_backward(net, X, Y)")
bug.wrong("the slope of the sigmoid dropped instead", "def fixed_backward(net, X, Y):\n"
          "    net.forward(X)\n    da = (net.layers[-1].cache[2] - Y) / len(X)\n    grads = []\n"
          "    for layer in reversed(net.layers):\n        a_prev, z, a, _ = layer.cache\n"
          "        delta = da\n        grads.append((a_prev.T @ delta, delta.sum(axis=0)))\n"
          "        da = delta @ layer.W.T\n    return grads[::-1]")
bug.wrong("no division by the batch size", "def fixed_backward(net, X, Y):\n"
          "    net.forward(X)\n    da = net.layers[-1].cache[2] - Y\n    grads = []\n"
          "    for layer in reversed(net.layers):\n        a_prev, z, a, _ = layer.cache\n"
          "        delta = da * a * (1 - a)\n        grads.append((a_prev.T @ delta, delta.sum(axis=0)))\n"
          "        da = delta @ layer.W.T\n    return grads[::-1]")

# ---- ch06-ex-softmax ------------------------------------------------------------------------
softmax_delta = Exercise("ch06-ex-softmax", points=2)


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _cost_cases(r):
    """(cost, z, analytic dC/dz) for costs whose derivative is not always a - y."""
    z4, z3, z10 = r.normal(size=4), r.normal(size=3), 4 * r.normal(size=10)
    t = r.dirichlet(np.ones(10))                          # a soft target

    def soft_cross_entropy(z):
        return float(-(t * np.log(_softmax(z))).sum())

    def tanh_squares(z):
        return float((np.tanh(z) ** 2).sum())

    def quadratic_class_0(z):
        return float(0.5 * ((_softmax(z) - np.eye(len(z))[0]) ** 2).sum())

    def quadratic_gradient(z):
        a = _softmax(z)
        return (np.diag(a) - np.outer(a, a)) @ (a - np.eye(len(z))[0])

    return [(soft_cross_entropy, z10, lambda z: _softmax(z) - t),
            (tanh_squares, z4, lambda z: 2 * np.tanh(z) * (1 - np.tanh(z) ** 2)),
            (quadratic_class_0, z3, quadratic_gradient)]


@softmax_delta.hidden
def other_costs(numeric_delta):
    "costs the page does not try (soft targets, tanh, another class), other sizes"
    r = hidden_rng(SEED, "softmax-numeric")
    for cost, z, gradient in _cost_cases(r):
        check_function(lambda z: numeric_delta(cost, z), gradient, [z],
                       name=f"numeric_delta({cost.__name__}, z)", rtol=1e-7, atol=1e-8)


softmax_delta.wrong("a - y typed in, whatever the cost",
                    "def numeric_delta(cost, z):\n    a = np.exp(z) / np.exp(z).sum()\n"
                    "    return a - np.eye(len(z))[2]")
softmax_delta.wrong("divided by eps instead of 2 eps", "def numeric_delta(cost, z, eps=1e-6):\n"
                    "    z = np.array(z, dtype=np.float64)\n    grad = np.zeros_like(z)\n"
                    "    for i in range(len(z)):\n        up, down = z.copy(), z.copy()\n"
                    "        up[i] += eps\n        down[i] -= eps\n"
                    "        grad[i] = (cost(up) - cost(down)) / eps\n    return grad")
softmax_delta.wrong("a one-sided difference", "def numeric_delta(cost, z, eps=1e-6):\n"
                    "    z = np.array(z, dtype=np.float64)\n    grad = np.zeros_like(z)\n"
                    "    for i in range(len(z)):\n        up = z.copy()\n        up[i] += eps\n"
                    "        grad[i] = (cost(up) - cost(z)) / eps\n    return grad")
softmax_delta.wrong("the cost's value, not its derivative",
                    "def numeric_delta(cost, z):\n    return cost(z)")

# ---- ch06-ex-tanh-gate ----------------------------------------------------------------------
tanh_gate = Exercise("ch06-ex-tanh-gate", points=2)


@tanh_gate.hidden
def other_graphs_and_points(value_tanh, Value):
    "tanh nodes nested and reused, at other points"
    check_true(callable(value_tanh) and Value is not None, "value_tanh should be a function of a Value.")
    r = hidden_rng(SEED, "tanh-gate")
    f = lambda x: np.tanh(3 * np.tanh(x)) + x * np.tanh(x)
    for x0 in r.uniform(-2, 2, size=4):
        x = Value(float(x0))
        try:
            L = value_tanh(value_tanh(x) * Value(3.0)) + x * value_tanh(x)
            L.backward()
        except Exception as e:
            raise ExerciseError(f"value_tanh failed inside a graph: {type(e).__name__}: {e}") from e
        check_true(np.isclose(L.data, f(x0), rtol=1e-12),
                   "the Value built with value_tanh does not hold tanh of its input.")
        numeric = (f(x0 + 1e-6) - f(x0 - 1e-6)) / 2e-6
        check(x.grad, numeric, name=f"dL/dx at x = {x0:.3f}", rtol=1e-6)


tanh_gate.wrong("tanh itself as the local gradient", "def value_tanh(v):\n"
                "    t = math.tanh(v.data)\n    return Value(t, (v,), (t,))")
tanh_gate.wrong("1 - z^2 instead of 1 - t^2", "def value_tanh(v):\n"
                "    t = math.tanh(v.data)\n    return Value(t, (v,), (1 - v.data ** 2,))")
tanh_gate.wrong("no parent: backward never reaches v", "def value_tanh(v):\n"
                "    return Value(math.tanh(v.data))")

# ---- ch06-ex-kink ---------------------------------------------------------------------------
kink = Exercise("ch06-ex-kink", points=2)


@kink.hidden
def an_input_on_the_kink(x_kink, kink_net, y_kink):
    "an input that puts a hidden unit on ReLU's kink, and the check it breaks"
    check_true(x_kink is not ... and np.shape(x_kink) == (1, 2) and np.all(np.isfinite(x_kink)),
               "x_kink should be a finite array of shape (1, 2).")
    W, b = kink_net.layers[0].W.astype(np.float64), kink_net.layers[0].b.astype(np.float64)
    z = np.asarray(x_kink, dtype=np.float64) @ W + b
    check_true(np.min(np.abs(z)) < 1e-6, f"no hidden unit of kink_net sits on the kink for your x_kink "
               f"(the nearest |z| is {np.min(np.abs(z)):.1e})")
    check_true(mlp.gradcheck(kink_net, x_kink, y_kink) > 1e-3, "gradcheck passes for your x_kink.")


kink.wrong("the origin (z = b, far from 0)", "x_kink = np.array([[0.0, 0.0]])")
kink.wrong("near the kink but 1e-3 away", "x_kink = np.array([[(1e-3 - kink_net.layers[0].b[0]) / "
           "kink_net.layers[0].W[0, 0], 0.0]])")
kink.wrong("one number, not one example of two inputs", "x_kink = -kink_net.layers[0].b[0] / "
           "kink_net.layers[0].W[0, 0]")
