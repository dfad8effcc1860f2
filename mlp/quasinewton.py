"""Training with scipy's quasi-Newton and conjugate-gradient methods (chapter 14; post 003).

Gradient descent uses only the slope. L-BFGS builds an approximation of the curvature from
the last few gradients (Liu & Nocedal 1989); nonlinear conjugate gradient picks directions
that do not undo earlier progress. Both need the full-batch loss and gradient as functions of
one flat vector of parameters, which is what this module provides for a small network.
"""
import numpy as np


def flatten_params(net):
    """All parameters of ``net`` as one float64 vector."""
    return np.concatenate([p.ravel() for p in net.params()]).astype(np.float64)


def set_params(net, theta):
    """Write the flat vector ``theta`` back into ``net``'s arrays (the inverse of flatten)."""
    i = 0
    for p in net.params():
        p[...] = theta[i:i + p.size].reshape(p.shape)
        i += p.size


def loss_and_gradient(net, X, Y, l2=0.0):
    """A function theta -> (loss, flat gradient) for scipy.optimize.minimize(jac=True)."""
    X, Y = net._prepare(X, Y)

    def f(theta):
        set_params(net, theta)
        grads = net.gradients(X, Y, l2=l2)
        flat = np.concatenate([g.ravel() for layer in grads for g in layer])
        return net.loss(X, Y, l2=l2), flat.astype(np.float64)
    return f


def minimize(net, X, Y, method="L-BFGS-B", max_iter=200, l2=0.0, callback=None):
    """Train ``net`` in place with ``scipy.optimize.minimize`` ("L-BFGS-B" or "CG").

    Returns (scipy's result, the list of the loss after each iteration).
    ``callback(iteration, loss)`` is called after each iteration.
    """
    from scipy.optimize import minimize as scipy_minimize
    g = loss_and_gradient(net, X, Y, l2)
    last = {}

    def f(theta):  # remembers its last evaluation, so recording a loss costs nothing extra
        last["theta"], last["value"] = theta.copy(), g(theta)
        return last["value"]
    losses = []

    def record(theta):
        same = "theta" in last and np.array_equal(theta, last["theta"])
        losses.append(last["value"][0] if same else g(theta)[0])
        if callback is not None:
            callback(len(losses), losses[-1])

    result = scipy_minimize(f, flatten_params(net), jac=True, method=method, callback=record,
                            options={"maxiter": int(max_iter)})
    set_params(net, result.x)
    return result, losses
