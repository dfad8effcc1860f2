"""The teacher's side of every exercise: hidden tests, points and plausible wrong answers.

* Every exercise of every chapter has an entry in grading/NN_name.py, and every entry names an
  exercise that exists, so a new exercise cannot be forgotten (fast, no execution).
* The harness (slow: each chapter runs once in a kernel) checks, for every exercise:
  the solution earns full marks on the hidden tests, run at the end of the notebook as the
  grader runs them; the student stub earns 0 and its visible check says it is not done; every
  plausible wrong answer is rejected by the visible check with a diagnosis (an ExerciseError,
  never a raw traceback) and earns exactly the score its grading file declares (0 by default).
* The teacher's page lists exactly the graded exercises and points of the grading files.
"""
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from otter.test_files import ExceptionTestFile

from mlp.book import grading

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import student_edition  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
WITH_EXERCISES = [c for c in CHAPTERS
                  if grading.exercises_in(nbformat.read(c, as_version=4))]
MARK = "MLP-HARNESS:"


def chapter_exercises(chapter):
    return grading.exercises_in(nbformat.read(chapter, as_version=4))


def declared(chapter):
    return grading.load(grading.grading_file(ROOT / "grading", chapter).read_text())


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


# ---- the harness --------------------------------------------------------------------------
DRIVER = '''\
def _mlp_harness_try(spec):
    """Inline, right after an exercise's check: the stub and each wrong answer in its place."""
    import json
    from mlp.book.grading import run_hidden, score
    ip = get_ipython()
    ns = ip.user_ns

    def run(src):
        try:
            exec(compile(ip.transform_cell(src), "<cell>", "exec"), ns)
        except BaseException as e:
            return [type(e).__name__, str(e)[:400]]
        return None

    tests = {spec["label"]: spec["tests"]}
    results = []
    for why, code, expected, tuned in [("the student stub", spec["stub"], 0, False)] + spec["wrong"]:
        for name in spec["defines"]:  # as if the solution had never run
            ns.pop(name, None)
        entry = {"why": why, "expected": expected, "tuned": tuned, "exec": run(code)}
        entry["check"] = run(spec["check"])
        entry["score"] = score(run_hidden(tests, ns))[spec["label"]]
        entry["feedback"] = [c[3] for c in run_hidden(tests, ns)[spec["label"]] if not c[2]]
        results.append(entry)
    restored = run(spec["solution"]) or run(spec["check"])
    print("\\n" + %r + json.dumps({"label": spec["label"], "results": results, "restored": restored}))


def _mlp_harness_final(tests):
    """At the end, as the grader runs them: the solutions' hidden scores."""
    import json
    from mlp.book.grading import run_hidden
    print("\\n" + %r + json.dumps({"final": run_hidden(tests, get_ipython().user_ns)}))
''' % (MARK, MARK)


def defined_names(code):
    """The names a solution cell binds at top level (assignments, defs, imports)."""
    import ast
    names = set()
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def harness_notebook(chapter):
    nb = nbformat.read(chapter, as_version=4)
    source = grading.grading_file(ROOT / "grading", chapter).read_text()
    entries = declared(chapter)
    tests = {}
    check_at = {}
    for ex in grading.exercises_in(nb):
        check_at[ex.index + 4] = ex
        tests[ex.label] = grading.otter_test_file(source, ex.label, seed=0)
    cells = [nbformat.v4.new_code_cell(DRIVER)]
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        if i in check_at:
            ex = check_at[i]
            spec = {"label": ex.label, "solution": ex.solution, "check": ex.check,
                    "defines": sorted(defined_names(ex.solution)),
                    "stub": student_edition.make_stub(ex.solution), "tests": tests[ex.label],
                    "wrong": [list(w) for w in entries[ex.label].wrong_answers]}
            cells.append(nbformat.v4.new_code_cell(f"_mlp_harness_try(json.loads({json.dumps(json.dumps(spec))}))"))
    cells.append(nbformat.v4.new_code_cell(f"_mlp_harness_final(json.loads({json.dumps(json.dumps(tests))}))"))
    cells[0].source = "import json\n" + cells[0].source
    nb.cells = cells
    return nb


def run_harness(chapter):
    nb = harness_notebook(chapter)
    NotebookClient(nb, kernel_name="python3", timeout=3600, allow_errors=True, startup_timeout=120,
                   resources={"metadata": {"path": str(chapter.parent)}}).execute()
    reports = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in out.get("text", "").splitlines() if out.output_type == "stream" else []:
                if line.startswith(MARK):
                    reports.append(json.loads(line[len(MARK):]))
    return reports


WRONG_OK = {"ExerciseError"}          # a visible check rejects a wrong answer with a diagnosis
STUB_OK = {"ExerciseError", "NotImplementedError"}


@pytest.mark.parametrize("chapter", WITH_EXERCISES, ids=lambda p: p.stem)
def test_hidden_tests_and_wrong_answers(chapter):
    entries = declared(chapter)
    reports = run_harness(chapter)
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
