#!/usr/bin/env python3
"""Write the classroom kit: per chapter, a student assignment and an otter-grader autograder.

    python tools/assignments.py [--out assignments/] [--seed N] [chapters/NN_name.ipynb ...]

From each chapter (default: every chapters/*.ipynb that has exercises) and its teacher-side
grading file grading/NN_name.py (hidden tests, points, wrong answers; see mlp/book/grading.py):

* out/student/NN_name.ipynb: the student edition of the chapter (tools/student_edition.py:
  solutions stubbed, outputs cleared) with a first note listing the graded exercises and their
  points; its metadata names the chapter, so the grader can refuse another chapter's notebook;
* out/grader/NN_name/tests/<label>.py: one otter-grader test file per exercise (its hidden
  tests and points), and out/grader/NN_name/autograder.zip made from them by otter's generate:
  what `tools/grade.py` grades with, and what Gradescope or `otter run` accept as they are.

The hidden inputs are drawn from the seed (default: a random one, kept in out/seed.txt and
reused by later runs), so a student who reads the public grading files still cannot know them.
Nothing here is copied by hand: a new exercise in a chapter appears in the kit the next run,
and tests/test_grading.py fails until its grading file declares it.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import nbformat
from otter.generate import main as otter_generate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import student_edition  # noqa: E402
from mlp.book import grading  # noqa: E402

GRADING_DIR = ROOT / "grading"
METADATA_KEY = "mlp_assignment"
# What a grading environment (Gradescope, `otter run` elsewhere) installs besides otter itself.
PACKAGE = "mlp-book[plots,widgets,fit] @ git+https://github.com/mlp-book/mlp-book"


def chapter_points(chapter: Path, grading_dir: Path = GRADING_DIR) -> dict[str, float]:
    """{label: points} of a chapter's exercises, in notebook order (KeyError if one has none)."""
    nb = nbformat.read(chapter, as_version=4)
    labels = [ex.label for ex in grading.exercises_in(nb)]
    declared = grading.load(grading.grading_file(grading_dir, chapter).read_text())
    missing = [label for label in labels if label not in declared]
    if missing:
        raise KeyError(f"{chapter.name}: no entry in grading/{chapter.stem}.py for {missing}")
    return {label: declared[label].points for label in labels}


def assignment_notebook(chapter: Path, points: dict[str, float]) -> nbformat.NotebookNode:
    """The student edition of ``chapter`` with a note on what is graded, and its chapter id."""
    nb = student_edition.student_notebook(nbformat.read(chapter, as_version=4))
    rows = "\n".join(f"| `{label}` | {p:g} |" for label, p in points.items())
    note = nbformat.v4.new_markdown_cell(
        f"**Assignment.** Work through the chapter and write each exercise's solution in its "
        f"cell. A ✔ from a self-check means your answer is right on the inputs you see; the "
        f"grader also runs hidden tests on other inputs. Run the notebook top to bottom before "
        f"you hand in this file (keep its name and do not copy cells into another notebook).\n\n"
        f"| graded exercise | points |\n|---|---|\n{rows}\n\n"
        f"Total: {sum(points.values()):g} points.")
    note.id = "assignment-note"
    nb.cells.insert(1, note)
    nb.metadata[METADATA_KEY] = {"chapter": chapter.stem, "exercises": list(points)}
    return nb


def write_grader(chapter: Path, out: Path, seed: int, grading_dir: Path = GRADING_DIR) -> Path:
    """out/NN_name/tests/*.py and out/NN_name/autograder.zip; returns the zip's path."""
    source = grading.grading_file(grading_dir, chapter).read_text()
    folder = out / chapter.stem
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "tests").mkdir(parents=True)
    for label in chapter_points(chapter, grading_dir):
        (folder / "tests" / f"{label}.py").write_text(grading.otter_test_file(source, label, seed))
    (folder / "requirements.txt").write_text(PACKAGE + "\n")
    kit = {"chapter": chapter.stem, "exercises": chapter_points(chapter, grading_dir)}
    (folder / "exercises.json").write_text(json.dumps(kit, indent=1) + "\n")
    here = os.getcwd()
    os.chdir(folder)  # otter generate takes paths relative to the assignment folder
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            otter_generate(tests_dir="tests", output_path="autograder.zip",
                           requirements="requirements.txt", no_config=True,
                           python_version="3.11", files=["exercises.json"])
    finally:
        os.chdir(here)
    return folder / "autograder.zip"


def read_seed(out: Path, seed: int | None) -> int:
    """The teacher's seed: given, else the one kept in out/seed.txt, else a new random one."""
    path = out / "seed.txt"
    if seed is None:
        seed = int(path.read_text()) if path.exists() else secrets.randbelow(2**31)
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{seed}\n")
    return seed


def has_exercises(chapter: Path) -> bool:
    return bool(grading.exercises_in(nbformat.read(chapter, as_version=4)))


def page_table(chapters: list[Path], seconds: dict[str, str], grading_dir: Path = GRADING_DIR) -> str:
    """The teacher's page table (book/teaching.md): graded exercises and points per chapter."""
    rows = ["| chapter | exercises | points | runs in | graded exercises (points) |",
            "|---|---|---|---|---|"]
    for chapter in chapters:
        points = chapter_points(chapter, grading_dir)
        listed = ", ".join(f"`{label}` ({p:g})" for label, p in points.items())
        rows.append(f"| {{doc}}`{chapter.stem} <../chapters/{chapter.stem}>` | {len(points)} | "
                    f"{sum(points.values()):g} | {seconds.get(chapter.stem, '?')} | {listed} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write student assignments and autograders.")
    parser.add_argument("chapters", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "assignments")
    parser.add_argument("--seed", type=int, help="seed of the hidden inputs (default: kept/random)")
    parser.add_argument("--grading-dir", type=Path, default=GRADING_DIR)
    args = parser.parse_args(argv)
    chapters = [c for c in (args.chapters or sorted((ROOT / "chapters").glob("*.ipynb")))
                if has_exercises(c)]
    seed = read_seed(args.out, args.seed)
    (args.out / "student").mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        points = chapter_points(chapter, args.grading_dir)
        nbformat.write(assignment_notebook(chapter, points), args.out / "student" / chapter.name)
        write_grader(chapter, args.out / "grader", seed, args.grading_dir)
        print(f"{chapter.stem}: {len(points)} exercises, {sum(points.values()):g} points")
    print(f"wrote {args.out}/student (hand these out) and {args.out}/grader (keep these)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
