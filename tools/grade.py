#!/usr/bin/env python3
"""Grade a folder of submitted notebooks with a chapter's autograder (no Docker needed).

    python tools/grade.py 02_activations submissions/ [--out grades/02_activations]
                          [--assignments assignments/] [--timeout 600] [--cell-timeout S]
                          [--jobs 1]

writes out/grades.csv (one row per submission: a column per exercise, the total, a status and,
for a submission graded 0 as a whole, the reason) and out/feedback/<submission>.txt (per
exercise: the points and, for each failed hidden test, what was wrong; never the test code).

Submissions are untrusted, so each one is screened, then run in a fresh process of its own:

* not a notebook, too large, or another chapter's assignment: 0, with the reason, not run;
* it runs in its own temporary directory (also its cache, IPython and matplotlib folders,
  with a copy of the teacher's trained models), its stored outputs thrown away, under a
  time limit for the whole notebook (and, with --cell-timeout, one for each cell); a notebook
  that runs over it, or whose kernel dies, gets 0 with the reason; either way the next
  submission is graded as usual;
* the hidden tests are read from the teacher's autograder.zip by this process, never from the
  submission's folder, and sent to the kernel as one last cell, after all the student's code.
  They run in a namespace of their own with a fresh copy of ``mlp.book.exercises``, and see the
  student's namespace only through the answer names they ask for: a notebook that redefines
  ``check``, prints or edits "✔" lines, or deletes the files around it earns nothing by it.
  Their report is read from that last cell's output, behind a random token the student's code
  could not know when it ran.

This is no sandbox: student code runs with your user's rights. Grade a class you do not trust
inside a throw-away account or container (see book/teaching.md).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
METADATA_KEY = "mlp_assignment"
LABEL = re.compile(r"^\s*:label:\s*(\S+)", re.M)
MAX_BYTES = 50_000_000
TEST_TIMEOUT = 120  # seconds for the hidden tests of one exercise

GRADING_CELL = '''\
def _mlp_grade(tests, token, test_timeout):
    import importlib, json, sys
    import mlp.book.exercises, mlp.book.grading
    for module in (mlp.book.exercises, mlp.book.grading):  # undo any change the notebook made to them
        importlib.reload(module)
    report = mlp.book.grading.run_hidden(tests, globals(), test_timeout)
    sys.stdout.write("\\n" + token + json.dumps(report) + "\\n")
    sys.stdout.flush()

_mlp_grade(%r, %r, %d)
'''


# ---- the teacher's copy -------------------------------------------------------------------
def load_autograder(autograder: Path) -> tuple[str, dict[str, float], dict[str, str]]:
    """(chapter, {label: points}, {label: otter test file source}) from an autograder.zip."""
    with zipfile.ZipFile(autograder) as z:
        kit = json.loads(z.read("files/exercises.json"))
        tests = {label: z.read(f"tests/{label}.py").decode() for label in kit["exercises"]}
    return kit["chapter"], kit["exercises"], tests


# ---- screening ----------------------------------------------------------------------------
def screen(path: Path, chapter: str, labels: list[str]):
    """(notebook, None) if ``path`` can be graded for ``chapter``, else (None, the reason)."""
    if path.stat().st_size > MAX_BYTES:
        return None, f"the file is larger than {MAX_BYTES // 1_000_000} MB"
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        cells = [c for c in nb.cells if c.cell_type in ("code", "markdown", "raw")]
    except Exception as e:
        return None, f"not a Jupyter notebook ({type(e).__name__}: {str(e)[:120]})"
    meta = nb.metadata.get(METADATA_KEY, {})
    named = meta.get("chapter") if isinstance(meta, dict) else None
    if named and named != chapter:
        return None, f"this is the assignment of chapter {named}, not {chapter}"
    found = {m for c in cells if c.cell_type == "markdown" for m in LABEL.findall(c.source)}
    if not found & set(labels):
        return None, f"none of chapter {chapter}'s exercises is in this notebook"
    return nb, None


def runnable(nb, tests: dict[str, str], token: str) -> nbformat.NotebookNode:
    """The submission's code cells, outputs dropped, then the grading cell."""
    cells = [nbformat.v4.new_code_cell(c.source) for c in nb.cells if c.cell_type == "code"]
    cells.append(nbformat.v4.new_code_cell(GRADING_CELL % (tests, token, TEST_TIMEOUT)))
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


