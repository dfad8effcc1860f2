#!/usr/bin/env python3
"""Speed of the online book's live widgets in headless Chromium (book/live/).

    python benchmarks/bench_js.py                 # the full measurement (about a minute)
    python benchmarks/bench_js.py --epochs 1 --examples 500 --seconds 1   # a smoke run

Prints:
* one epoch of chapter 11's MNIST panel at its default settings (784-32-10 ReLU/softmax, SGD,
  learning rate 0.1, batch 32, on the 5,000 training images, validation on 2,000 included),
  trained as the page trains it: mlp.js in a Web Worker. Median and range over the epochs.
  The target is 1.5 s per epoch. The reference, in the same run: mlp (numpy) training the same
  network on the same images, float32 and float64, one BLAS thread (mlp.js uses one core);
* how responsive the page stays meanwhile: the intervals between animation frames on the page's
  main thread while the worker trains (target: none over 100 ms);
* the 2-D playground with a 2-8-8-1 network (circles, 200 training points, batch 10): frames per
  second while it plays, the work of each frame (one epoch, then every picture redrawn) and the
  intervals between frames. The target is 60 frames per second.

The machine's other work shows in these figures: run it on an idle machine, several times.
When Node.js is installed, the same arithmetic is also timed in CPU seconds under Node (the V8
engine of Chromium; benchmarks/bench_js_cpu.js), which other work on the machine changes little:
the MNIST epoch (training only) and the playground frame's computation (one epoch, the losses,
the 50 x 50 boundary grid; not the drawing).
Chapter 11's subset comes from the MNIST files ($MLP_MNIST_DIR or the cache); without them a
synthetic stand-in of the same shape is timed (said in the output).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the reference on one core, as mlp.js
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import numpy as np  # noqa: E402

import browser  # noqa: E402
import live_site  # noqa: E402
from mlp import MLP  # noqa: E402
from mlp.book import web  # noqa: E402

PLAYGROUND = ("#live=playground&dataset=circles&noise=0.1&points=400&train=50&hidden=8,8"
              "&activation=tanh&output=bce&lr=0.1&batch=10&optimizer=sgd&seed=1")

TRAIN_AND_WATCH = """
var done = arguments[arguments.length - 1], panel = document.querySelector('.mlp-live').mlpLive;
panel.set('epochs', arguments[0]);
var gaps = [], last = null, started = false;
function frame(t) {
  if (last !== null && started) gaps.push(t - last);
  last = t;
  if (panel.running() || !started) requestAnimationFrame(frame);
  else done({history: panel.runs[panel.runs.length - 1].history, status: panel.status(), gaps: gaps});
}
panel.train();
setTimeout(function () { started = true; requestAnimationFrame(frame); }, 0);
"""

PLAY = """
var done = arguments[arguments.length - 1], seconds = arguments[0];
var pg = document.querySelector('.mlp-live').mlpLive;
pg.play();
setTimeout(function () {
  var start = pg.frames.length;
  setTimeout(function () {
    pg.pause();
    done({frames: pg.frames.slice(start), sizes: pg.model.net.sizes, n: pg.model.train.y.length,
          played: pg.frames.length});
  }, seconds * 1000);
}, 500);
"""


def subset(examples: int, kind_wanted: str = "real"):
    """(train, val) uint8 arrays: chapter 11's subset if MNIST is found, else synthetic."""
    try:
        if kind_wanted == "real":
            train, val = web.mnist_subset(download=False)
            kind = "chapter 11's MNIST subset"
        else:
            raise OSError
    except OSError:
        train, val = live_site.synthetic_subset(5000, 2000)
        kind = "a synthetic stand-in (MNIST files not found)"
    n_val = min(2000, max(200, examples * 2 // 5))
    return (train[0][:examples], train[1][:examples]), (val[0][:n_val], val[1][:n_val]), kind


def numpy_epoch(train, dtype, repeat):
    """(wall, CPU) seconds per epoch of mlp.fit on the same network, data and settings
    (no validation), medians over `repeat` epochs."""
    X = train[0].astype(dtype) / dtype(255)
    y = train[1].astype(np.int64)
    wall, cpu = [], []
    for r in range(repeat):
        net = MLP([784, 32, 10], activation="relu", output="softmax", loss="cross_entropy",
                  seed=0, dtype=dtype)
        t, c = time.perf_counter(), time.process_time()
        net.fit(X, y, epochs=1, batch_size=32, lr=0.1, seed=r)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def cpu_metrics(driver):
    """Chromium's own counters (DevTools Performance.getMetrics), in seconds: CPU time of the
    page's main thread (ThreadTime) and of the whole renderer process (ProcessTime)."""
    metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
    return {k: metrics.get(k, float("nan")) for k in ("ThreadTime", "ProcessTime", "ScriptDuration")}


def summary(values):
    values = sorted(values)
    return statistics.median(values), values[0], values[-1]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6, help="MNIST panel epochs (the first is warm-up)")
    parser.add_argument("--examples", type=int, default=5000, help="training images (5,000: the panel's)")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the playground plays")
    parser.add_argument("--repeat", type=int, default=3, help="numpy reference epochs")
    args = parser.parse_args(argv)
    reason = browser.missing()
    if reason:
        print(f"bench_js: {reason}", file=sys.stderr)
        return 1
    train, val, kind = subset(args.examples)
    with tempfile.TemporaryDirectory() as folder:
        live_site.build(Path(folder), {"mnist.html": ["mnist"], "playground.html": ["playground"]},
                        mnist="synthetic")
        (Path(folder) / "_static" / "live" / "mnist_subset.bin").write_bytes(web.subset_bytes(train, val))
        with browser.serving(Path(folder)) as url, browser.browser() as driver:
            driver.get(f"{url}/mnist.html")
            driver.execute_async_script("var d = arguments[0]; mlpLive.ready.then(function () { d(); });")
            run = driver.execute_async_script(TRAIN_AND_WATCH, args.epochs)
            driver.get(f"{url}/playground.html{PLAYGROUND}")
            driver.execute_async_script("var d = arguments[0]; mlpLive.ready.then(function () { d(); });")
            driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
            before = cpu_metrics(driver)
            play = driver.execute_async_script(PLAY, args.seconds)
            play["cpu"] = {k: v - before[k] for k, v in cpu_metrics(driver).items()}
            errors = browser.console_errors(driver)
        report_mnist(run, train, val, kind, args)
        report_playground(play, args.seconds)
        report_cpu(Path(folder) / "_static" / "live" / "mnist_subset.bin", args)
    if errors:
        print("console errors:", *errors, sep="\n  ")
        return 1
    return 0


def report_mnist(run, train, val, kind, args):
    seconds = run["history"]["seconds"]
    timed = seconds[1:] if len(seconds) > 1 else seconds         # the first epoch warms up the JIT
    med, lo, hi = summary(timed)
    print(f"MNIST panel epoch (784-32-10 ReLU/softmax, SGD, batch 32, {len(train[0])} images, "
          f"validation on {len(val[0])} included; mlp.js in a Web Worker; {kind}):")
    print(f"  median {med:.2f} s (range {lo:.2f}-{hi:.2f} s over {len(timed)} epochs after a warm-up "
          f"epoch of {seconds[0]:.2f} s); target <= 1.5 s for 5000 images: "
          f"{'met' if med * 5000 / len(train[0]) <= 1.5 else 'NOT met'}")
    print(f"  loss per epoch: {' '.join(f'{v:.3f}' for v in run['history']['loss'])}  ({run['status']})")
    (f32, c32), (f64, c64) = (numpy_epoch(train, t, args.repeat) for t in (np.float32, np.float64))
    print(f"numpy mlp, same network, data and settings, one BLAS thread (no validation): "
          f"float32 {f32:.3f} s/epoch (CPU {c32:.3f} s), float64 {f64:.3f} s/epoch (CPU {c64:.3f} s)")
    print(f"  ratio mlp.js/numpy per epoch (wall, mlp.js with validation): {med / f32:.1f} (float32), "
          f"{med / f64:.1f} (float64)")
    args.numpy_cpu = (c32, c64)
    gaps = run["gaps"]
    if gaps:
        g_med, _, g_max = summary(gaps)
        print(f"page while the worker trains: {len(gaps)} frames, interval median {g_med:.1f} ms, "
              f"max {g_max:.1f} ms; target no frame over 100 ms: {'met' if g_max <= 100 else 'NOT met'}")


def report_playground(play, seconds):
    frames = play["frames"]
    if len(frames) < 2:
        print("playground: fewer than two frames played")
        return
    span = (frames[-1]["t"] - frames[0]["t"]) / 1000
    fps = (len(frames) - 1) / span if span > 0 else float("nan")
    work = [f["work"] for f in frames]
    gaps = [b["t"] - a["t"] for a, b in zip(frames, frames[1:])]
    w_med, _, w_max = summary(work)
    t_med = statistics.median(f["train"] for f in frames)
    d_med = statistics.median(f["draw"] for f in frames)
    g_med, _, g_max = summary(gaps)
    sizes = "-".join(map(str, play["sizes"]))
    print(f"playground {sizes} (circles, {play['n']} training points, batch 10), {seconds:g} s of play:")
    print(f"  {fps:.1f} frames/s; work per frame (one epoch + redraw) median {w_med:.1f} ms, "
          f"p95 {pct(work, 0.95):.1f} ms, max {w_max:.1f} ms (median training {t_med:.1f} ms, "
          f"drawing {d_med:.1f} ms); frame interval median {g_med:.1f} ms, "
          f"max {g_max:.1f} ms; target 60 frames/s: {'met' if fps >= 58 else 'NOT met'}")
    cpu, n = play.get("cpu", {}), play.get("played", 0)
    if n and cpu:   # CPU time per frame, from Chromium's counters: little changed by other work
        print(f"  CPU per frame (Chromium's counters, over {n} frames incl. the half-second warm-up): "
              f"main thread {1000 * cpu['ThreadTime'] / n:.1f} ms (script {1000 * cpu['ScriptDuration'] / n:.1f} ms), "
              f"whole renderer {1000 * cpu['ProcessTime'] / n:.1f} ms; 60 frames/s leave 16.7 ms")


def report_cpu(subset_file, args):
    node = shutil.which("node")
    if node is None:
        print("CPU time under Node: skipped (node is not installed)")
        return
    done = subprocess.run([node, str(ROOT / "benchmarks" / "bench_js_cpu.js"), str(subset_file),
                           str(args.epochs), str(max(20, int(args.seconds * 60)))],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        print(f"CPU time under Node: failed ({done.stderr.strip()[-300:]})")
        return
    figures = json.loads(done.stdout)
    for key, label in (("mnist", "MNIST panel epoch, training only"),
                       ("frame", "playground 2-8-8-1 frame, computation only")):
        rows = figures[key][1:] if len(figures[key]) > 1 else figures[key]
        cpu, wall = [r["cpu"] for r in rows], [r["wall"] for r in rows]
        unit, scale = ("s", 1) if key == "mnist" else ("ms", 1000)
        c_med, c_lo, c_hi = (scale * v for v in summary(cpu))
        version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"CPU time under Node {version}, {label}: median {c_med:.3g} {unit} (range "
              f"{c_lo:.3g}-{c_hi:.3g} {unit}, {len(rows)} runs; wall median "
              f"{scale * statistics.median(wall):.3g} {unit})")
        if key == "mnist" and getattr(args, "numpy_cpu", None):
            c32, c64 = args.numpy_cpu
            print(f"  ratio mlp.js/numpy in CPU time (training only): {c_med / c32:.1f} (float32), "
                  f"{c_med / c64:.1f} (float64)")


if __name__ == "__main__":
    sys.exit(main())
