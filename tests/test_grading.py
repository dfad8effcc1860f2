"""The teacher's side of every exercise: hidden tests, points and plausible wrong answers.

* Every exercise of every chapter has an entry in grading/NN_name.py, and every entry names an
  exercise that exists, so a new exercise cannot be forgotten (fast, no execution).
* The harness (tests/grading_harness.py; inside the chapter's nbval run under ``make test``, else
  the chapter runs once more in a kernel of its own) checks, for every exercise:
  the solution earns full marks on the hidden tests, run at the end of the notebook as the
  grader runs them; the student stub earns 0 and its visible check says it is not done; every
  plausible wrong answer is rejected by the visible check with a diagnosis (an ExerciseError,
  never a raw traceback) and earns exactly the score its grading file declares (0 by default).
* The teacher's page lists exactly the graded exercises and points of the grading files.
"""
import re
from pathlib import Path

import nbformat
import pytest
from otter.test_files import ExceptionTestFile

import grading_harness
from grading_harness import declared
from mlp.book import grading

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
WITH_EXERCISES = [c for c in CHAPTERS
                  if grading.exercises_in(nbformat.read(c, as_version=4))]


def chapter_exercises(chapter):
    return grading.exercises_in(nbformat.read(chapter, as_version=4))


@pytest.mark.parametrize("chapter", WITH_EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_has_hidden_tests_points_and_wrong_answers(chapter):
    path = grading.grading_file(ROOT / "grading", chapter)
    assert path.exists(), f"{chapter.name} has exercises but no grading file {path.name}"
    in_notebook = [ex.label for ex in chapter_exercises(chapter)]
    entries = declared(chapter)
    assert not set(in_notebook) - set(entries), f"exercises without a grading entry in {path.name}"
    assert not set(entries) - set(in_notebook), f"grading entries that name no exercise of {chapter.name}"
    source = path.read_text()
    for label, ex in entries.items():
        assert ex.points > 0 and ex.tests, f"{label}: needs points and at least one hidden test"
        assert len(ex.wrong_answers) >= 2, f"{label}: needs at least two plausible wrong answers"
        for why, code, score, tuned in ex.wrong_answers:
            compile(code, f"{label}: {why}", "exec")
            assert 0 <= score < ex.points, f"{label}: a wrong answer must lose points ({why})"
        cases = ExceptionTestFile.from_string(grading.otter_test_file(source, label, 7)).test_cases
        assert len(cases) == len(ex.tests) and sum(c.points for c in cases) == pytest.approx(ex.points)


def test_no_grading_file_without_a_chapter():
    stems = {c.stem for c in WITH_EXERCISES}
    extra = [p.name for p in (ROOT / "grading").glob("*.py") if p.stem not in stems]
    assert not extra, f"grading files for no chapter with exercises: {extra}"


def test_the_seed_changes_the_hidden_inputs():
    source = (ROOT / "grading" / "02_activations.py").read_text()
    env = {}
    for seed in (1, 2):
        exec(grading.with_seed(source, seed), env)
        env[seed] = grading.hidden_rng(env["SEED"], "x").random()
    assert env[1] != env[2]


# ---- the harness (tests/grading_harness.py) ------------------------------------------------
def harness_reports(chapter, request, tmp_path):
    """The reports of the harness's steps: from the chapter's nbval run in this session, where
    conftest.py ran them, or from an execution of the chapter of their own."""
    report = request.config.stash.get(grading_harness.RUNS, {}).get(chapter.name)
    if report is None:
        return grading_harness.run(chapter, tmp_path / "harness.jsonl")
    reports = grading_harness.read(report)
    assert reports, f"the nbval run of {chapter.name} ran none of the harness's steps"
    return reports


WRONG_OK = {"ExerciseError"}          # a visible check rejects a wrong answer with a diagnosis
STUB_OK = {"ExerciseError", "NotImplementedError"}


@pytest.mark.parametrize("chapter", WITH_EXERCISES, ids=lambda p: p.stem)
def test_hidden_tests_and_wrong_answers(chapter, request, tmp_path):
    entries = declared(chapter)
    reports = harness_reports(chapter, request, tmp_path)
    final = [r["final"] for r in reports if "final" in r]
    assert final, "the chapter did not run to its end"
    problems = []
    for label, ex in entries.items():
        got = grading.score({label: final[0].get(label, [])})[label]
        if got != pytest.approx(ex.points):
            failed = [c[3] for c in final[0].get(label, []) if not c[2]]
            problems.append(f"{label}: the solution earns {got} of {ex.points}: {failed}")
    tried = {r["label"]: r for r in reports if "label" in r}
    for label in entries:
        if label not in tried:
            problems.append(f"{label}: the harness did not reach it")
            continue
        if tried[label]["restored"]:
            problems.append(f"{label}: restoring the solution failed: {tried[label]['restored']}")
        for r in tried[label]["results"]:
            name = f"{label} [{r['why']}]"
            if r["exec"] and r["why"] != "the student stub":
                problems.append(f"{name}: the wrong answer itself raised {r['exec']}")
            allowed = STUB_OK if r["why"] == "the student stub" else WRONG_OK
            if r["tuned"]:
                if r["check"] is not None:
                    problems.append(f"{name}: a tuned answer should pass the visible check, but "
                                    f"it raised {r['check']}")
            elif r["check"] is None:
                problems.append(f"{name}: the visible check accepted it")
            elif r["check"][0] not in allowed:
                problems.append(f"{name}: the visible check raised a raw {r['check'][0]}: "
                                f"{r['check'][1][:150]}")
            if r["score"] != pytest.approx(r["expected"]):
                problems.append(f"{name}: hidden tests gave {r['score']}, expected {r['expected']}")
    assert not problems, "\n".join(problems)


# ---- the teacher's page -------------------------------------------------------------------
def test_teaching_page_lists_the_graded_exercises_and_points():
    page = (ROOT / "book" / "teaching.md").read_text()
    rows = {m.group(1): (int(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"^\| \{doc\}`(\d\d)_\w+ <[^>]*>` \| (\d+) \| ([\d.]+) \|", page, re.M)}
    expected = {c.stem[:2]: (len(declared(c)), float(sum(e.points for e in declared(c).values())))
                for c in WITH_EXERCISES}
    assert rows == expected
    for chapter in WITH_EXERCISES:
        for label, ex in declared(chapter).items():
            assert f"`{label}` ({ex.points:g})" in page, f"{label} with its points is not on the page"