# ---- running one submission (in a child process: `grade.py --run-one`) --------------------
def run_one() -> int:
    """Execute the notebook of the job on stdin; print its grading report as the last line."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    job = json.loads(sys.stdin.read())
    nb = nbformat.reads(job["notebook"], as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=job.get("cell_timeout"),
                            allow_errors=True, startup_timeout=120, record_timing=False,
                            resources={"metadata": {"path": job["workdir"]}})
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (DeadKernelError, CellTimeoutError) as e:
        ran = sum(1 for c in nb.cells if c.get("outputs") or c.get("execution_count"))
        what = (f"ran over the time limit of {job['cell_timeout']:g} s for one cell"
                if isinstance(e, CellTimeoutError) else "died (crashed or was killed)")
        print(json.dumps({"error": f"the kernel {what} while running code cell {ran + 1} of "
                                   f"{len(nb.cells) - 1}"}))
        return 0
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    lines = [line for line in text.splitlines() if line.startswith(job["token"])]
    if len(lines) != 1:
        errors = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
        why = f"{errors[0].ename}: {errors[0].evalue[:200]}" if errors else "no report"
        print(json.dumps({"error": f"the hidden tests could not run ({why})"}))
        return 0
    print(json.dumps({"report": json.loads(lines[0][len(job["token"]):])}))
    return 0


def kill_tree(pid: int) -> None:
    """Kill a process and everything it started (the kernel runs in a session of its own)."""
    try:
        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


def sandbox_env(tmp: Path) -> dict[str, str]:
    """The environment of one submission: its own cache, IPython and matplotlib folders, and the
    BLAS threads of ``$MLP_BLAS_THREADS`` (default 2; the chapter's first cell pins them too)."""
    from mlp.book.blas import threads_wanted
    from mlp.data.download import cache_root
    env = dict(os.environ)
    teacher = cache_root()
    cache = tmp / "cache"
    if (teacher / "models").is_dir():
        shutil.copytree(teacher / "models", cache / "models")
    for var, sub in (("MLP_MNIST_DIR", "mnist"), ("MLP_FASHION_MNIST_DIR", "fashion-mnist")):
        if var not in env and (teacher / sub).is_dir():
            env[var] = str(teacher / sub)  # read-only use: the loader checks SHA-256 sums
    env.update(MLP_CACHE_DIR=str(cache), IPYTHONDIR=str(tmp / "ipython"),
               MPLCONFIGDIR=str(tmp / "matplotlib"), MPLBACKEND="agg", PYTHONHASHSEED="0",
               MLP_BOOK_BUILD="1")
    threads = str(threads_wanted())
    env.update(MLP_BLAS_THREADS=threads, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads,
               MKL_NUM_THREADS=threads)
    return env


def grade_submission(path: Path, chapter: str, tests: dict[str, str], timeout: float,
                     cell_timeout: float | None = None) -> dict:
    """{"report": {...}} or {"error": reason} for one submission file."""
    nb, reason = screen(path, chapter, list(tests))
    if reason:
        return {"error": reason}
    token = "MLP-GRADE-" + secrets.token_hex(16) + ":"
    with tempfile.TemporaryDirectory(prefix="mlp-grade-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        work.mkdir()
        job = {"notebook": nbformat.writes(runnable(nb, tests, token)), "token": token,
               "workdir": str(work), "cell_timeout": cell_timeout}
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--run-one"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=work, env=sandbox_env(tmp), text=True)
        try:
            out, err = proc.communicate(json.dumps(job), timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc.pid)  # not yet reaped, so the pid is still this process's
            proc.communicate()
            return {"error": f"did not finish within the time limit of {timeout:g} s "
                             f"(an endless loop, or far too much work?)"}
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": f"the grader failed on this file: {err.strip()[-300:]}"}


# ---- scores, CSV, feedback ----------------------------------------------------------------
def scores(result: dict, points: dict[str, float]) -> dict[str, float]:
    """Points per exercise: the points of the hidden tests that passed."""
    report = result.get("report", {})
    return {label: round(sum(p for _, p, ok, _ in report.get(label, []) if ok), 4)
            for label in points}


def feedback(name: str, chapter: str, result: dict, points: dict[str, float]) -> str:
    got = scores(result, points)
    lines = [f"Chapter {chapter}, submission {name}",
             f"Total: {sum(got.values()):g} of {sum(points.values()):g} points", ""]
    if "error" in result:
        return "\n".join(lines + [f"Not graded: {result['error']}", ""])
    for label, possible in points.items():
        lines.append(f"{label}: {got[label]:g} of {possible:g}")
        for test, _, ok, message in result["report"].get(label, []):
            if not ok:
                lines.append(f"  failed ({test}): {message}")
    return "\n".join(lines) + "\n"


def write_outputs(out: Path, chapter: str, results: dict, points: dict[str, float]) -> Path:
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    path = out / "grades.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", *points, "total", "status", "reason"])
        for name, result in sorted(results.items()):
            got = scores(result, points)
            w.writerow([name, *(f"{got[label]:g}" for label in points), f"{sum(got.values()):g}",
                        "error" if "error" in result else "graded", result.get("error", "")])
            (out / "feedback" / f"{Path(name).stem}.txt").write_text(
                feedback(name, chapter, result, points), encoding="utf-8")
    return path


