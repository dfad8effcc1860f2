"""Training time and test accuracy of a recipe, repeated, per BLAS thread count (chapter 10).

    python benchmarks/bench_recipe.py augmented --threads 1 2 --seeds 0 1 2
    python benchmarks/bench_recipe.py best --threads 2 --repeat 3

Each run is ``python -m mlp.book.recipes RECIPE --seed S`` in a fresh process with
OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) set, exactly what the book's cached model does:
training on all 60000 images with the test accuracy after every epoch. It prints every run
(seconds of training, test accuracy, the load average when it ended) and, per thread count, the
median and range of the seconds. Wall-clock seconds depend on what else runs: measure on an
idle machine (``uptime``), and believe the 1-thread figures more when it is not.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(recipe, seed, threads, extra=()):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "mlp.book.recipes", recipe, "--seed", str(seed),
                           *extra], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        sys.exit(f"run failed:\n{done.stderr}")
    found = re.search(r"(test|validation) accuracy (\d\.\d+) after (\d+) epochs on (\d+) images, "
                      r"([\d.]+) s of training", done.stdout)
    return dict(accuracy=float(found[2]), epochs=int(found[3]), seconds=float(found[5]),
                load=os.getloadavg()[0], which=found[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipe", choices=["best", "augmented"])
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per seed and thread count")
    parser.add_argument("--pass-through", nargs=argparse.REMAINDER, default=[],
                        help="arguments for python -m mlp.book.recipes "
                        "(e.g. --limit 1000 --epochs 1)")
    args = parser.parse_args(argv)
    for threads in args.threads:
        seconds = []
        for seed in args.seeds:
            for _ in range(args.repeat):
                r = one_run(args.recipe, seed, threads, args.pass_through)
                seconds.append(r["seconds"])
                print(f"{args.recipe} threads {threads} seed {seed}: {r['which']} accuracy "
                      f"{100 * r['accuracy']:.2f}% after {r['epochs']} epochs, "
                      f"{r['seconds']:.1f} s of training (load {r['load']:.1f})", flush=True)
        print(f"{args.recipe} threads {threads}: training seconds median "
              f"{statistics.median(seconds):.1f}, range {min(seconds):.1f}-{max(seconds):.1f} "
              f"({len(seconds)} runs)", flush=True)


if __name__ == "__main__":
    main()
