"""The grading harness: each exercise's stub and wrong answers, tried in the running chapter.

Right after an exercise's visible check has run with the solution, a step puts the student stub
and then each plausible wrong answer (grading/NN_name.py) in the solution's place, runs the
visible check and the hidden tests on each, and runs the solution and its check again; after the
chapter's last code cell a final step runs every exercise's hidden tests on the solutions, as
the grader does at the end of a submission. Each step appends one JSON line to a report file.

``make test`` runs the steps inside the chapter's own nbval run (conftest.py executes them
silently in nbval's kernel after the cell they follow), so one execution of a chapter serves
both its nbval test and its harness; the outputs nbval compares after a step also show that the
step restored the state. Run without the chapter's nbval run (``pytest tests/test_grading.py``),
the harness executes the chapter with the steps in a notebook of its own (``run``).
"""
import ast
import json
import sys
from pathlib import Path

import nbformat
import pytest

from mlp.book import grading

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import student_edition  # noqa: E402

# {chapter file name: report file} of the chapters whose nbval run in this session runs the steps
RUNS = pytest.StashKey[dict]()

DRIVER = '''\
def _mlp_harness_try(spec, report):
    """The stub and each wrong answer in the solution's place, then the solution again."""
    import json
    from mlp.book.grading import run_hidden, score
    spec = json.loads(spec)
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
        hidden = run_hidden(tests, ns)[spec["label"]]
        entry["score"] = score({spec["label"]: hidden})[spec["label"]]
        entry["feedback"] = [c[3] for c in hidden if not c[2]]
        results.append(entry)
    restored = run(spec["solution"]) or run(spec["check"])
    with open(report, "a", encoding="utf-8") as f:
        f.write(json.dumps({"label": spec["label"], "results": results, "restored": restored}) + "\\n")


def _mlp_harness_final(tests, report):
    """After the last cell, as the grader runs them: the solutions' hidden scores."""
    import json
    from mlp.book.grading import run_hidden
    final = run_hidden(json.loads(tests), get_ipython().user_ns)
    with open(report, "a", encoding="utf-8") as f:
        f.write(json.dumps({"final": final}) + "\\n")
'''


def defined_names(code):
    """The names a solution cell binds at top level (assignments, defs, imports)."""
    names = set()
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def declared(chapter):
    """{label: grading.Exercise} of the chapter's grading file."""
    return grading.load(grading.grading_file(ROOT / "grading", chapter).read_text())


def _step(call, *args):
    """One self-contained piece of code: define the driver, call it, leave no name behind."""
    quoted = ", ".join(repr(a) for a in args)
    return f"{DRIVER}\n{call}({quoted})\ndel _mlp_harness_try, _mlp_harness_final\n"


def plan(chapter, report):
    """{index of a code cell of the chapter: [code to run right after it]}; reports to ``report``."""
    nb = nbformat.read(chapter, as_version=4)
    source = grading.grading_file(ROOT / "grading", chapter).read_text()
    entries = declared(chapter)
    steps, tests = {}, {}
    for ex in grading.exercises_in(nb):
        at = ex.index + 4  # the exercise's visible check (grading.exercises_in: the cells' order)
        assert nb.cells[at].cell_type == "code", f"{ex.label}: cell {at} is not its check"
        tests[ex.label] = grading.otter_test_file(source, ex.label, seed=0)
        spec = {"label": ex.label, "solution": ex.solution, "check": ex.check,
                "defines": sorted(defined_names(ex.solution)),
                "stub": student_edition.make_stub(ex.solution), "tests": tests[ex.label],
                "wrong": [list(w) for w in entries[ex.label].wrong_answers]}
        steps.setdefault(at, []).append(_step("_mlp_harness_try", json.dumps(spec), str(report)))
    last = max(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    steps.setdefault(last, []).append(_step("_mlp_harness_final", json.dumps(tests), str(report)))
    return steps


def read(report):
    """The steps' reports, in the order they ran ([] if none ran)."""
    path = Path(report)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run(chapter, report):
    """The chapter with the steps in cells of their own, executed in a fresh kernel; its reports."""
    from nbclient import NotebookClient
    nb = nbformat.read(chapter, as_version=4)
    steps = plan(chapter, report)
    cells = []
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        cells += [nbformat.v4.new_code_cell(code) for code in steps.get(i, [])]
    nb.cells = cells
    NotebookClient(nb, kernel_name="python3", timeout=3600, allow_errors=True, startup_timeout=120,
                   resources={"metadata": {"path": str(chapter.parent)}}).execute()
    return read(report)
