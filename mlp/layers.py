"""A fully connected layer: forward and backward side by side (chapters 3 and 6).

Forward, for a batch whose rows are examples:   z = a_prev @ W + b,   a = f(z).
Backward, given delta = dL/dz:  dW = a_prev.T @ delta,  db = delta.sum(0),  da_prev = delta @ W.T.
The forward pass caches exactly what backward needs: a_prev, z, a (and a dropout mask).
"""
import numpy as np

from .activations import get_activation


class Dense:
    """One layer of ``n_out`` neurons fed by ``n_in`` inputs.

    Attributes: ``W`` (n_in, n_out), ``b`` (n_out,), ``activation`` (an mlp.activations object),
    ``dropout`` (probability of zeroing each output during training; 0 = off).
    """

    def __init__(self, W, b, activation="sigmoid", dropout=0.0):
        self.W, self.b = W, b
        self.activation = get_activation(activation)
        if self.activation.params and self.activation.alpha is None:
            self.activation.init_params(W.shape[1], W.dtype)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.dropout = float(dropout)
        self.cache = None

    @property
    def n_in(self):
        return self.W.shape[0]

    @property
    def n_out(self):
        return self.W.shape[1]

    def params(self):
        """The learned arrays, in a fixed order: W, b, then any activation parameters (PReLU alpha)."""
        return [self.W, self.b] + [getattr(self.activation, p) for p in self.activation.params]

    def forward(self, a_prev, train=False, rng=None):
        """a = f(a_prev @ W + b), shape (N, n_out). With ``train`` and dropout, inverted dropout:
        each output is zeroed with probability p and the survivors scaled by 1 / (1 - p)."""
        z = a_prev @ self.W
        z += self.b
        a = self.activation.forward(z)
        mask = None
        if train and self.dropout > 0:
            keep = 1 - self.dropout
            mask = (rng.random(a.shape, dtype=np.float32) < keep) / a.dtype.type(keep)
        self.cache = (a_prev, z, a, mask)
        return a if mask is None else a * mask

    def backward(self, da, need_da_prev=True):
        """From dL/da of this layer's output to (da_prev, grads); grads aligned with params()."""
        a_prev, z, a, mask = self.cache
        if mask is not None:
            da = da * mask
        delta = self.activation.backward(z, a, da)
        da_prev, grads = self.backward_delta(delta, need_da_prev)
        if self.activation.params:
            grads.append(self.activation.param_gradients(z, da))
        return da_prev, grads

    def backward_delta(self, delta, need_da_prev=True):
        """Given delta = dL/dz (N, n_out): da_prev (N, n_in) and [dW, db].

        The first layer skips da_prev (``need_da_prev=False``): nobody needs dL/dX, and it would
        cost as much as the forward matrix product.
        """
        a_prev = self.cache[0]
        # one example: the outer product is a plain broadcast multiply (4x faster than a matmul)
        dW = a_prev.T * delta if len(delta) == 1 else a_prev.T @ delta
        db = delta.sum(axis=0)
        da_prev = delta @ self.W.T if need_da_prev else None
        return da_prev, [dW, db]

    def __repr__(self):
        drop = f", dropout={self.dropout}" if self.dropout else ""
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation!r}{drop})"
