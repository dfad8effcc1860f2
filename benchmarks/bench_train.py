"""Speed and memory of mlp against PyTorch (CPU) and the machine's own matmul peak.

    python benchmarks/bench_train.py            # everything (PyTorch part skipped if absent)
    python benchmarks/bench_train.py --epochs 3

Prints, in one run:
- the float32 matmul peak of this machine (GFLOP/s, best of several 2048x2048 products);
- seconds per epoch of 784-300-10 ReLU / softmax-cross-entropy, batch 128, float32, SGD with
  momentum on 60000x784 inputs, for mlp and for PyTorch with the same architecture, the ratio
  mlp/torch, and the GFLOP/s each achieves as a fraction of the peak;
- peak resident memory of each training process;
- seconds per epoch of per-sample SGD (batch 1) of 784-300-10 sigmoid/MSE, as the goml post
  trains (it reports 17 s/epoch in Go on its machine).
Each part runs in its own subprocess so memory and threads are measured in isolation.
Run it on an otherwise idle machine: when other processes compete for the cores, OpenBLAS's
threads wait for each other and multi-threaded figures collapse (OPENBLAS_NUM_THREADS=1 then
measures a steadier single-core figure for both libraries).
PyTorch is never a dependency of the book: `pip install torch==2.13.0` to include it.
"""
import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

SIZES = [784, 300, 10]
N_TRAIN, BATCH, LR, MOMENTUM = 60000, 128, 0.05, 0.9


def flops_per_epoch(sizes=SIZES, n=None):
    """Multiply-adds x 2 of one epoch of n examples (default N_TRAIN): forward z = a W,
    backward dW = a^T delta, and da_prev = delta W^T for every layer but the first (nobody
    needs dL/dX)."""
    n = N_TRAIN if n is None else n
    pairs = [i * o for i, o in zip(sizes[:-1], sizes[1:])]
    return 2 * n * (2 * sum(pairs) + sum(pairs[1:]))


def training_data(seed=0):
    """Real MNIST when the loader finds it, else uniform noise of the same shape (speed only)."""
    try:
        from mlp.data import load_mnist
        (X, y), _ = load_mnist(download=False)
        return X[:N_TRAIN], y[:N_TRAIN], "MNIST"
    except Exception:
        rng = np.random.default_rng(seed)
        return rng.random((N_TRAIN, 784), dtype=np.float32), rng.integers(0, 10, N_TRAIN), "noise"


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_matmul():
    a = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    best = np.inf
    for _ in range(8):
        t = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t)
    return {"gflops": 2 * 2048 ** 3 / best / 1e9}


def part_products(epochs):
    """The epoch's matrix products alone (same shapes, same count, no other work): the most a
    training loop could reach, since everything else only adds time."""
    rng = np.random.default_rng(0)
    X = rng.random((N_TRAIN, SIZES[0]), dtype=np.float32)
    Ws = [rng.random((i, o), dtype=np.float32) for i, o in zip(SIZES[:-1], SIZES[1:])]
    deltas = [rng.random((BATCH, o), dtype=np.float32) for o in SIZES[1:]]
    best = np.inf
    for _ in range(epochs):
        start = time.perf_counter()
        for i in range(0, N_TRAIN, BATCH):
            a, n = X[i:i + BATCH], min(BATCH, N_TRAIN - i)
            for k, W in enumerate(Ws):
                delta = deltas[k][:n]
                z = a @ W                 # forward
                a.T @ delta               # dW
                if k > 0:
                    delta @ W.T           # da_prev (not for the first layer)
                a = z
        best = min(best, time.perf_counter() - start)
    return {"seconds": best}


def part_mlp(epochs):
    import mlp
    X, y, source = training_data()
    net = mlp.MLP(SIZES, activation="relu", output="softmax", loss="cross_entropy",
                  init="he_normal", seed=0)
    history = net.fit(X, y, epochs=epochs, batch_size=BATCH, optimizer=mlp.SGD(LR, MOMENTUM))
    return {"seconds": min(history["seconds"]), "loss": history["loss"][-1],
            "rss": peak_rss_mib(), "data": source}


