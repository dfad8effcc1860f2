"""End to end: `make assignments` for chapter 2, then `tools/grade.py` on a folder of synthetic
submissions made here, and the CSV compared with the scores each one must get; and one
submission that runs over the time limit of the whole notebook.

The submissions: all correct, all stubs, a mix, one tuned to the visible check's inputs, an
endless loop (stopped by the per-cell time limit), a kernel crash, a cheat (redefines the checks in its namespace and in
mlp.book.exercises, prints and stores fake "✔" lines, deletes the files around it), two files that
are not notebooks, and chapter 1's assignment handed in for chapter 2. Chapter 2 runs in
seconds, so the whole test takes about a minute (the endless loop waits out its cell's limit).
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mlp.book import grading

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import assignments  # noqa: E402
import grade  # noqa: E402

CHAPTER = ROOT / "chapters" / "02_activations.ipynb"
OTHER = ROOT / "chapters" / "01_perceptron.ipynb"
TIMEOUT = 120  # seconds per submission: chapter 2 is graded in about 15 on an idle machine, 60 on a busy one
CELL_TIMEOUT = 30  # seconds per cell: chapter 2's longest cell takes about 1 s idle, 5 s on a busy machine


def with_answers(student_nb, answers):
    """The student notebook with the k-th solution cell replaced by answers[k] (None: the stub)."""
    nb = nbformat.from_dict(student_nb)
    cells = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(cells) == len(answers)
    for cell, answer in zip(cells, answers):
        if answer is not None:
            cell.source = answer
    return nb


def add_code(nb, source, at=None):
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    return nb


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("kit")
    assert assignments.main(["--out", str(out), "--seed", "12345", str(CHAPTER)]) == 0
    return out


@pytest.fixture(scope="module")
def graded(kit, tmp_path_factory):
    """Grade the synthetic submissions once; return ({name: row}, folder of outputs)."""
    subs = tmp_path_factory.mktemp("submissions")
    student = nbformat.read(kit / "student" / CHAPTER.name, as_version=4)
    solutions = [ex.solution for ex in grading.exercises_in(nbformat.read(CHAPTER, as_version=4))]
    wrong = {w[0]: w[1] for w in grading.load((ROOT / "grading" / CHAPTER.name.replace(".ipynb", ".py")).read_text())["ch02-ex-tanh-prime"].wrong_answers}
    stubs = [None] * len(solutions)
    tuned = wrong["tuned to the visible inputs (0 beyond |z| = 3.5)"]
    write = lambda name, nb: nbformat.write(nb, subs / name)
    write("all_correct.ipynb", with_answers(student, solutions))
    write("all_stubs.ipynb", with_answers(student, stubs))
    write("mix.ipynb", with_answers(student, solutions[:2] + [None, "z_min = -0.75\nsilu_min = -0.17",
                                                             solutions[4]]))
    write("tuned.ipynb", with_answers(student, [tuned] + solutions[1:]))
    write("endless_loop.ipynb", add_code(with_answers(student, solutions), "while True:\n    pass"))
    write("kernel_crash.ipynb", add_code(with_answers(student, solutions),
                                         "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    cheat = with_answers(student, stubs[:2] + ["r = np.sqrt(0.99)\n"
                                               "z_one_percent = np.log((1 + r) / (1 - r))"] + stubs[3:])
    add_code(cheat, "import os, mlp.book.exercises\n"
                    "def check(*args, **kwargs):\n    print('✔ answer is correct.')\n"
                    "check_function = check_true = check\n"
                    "mlp.book.exercises.check = mlp.book.exercises.check_function = check\n"
                    "mlp.book.exercises.check_true = check\n"
                    "for f in os.listdir('.'):\n    os.remove(f) if os.path.isfile(f) else None\n"
                    "print('✔ my_softmax is correct on all 6 test inputs.')", at=2)
    for cell in cheat.cells:
        if "check" in cell.metadata.get("tags", []):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✔ all correct.\n")]
    write("cheat.ipynb", cheat)
    (subs / "essay.txt").write_text("I did not do the notebook.\n")
    (subs / "broken.ipynb").write_text('{"cells": [')
    other = nbformat.read(OTHER, as_version=4)
    other.metadata["mlp_assignment"] = {"chapter": OTHER.stem}
    nbformat.write(other, subs / "chapter_one.ipynb")
    out = tmp_path_factory.mktemp("grades")
    assert grade.main(["2", str(subs), "--assignments", str(kit), "--out", str(out),
                       "--timeout", str(TIMEOUT), "--cell-timeout", str(CELL_TIMEOUT),
                       "--jobs", "2"]) == 0
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    return rows, out


LABELS = ["ch02-ex-tanh-prime", "ch02-ex-stable-softmax", "ch02-ex-sigmoid-max",
          "ch02-ex-silu-min", "ch02-ex-sigmoid-tail"]
EXPECTED = {  # submission: (points per exercise, in LABELS order), status, words of the reason
    "all_correct.ipynb": ([2, 2, 1, 2, 2], "graded", ""),
    "all_stubs.ipynb": ([0, 0, 0, 0, 0], "graded", ""),
    "mix.ipynb": ([2, 2, 0, 0, 2], "graded", ""),
    "tuned.ipynb": ([1, 2, 1, 2, 2], "graded", ""),
    "cheat.ipynb": ([0, 0, 1, 0, 0], "graded", ""),
    "endless_loop.ipynb": ([0] * 5, "error", "time limit"),
    "kernel_crash.ipynb": ([0] * 5, "error", "kernel died"),
    "essay.txt": ([0] * 5, "error", "not a Jupyter notebook"),
    "broken.ipynb": ([0] * 5, "error", "not a Jupyter notebook"),
    "chapter_one.ipynb": ([0] * 5, "error", "chapter 01_perceptron, not 02_activations"),
}


def test_csv_has_one_row_per_submission_with_the_expected_scores(graded):
    rows, _ = graded
    assert set(rows) == set(EXPECTED)
    assert list(next(iter(rows.values()))) == ["submission", *LABELS, "total", "status", "reason"]
    for name, (points, status, reason) in EXPECTED.items():
        row = rows[name]
        assert [float(row[label]) for label in LABELS] == points, name
        assert float(row["total"]) == sum(points), name
        assert row["status"] == status and reason in row["reason"], (name, row)


def test_feedback_names_what_failed_but_not_the_test_code(graded, kit):
    _, out = graded
    text = (out / "feedback" / "tuned.txt").read_text()
    assert "Total: 8 of 9 points" in text and "ch02-ex-tanh-prime: 1 of 2" in text
    assert "where tanh saturates" in text and "my_tanh_prime is wrong for the input" in text
    source = (kit / "grader" / "02_activations" / "tests" / "ch02-ex-tanh-prime.py").read_text()
    assert "hidden_rng(SEED" in source and "hidden_rng" not in text and "12345" not in text
    assert "time limit of 30 s for one cell" in (out / "feedback" / "endless_loop.txt").read_text()
    assert len(list((out / "feedback").glob("*.txt"))) == len(EXPECTED)


def test_a_submission_over_the_whole_notebook_limit_gets_0_with_the_reason(kit, tmp_path):
    """Every cell within its limit, the notebook as a whole over its own (here 8 s)."""
    student = nbformat.read(kit / "student" / CHAPTER.name, as_version=4)
    slow = add_code(with_answers(student, [None] * 5), "import time\ntime.sleep(6)", at=0)
    add_code(slow, "time.sleep(6)", at=1)
    nbformat.write(slow, tmp_path / "slow.ipynb")
    _, _, tests = grade.load_autograder(kit / "grader" / CHAPTER.stem / "autograder.zip")
    result = grade.grade_submission(tmp_path / "slow.ipynb", CHAPTER.stem, tests, timeout=8,
                                    cell_timeout=CELL_TIMEOUT)
    assert result == {"error": "did not finish within the time limit of 8 s (an endless loop, "
                               "or far too much work?)"}


def test_the_autograder_zip_is_otter_grader_format(kit, tmp_path):
    """`otter run` (otter-grader's own non-containerized grader) gives the same full marks."""
    nb = with_answers(nbformat.read(kit / "student" / CHAPTER.name, as_version=4),
                      [ex.solution for ex in grading.exercises_in(nbformat.read(CHAPTER, as_version=4))])
    nbformat.write(nb, tmp_path / "submission.ipynb")
    subprocess.run([sys.executable, "-m", "otter", "run", "-a",
                    str(kit / "grader" / "02_activations" / "autograder.zip"), "-o", str(tmp_path),
                    "--no-logo", str(tmp_path / "submission.ipynb")], check=True, cwd=tmp_path,
                   capture_output=True)
    results = json.loads((tmp_path / "results.json").read_text())
    scores = {t["name"]: t["score"] for t in results["tests"] if "score" in t}
    assert scores == dict(zip(LABELS, EXPECTED["all_correct.ipynb"][0]))
