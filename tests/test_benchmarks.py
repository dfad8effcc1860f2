"""The benchmark scripts run and report every figure they promise (on a small run: speed itself
is measured by running them on an idle machine, never asserted here)."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(script, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_train_reports_every_figure():
    out = run("bench_train.py", "--epochs", "1", "--examples", "2048")
    assert re.search(r"matmul peak \(2048\^3\): \d+\.\d GFLOP/s", out)
    assert re.search(r"matrix products alone: \d+\.\d\d s .*% of peak", out)
    assert re.search(r"mlp +\d+\.\d\d s/epoch +\d+\.\d GFLOP/s \(\d+% of peak\) +peak RSS \d+ MiB",
                     out)
    # PyTorch is optional: either compared (with a ratio) or skipped with the install hint
    assert re.search(r"ratio mlp/torch \(time per epoch\): \d+\.\d\d", out) or \
        "pip install torch==2.13.0" in out
    assert re.search(r"per-sample SGD \(batch 1\).*: \d+\.\d s/epoch", out)


def test_bench_train_counts_flops_of_the_run():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_train
    finally:
        sys.path.pop(0)
    pairs = 784 * 300 + 300 * 10
    assert bench_train.flops_per_epoch([784, 300, 10], 60000) == 2 * 60000 * (2 * pairs + 3000)
    assert bench_train.flops_per_epoch([784, 300, 10], 1) * 60000 == \
        bench_train.flops_per_epoch([784, 300, 10], 60000)


def test_bench_data_runs():
    try:
        from mlp.data.mnist import MNIST, locate
        locate(MNIST, "train-images-idx3-ubyte", None, download=False)
    except Exception:
        pytest.skip("MNIST not available locally")
    out = run("bench_data.py", "--repeat", "1")
    assert re.search(r"from the cache.*best +\d+\.\d ms", out)


def test_bench_autodiff_reports_every_figure():
    out = run("bench_autodiff.py", "--repeat", "1", "--batch", "1")
    assert re.search(r"2-2-1 worked example .*: 9 parameters, 42 graph nodes", out)
    assert re.search(r"784-30-10 .*batch of 1 .*: 23,860 parameters, [\d,]+ graph nodes", out)
    assert len(re.findall(r"scalar graph +build [\d.e+-]+ s \+ backward [\d.e+-]+ s = ", out)) == 2
    ratios = re.findall(r"ratio scalar/vectorised: ([\d,]+)x; largest relative difference of "
                        r"the gradients: ([\d.e+-]+)", out)
    assert len(ratios) == 2 and all(float(worst) < 1e-10 for _, worst in ratios)


def test_bench_js_reports_every_figure():
    """The live widgets' benchmark, small (headless Chromium): every figure is printed."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import browser
    finally:
        sys.path.pop(0)
    if browser.missing():
        pytest.skip(browser.missing())
    out = run("bench_js.py", "--epochs", "2", "--examples", "500", "--seconds", "1", "--repeat", "1")
    print(out)
    assert re.search(r"MNIST panel epoch \(784-32-10 ReLU/softmax, SGD, batch 32, 500 images", out)
    assert re.search(r"median \d+\.\d\d s \(range \d+\.\d\d-\d+\.\d\d s over 1 epochs", out)
    assert re.search(r"float32 \d+\.\d{3} s/epoch \(CPU \d+\.\d{3} s\), float64 \d+\.\d{3} s/epoch", out)
    assert re.search(r"ratio mlp\.js/numpy per epoch \(wall, .*\): \d+\.\d \(float32\), \d+\.\d \(float64\)", out)
    assert re.search(r"CPU per frame \(Chromium's counters, .*\): main thread \d+\.\d ms", out)
    assert re.search(r"page while the worker trains: \d+ frames, interval median \d+\.\d ms, max \d+\.\d ms", out)
    assert re.search(r"playground 2-8-8-1 .*\n  \d+\.\d frames/s; work per frame \(one epoch \+ redraw\) "
                     r"median \d+\.\d ms, p95 \d+\.\d ms, max \d+\.\d ms", out)
    if shutil.which("node"):                  # the CPU-time figures, under Node's V8
        assert re.search(r"CPU time under Node v[\d.]+, MNIST panel epoch, training only: median ", out)
        assert re.search(r"ratio mlp\.js/numpy in CPU time \(training only\): \d+\.\d \(float32\)", out)
        assert re.search(r"CPU time under Node v[\d.]+, playground 2-8-8-1 frame, computation only: ", out)


def test_bench_recipe_reports_runs_and_the_median():
    try:
        from mlp.data.mnist import MNIST, locate
        locate(MNIST, "train-images-idx3-ubyte", None, download=False)
    except Exception:
        pytest.skip("MNIST not available locally")
    out = run("bench_recipe.py", "augmented", "--threads", "1", "--pass-through", "--limit",
              "256", "--epochs", "1", "--validation")
    assert re.search(r"augmented threads 1 seed 0: validation accuracy \d+\.\d\d% after 1 "
                     r"epochs, \d+\.\d s of training \(load \d+\.\d\)", out)
    assert re.search(r"threads 1: training seconds median \d+\.\d, range [\d.]+-[\d.]+ \(1 runs\)",
                     out)