def part_torch(epochs):
    import torch
    torch.manual_seed(0)
    X, y, source = training_data()
    X, y = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(),
                                torch.nn.Linear(300, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn, times = torch.nn.CrossEntropyLoss(), []
    for _ in range(epochs):
        start, order = time.perf_counter(), torch.randperm(len(X))
        for i in range(0, len(X), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return {"seconds": min(times), "loss": float(loss), "rss": peak_rss_mib(),
            "threads": torch.get_num_threads(), "version": torch.__version__}


def part_per_sample(n=5000):
    import mlp
    X, y, _ = training_data()
    n = min(n, len(X))
    net = mlp.MLP(SIZES, activation="sigmoid", output="sigmoid", loss="mse", seed=0)
    history = net.fit(X[:n], y[:n], epochs=1, batch_size=1, lr=0.1)
    return {"seconds_per_epoch": history["seconds"][0] * 60000 / n}  # a full MNIST epoch


def run_part(name, epochs):
    """Run one part in a fresh interpreter; None if it fails (e.g. torch not installed)."""
    cmd = [sys.executable, __file__, "--part", name, "--epochs", str(epochs),
           "--examples", str(N_TRAIN)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:] or ["failed"]
    return json.loads(done.stdout.strip().splitlines()[-1]), None


def report(epochs):
    peak = run_part("matmul", epochs)[0]["gflops"]
    flops = flops_per_epoch()
    print(f"float32 matmul peak (2048^3): {peak:.1f} GFLOP/s")
    print(f"784-300-10 ReLU/softmax-CE, batch {BATCH}, SGD+momentum, {N_TRAIN} examples "
          f"({flops / 1e9:.1f} GFLOP per epoch)")
    floor = run_part("products", epochs)[0]["seconds"]
    share = 100 * flops / floor / 1e9 / peak
    print(f"  the epoch's matrix products alone: {floor:.2f} s  ({share:.0f}% of peak; "
          "a training loop can only add to this)")
    mine, _ = run_part("mlp", epochs)
    print(f"  mlp    {mine['seconds']:.2f} s/epoch  {flops / mine['seconds'] / 1e9:.1f} GFLOP/s "
          f"({100 * flops / mine['seconds'] / 1e9 / peak:.0f}% of peak)  peak RSS "
          f"{mine['rss']:.0f} MiB  data: {mine['data']}")
    theirs, why = run_part("torch", epochs)
    if theirs is None:
        print(f"  torch  skipped ({why[0]}); pip install torch==2.13.0 to compare")
    else:
        print(f"  torch  {theirs['seconds']:.2f} s/epoch  {flops / theirs['seconds'] / 1e9:.1f} "
              f"GFLOP/s  peak RSS {theirs['rss']:.0f} MiB  (torch {theirs['version']}, "
              f"{theirs['threads']} threads)")
        print(f"  ratio mlp/torch (time per epoch): {mine['seconds'] / theirs['seconds']:.2f}")
    sample, _ = run_part("per_sample", epochs)
    print(f"per-sample SGD (batch 1) 784-300-10 sigmoid/MSE: {sample['seconds_per_epoch']:.1f} "
          "s/epoch (goml post, Go: 17 s/epoch on its machine)")


def main():
    global N_TRAIN
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--examples", type=int, default=N_TRAIN,
                        help="training examples per epoch (fewer only to try the script quickly)")
    parser.add_argument("--part", choices=["matmul", "products", "mlp", "torch", "per_sample"])
    args = parser.parse_args()
    N_TRAIN = args.examples
    if args.part is None:
        return report(args.epochs)
    parts = {"matmul": part_matmul, "products": lambda: part_products(args.epochs),
             "mlp": lambda: part_mlp(args.epochs),
             "torch": lambda: part_torch(args.epochs), "per_sample": part_per_sample}
    print(json.dumps(parts[args.part]()))


if __name__ == "__main__":
    main()