def find_autograder(chapter: str, assignments: Path) -> Path:
    """assignments/grader/NN_name/autograder.zip for a chapter name or number ("02", "2")."""
    graders = sorted((assignments / "grader").glob("*/autograder.zip"))
    for z in graders:
        stem = z.parent.name
        if chapter in (stem, stem.split("_")[0]) or chapter.zfill(2) == stem.split("_")[0]:
            return z
    have = ", ".join(z.parent.name for z in graders) or "none: run `make assignments`"
    raise SystemExit(f"no autograder for chapter {chapter!r} in {assignments}/grader ({have})")


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:] == ["--run-one"]:
        return run_one()
    parser = argparse.ArgumentParser(description="Grade submitted notebooks of one chapter.")
    parser.add_argument("chapter", help="chapter name or number, e.g. 02_activations or 2")
    parser.add_argument("submissions", type=Path, help="folder of submitted files")
    parser.add_argument("--assignments", type=Path, default=ROOT / "assignments")
    parser.add_argument("--out", type=Path, help="default: grades/<chapter>")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per submission")
    parser.add_argument("--cell-timeout", type=float, help="seconds per cell (default: no limit)")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    args = parser.parse_args(argv)
    autograder = find_autograder(args.chapter, args.assignments)
    chapter, points, tests = load_autograder(autograder)
    out = args.out or ROOT / "grades" / chapter
    files = sorted(p for p in args.submissions.iterdir() if p.is_file() and not p.name.startswith("."))
    results, start = {}, time.perf_counter()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool, \
            tqdm(total=len(files), desc=f"grading {chapter}", unit="notebook") as bar:
        futures = {pool.submit(grade_submission, p, chapter, tests, args.timeout,
                               args.cell_timeout): p for p in files}
        for future in futures:
            p = futures[future]
            results[p.name] = result = future.result()
            total = sum(scores(result, points).values())
            bar.write(f"{p.name}: {total:g}/{sum(points.values()):g}"
                      + (f" ({result['error']})" if "error" in result else ""))
            bar.update()
    path = write_outputs(out, chapter, results, points)
    print(f"{len(files)} submissions in {time.perf_counter() - start:.0f} s: {path}, "
          f"{out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
