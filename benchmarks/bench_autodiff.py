"""What one graph node per scalar costs: mlp.autodiff against the vectorised backprop (chapter 6).

    python benchmarks/bench_autodiff.py             # both networks
    python benchmarks/bench_autodiff.py --repeat 3

For the same network, batch and weights (float64), it prints the seconds to build the scalar
graph of the loss (the forward pass), to run ``backward()`` through it, and for
``MLP.gradients`` (forward and backward with numpy arrays); their ratio; the number of graph
nodes; and the largest relative difference between the two gradients. Two cases:
- chapter 6's worked 2-2-1 example (sigmoid, mean squared error, one example);
- 784-30-10 (sigmoid hidden, softmax with log-likelihood, post 004's network) on a batch of
  10 MNIST training images (uniform noise of the same shape if MNIST is not available).
Each timing is the median of ``--repeat`` runs (``MLP.gradients``: of 200 runs), with Python's
cyclic garbage collector paused: it would otherwise re-scan the growing graph again and again
(the graph has no reference cycles to collect). One build with the collector running is timed
too, to show what it costs.
"""
import argparse
import gc
import statistics
import time

import numpy as np

import mlp
from mlp import autodiff


def worked_example():
    """Chapter 6's 2-2-1 network by hand: its weights, its one example (1, 0.5) -> 1."""
    net = mlp.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", loss="mse",
                  dtype=np.float64)
    params = [(np.array([[0.5, -0.3], [0.2, 0.8]]), np.array([0.1, -0.1])),
              (np.array([[1.0], [-1.0]]), np.array([0.2]))]
    for layer, (W, b) in zip(net.layers, params):
        layer.W[...], layer.b[...] = W, b
    return "2-2-1 worked example (chapter 6), 1 example", net, np.array([[1.0, 0.5]]), \
        np.array([[1.0]])


def mnist_batch(n=10):
    net = mlp.MLP([784, 30, 10], activation="sigmoid", output="softmax", loss="cross_entropy",
                  seed=0, dtype=np.float64)
    try:
        from mlp.data import load_mnist
        (X, y), _ = load_mnist(download=False)
        X, y, what = X[:n], y[:n], "MNIST"
    except Exception:
        rng = np.random.default_rng(0)
        X, y, what = rng.random((n, 784)), rng.integers(0, 10, n), "noise"
    return f"784-30-10 sigmoid/softmax, batch of {n} {what} images", net, X.astype(np.float64), y


def median_seconds(f, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(net, X, Y, repeat):
    graph = {}

    def build():
        graph.clear()
        graph["L"], graph["params"] = autodiff.mlp_loss(net, X, Y)
    t_build_gc = median_seconds(build, repeat)
    gc.disable()
    try:
        t_build = median_seconds(build, repeat)
        t_backward = median_seconds(lambda: graph["L"].backward(), repeat)
    finally:
        gc.enable()
    nodes = len(autodiff.topological_order(graph["L"]))
    t_numpy = median_seconds(lambda: net.gradients(X, Y), max(200, repeat))
    ours = autodiff.gradients(net, X, Y)
    worst = max(mlp.elementwise_relative_error(g, h, floor=1e-300)
                for gs, hs in zip(ours, net.gradients(X, Y)) for g, h in zip(gs, hs))
    return dict(build=t_build, backward=t_backward, numpy=t_numpy, nodes=nodes, worst=worst,
                params=net.n_params, build_gc=t_build_gc)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10, help="MNIST images (default 10)")
    args = parser.parse_args(argv)
    for title, net, X, Y in (worked_example(), mnist_batch(args.batch)):
        r = measure(net, X, Y, args.repeat)
        scalar = r["build"] + r["backward"]
        print(f"{title}: {r['params']:,} parameters, {r['nodes']:,} graph nodes")
        print(f"  scalar graph   build {r['build']:.3g} s + backward {r['backward']:.3g} s "
              f"= {scalar:.3g} s ({scalar / r['nodes'] * 1e6:.2f} us per node)")
        print(f"  (build with the garbage collector running: {r['build_gc']:.3g} s)")
        print(f"  MLP.gradients  {r['numpy']:.3g} s")
        print(f"  ratio scalar/vectorised: {scalar / r['numpy']:,.0f}x; largest relative "
              f"difference of the gradients: {r['worst']:.1e}")


if __name__ == "__main__":
    main()
