"""Rosenblatt's perceptron (1958) and its learning rule (chapter 1, 01_perceptron.ipynb).

A single neuron with a step activation: y_hat = 1 if x . w + b > 0 else 0. The rule: for each
example, w <- w + eta (y - y_hat) x and b <- b + eta (y - y_hat). It changes nothing when the
answer is right, and nudges the boundary towards the example when it is wrong. If the classes
are linearly separable it converges in finitely many mistakes (Novikoff 1962); on XOR it never does.
"""
import numpy as np

from . import checks


class Perceptron:
    """A perceptron with ``n_in`` inputs; weights start at zero unless ``seed`` is given."""

    def __init__(self, n_in, learning_rate=1.0, seed=None):
        self.learning_rate = float(learning_rate)
        rng = np.random.default_rng(seed)
        self.w = np.zeros(n_in) if seed is None else rng.normal(0, 0.1, n_in)
        self.b = 0.0
        self.n_in = int(n_in)

    def net_input(self, X):
        """z = X @ w + b, shape (N,)."""
        return checks.as_inputs(X, self.n_in, np.float64) @ self.w + self.b

    def predict(self, X):
        """Step of the net input: 0/1 labels, shape (N,)."""
        return (self.net_input(X) > 0).astype(np.int64)

    def fit(self, X, y, epochs=10):
        """Apply the learning rule example by example; stop after an epoch with no mistake.

        Returns the list of mistakes per epoch (a 0 at the end means it converged).
        """
        X = checks.as_inputs(X, self.n_in, np.float64)
        y = checks.as_labels(y, 2)
        mistakes = []
        for _ in range(epochs):
            errors = 0
            for x, target in zip(X, y):
                update = self.learning_rate * (target - int(x @ self.w + self.b > 0))
                self.w += update * x
                self.b += update
                errors += update != 0
            mistakes.append(int(errors))
            if errors == 0:
                break
        return mistakes

    def __repr__(self):
        return f"Perceptron(w={np.round(self.w, 3).tolist()}, b={round(self.b, 3)})"
