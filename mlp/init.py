"""Weight initialisation schemes (chapter 7, 07_first_networks.ipynb; chapter 10).

Each scheme is ``scheme(n_in, n_out, rng, dtype) -> (W, b)`` with W of shape (n_in, n_out) and
b of shape (n_out,). Why the scale matters: z = a @ W + b sums n_in terms, so with unit-variance
weights its standard deviation grows like sqrt(n_in) and sigmoids saturate; dividing by
sqrt(n_in) keeps z near unit scale (LeCun et al. 1998, Glorot & Bengio 2010, He et al. 2015).
"""
import numpy as np


def standard_normal(n_in, n_out, rng, dtype=np.float32):
    """W and b from N(0, 1), as post 004 (and Nielsen's network.py) start: large for wide layers."""
    W = rng.standard_normal((n_in, n_out), dtype=np.float32).astype(dtype, copy=False)
    b = rng.standard_normal(n_out, dtype=np.float32).astype(dtype, copy=False)
    return W, b


def scaled_normal(n_in, n_out, rng, dtype=np.float32):
    """W from N(0, 1/n_in), b = 0: the 1/sqrt(n_in) rule of post 003 (LeCun's 'Efficient BackProp')."""
    W = rng.standard_normal((n_in, n_out), dtype=np.float32) / np.float32(np.sqrt(n_in))
    return W.astype(dtype, copy=False), np.zeros(n_out, dtype)


def uniform(n_in, n_out, rng, dtype=np.float32):
    """W from U(-1/sqrt(n_in), 1/sqrt(n_in)), b = 0: the uniform start of the digit-recogniser post."""
    r = 1 / np.sqrt(n_in)
    W = rng.uniform(-r, r, (n_in, n_out)).astype(dtype)
    return W, np.zeros(n_out, dtype)


def glorot_uniform(n_in, n_out, rng, dtype=np.float32):
    """Glorot & Bengio (2010): U(-r, r) with r = sqrt(6 / (n_in + n_out)), b = 0.

    Keeps the variance of activations and of gradients roughly constant across tanh/sigmoid layers.
    """
    r = np.sqrt(6 / (n_in + n_out))
    W = rng.uniform(-r, r, (n_in, n_out)).astype(dtype)
    return W, np.zeros(n_out, dtype)


def he_normal(n_in, n_out, rng, dtype=np.float32):
    """He et al. (2015): N(0, 2/n_in), b = 0. The 2 makes up for ReLU zeroing half its inputs."""
    W = rng.standard_normal((n_in, n_out), dtype=np.float32) * np.float32(np.sqrt(2 / n_in))
    return W.astype(dtype, copy=False), np.zeros(n_out, dtype)


INITIALIZERS = {
    "standard_normal": standard_normal, "scaled_normal": scaled_normal, "uniform": uniform,
    "glorot_uniform": glorot_uniform, "xavier": glorot_uniform, "he_normal": he_normal,
    "he": he_normal,
}


def get_initializer(spec):
    """An initialiser from its name or a callable with the same signature."""
    if callable(spec):
        return spec
    if isinstance(spec, str) and spec.lower() in INITIALIZERS:
        return INITIALIZERS[spec.lower()]
    raise ValueError(f"unknown init {spec!r}; expected one of {sorted(INITIALIZERS)} "
                     "or a callable (n_in, n_out, rng, dtype) -> (W, b)")
