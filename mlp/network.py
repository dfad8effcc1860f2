"""The multi-layer perceptron: a stack of Dense layers plus a loss (chapters 3, 6 and 7).

    net = MLP([784, 300, 10], activation="relu", output="softmax", loss="cross_entropy")
    net.forward(X)          # (N, 10) output activations
    net.gradients(X, Y)     # [(dW, db), ...], the exact gradient of net.loss(X, Y)
    net.fit(X, Y, epochs=5, batch_size=128, lr=0.1)
"""
import numpy as np

from . import checks, io
from .init import get_initializer
from .layers import Dense
from .losses import get_loss
from .training import fit


class MLP:
    """A fully connected network.

    sizes       layer widths, input first: [n_in, hidden..., n_out], e.g. [784, 300, 10].
    activation  hidden activation: a name or object, or a list with one per hidden layer.
    output      output activation ("sigmoid", "softmax", "identity", ...).
    loss        "mse", "binary_cross_entropy" or "cross_entropy" (softmax log-likelihood).
    init        weight initialisation scheme (see mlp.init), default 1/sqrt(n_in) normal.
    dropout     dropout probability for hidden layers' outputs during fit (0 = off).
    seed        seeds the weights (and dropout); the same seed gives bit-identical networks.
    """

    def __init__(self, sizes, activation="sigmoid", output="sigmoid", loss="mse",
                 init="scaled_normal", seed=0, dtype=np.float32, dropout=0.0):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output width, all >= 1, "
                             f"got {sizes}")
        hidden = _per_hidden_layer(activation, len(sizes) - 2)
        self.sizes, self.dtype = sizes, np.dtype(dtype)
        self.rng = np.random.default_rng(seed)
        scheme = get_initializer(init)
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W, b = scheme(n_in, n_out, self.rng, self.dtype)
            last = i == len(sizes) - 2
            self.layers.append(Dense(W, b, output if last else hidden[i],
                                     dropout=0.0 if last else dropout))
        self.loss_fn = get_loss(loss)
        self.config = dict(sizes=sizes, activation=[l.activation.config() for l in self.layers[:-1]],
                           output=self.layers[-1].activation.config(), loss=self.loss_fn.name,
                           init=init if isinstance(init, str) else "custom", seed=seed,
                           dtype=self.dtype.name, dropout=dropout)

    # ---- forward -------------------------------------------------------------------------
    def forward(self, X, train=False):
        """Output activations (N, n_out) for inputs X (N, n_in)."""
        a = checks.as_inputs(X, self.sizes[0], self.dtype)
        return self._forward(a, train)

    def _forward(self, a, train=False):
        for layer in self.layers:
            a = layer.forward(a, train=train, rng=self.rng)
        return a

    def __call__(self, X):
        return self.forward(X)

    # ---- loss and gradients ---------------------------------------------------------------
    def loss(self, X, Y, l2=0.0):
        """Mean loss over the batch (+ l2/2 * sum of squared weights). Y: targets or int labels."""
        X, Y = self._prepare(X, Y)
        self._forward(X)
        return self._loss_value(Y, l2)

    def _loss_value(self, Y, l2):
        out = self.layers[-1]
        _, z, a, _ = out.cache
        return self.loss_fn.value(z, a, Y, out.activation) + self._l2_penalty(l2)

    def _l2_penalty(self, l2):
        """The weight-decay term of the loss: l2/2 times the sum of every squared weight
        (biases are not decayed; chapter 10)."""
        if not l2:
            return 0.0
        return 0.5 * l2 * sum(float(np.vdot(layer.W, layer.W)) for layer in self.layers)

    def gradients(self, X, Y, l2=0.0):
        """The exact gradient of ``loss(X, Y, l2)``: a list with one tuple per layer,
        (dW, db) — or (dW, db, dalpha) for a PReLU layer — aligned with ``layer.params()``."""
        X, Y = self._prepare(X, Y)
        self._forward(X)
        return [tuple(g) for g in self._backward(Y, l2)]

    def _backward(self, Y, l2=0.0):
        """Backpropagation (chapter 6): delta at the output from the loss, then layer by layer."""
        out = self.layers[-1]
        _, z, a, _ = out.cache
        deep = len(self.layers) > 1
        if out.activation.params:  # a learned output activation: no fused shortcut
            da, grads = out.backward(self.loss_fn.grad(a, Y), need_da_prev=deep)
        else:
            delta = self.loss_fn.delta(z, a, Y, out.activation)
            da, grads = out.backward_delta(delta, need_da_prev=deep)
        all_grads = [grads]
        for i in range(len(self.layers) - 2, -1, -1):
            da, grads = self.layers[i].backward(da, need_da_prev=i > 0)
            all_grads.append(grads)
        all_grads.reverse()
        if l2:
            for layer, grads in zip(self.layers, all_grads):
                grads[0] = grads[0] + layer.W.dtype.type(l2) * layer.W
        return all_grads

    def _prepare(self, X, Y):
        X = checks.as_inputs(X, self.sizes[0], self.dtype)
        return X, checks.as_targets(Y, self.sizes[-1], X.shape[0], self.dtype)

    # ---- predictions ----------------------------------------------------------------------
    def predict(self, X, batch_size=8192):
        """Class labels (N,): argmax of the outputs, or output > 0.5 for a single output unit."""
        a = self.predict_proba(X, batch_size)
        if a.shape[1] == 1:
            return (a[:, 0] > 0.5).astype(np.int64)
        return a.argmax(axis=1)

    def predict_proba(self, X, batch_size=8192):
        """Output activations (N, n_out), computed in batches to bound memory."""
        X = checks.as_inputs(X, self.sizes[0], self.dtype)
        parts = [self._forward(X[i:i + batch_size]) for i in range(0, max(len(X), 1), batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, self.sizes[-1]), self.dtype)

    def accuracy(self, X, y):
        """Fraction of examples whose predicted class equals the label (labels or one-hot)."""
        y = checks.as_labels(y, self.sizes[-1])
        return float((self.predict(X) == y).mean())

    # ---- parameters, training, files ------------------------------------------------------
    def params(self):
        """All learned arrays, layer by layer, each in ``layer.params()`` order."""
        return [p for layer in self.layers for p in layer.params()]

    @property
    def n_params(self):
        return int(sum(p.size for p in self.params()))

    def fit(self, X, Y, **kwargs):
        """Train with mini-batch gradient descent; see ``mlp.training.fit`` for the options."""
        return fit(self, X, Y, **kwargs)

    def save(self, path):
        """Write architecture and parameters to an .npz file (atomically; see mlp.io)."""
        io.save(self, path)

    @classmethod
    def load(cls, path, expect_sizes=None):
        """Read a network written by ``save`` (never unpickles); optionally check its sizes."""
        config, arrays = io.read(path, expect_sizes)
        net = cls.from_config(config)
        io.fill(net, arrays, path)
        return net

    def copy(self, dtype=None):
        """An independent copy, optionally in another dtype (gradcheck uses float64)."""
        twin = MLP.from_config(dict(self.config, dtype=np.dtype(dtype or self.dtype).name))
        for mine, theirs in zip(self.params(), twin.params()):
            theirs[...] = mine
        return twin

    @classmethod
    def from_config(cls, config):
        """A network with the architecture ``config`` describes (``net.config``), whose
        parameters the caller is about to overwrite (copy, load). The initialiser recorded in
        the config may be a custom one that no longer exists, so a placeholder one draws the
        start; the config keeps the recorded name."""
        net = cls(**dict(config, init="scaled_normal"))
        net.config["init"] = config["init"]
        return net

    def __repr__(self):
        body = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"MLP([\n  {body}\n], loss={self.loss_fn!r}, params={self.n_params})"


def _per_hidden_layer(activation, n_hidden):
    """Hidden activations as a list, one per hidden layer."""
    if isinstance(activation, (list, tuple)):
        if len(activation) != n_hidden:
            raise ValueError(f"activation lists {len(activation)} entries but the network has "
                             f"{n_hidden} hidden layers")
        return list(activation)
    return [activation] * n_hidden  # Dense copies objects, so no two layers share one
