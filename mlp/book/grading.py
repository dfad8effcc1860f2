"""Graded exercises: hidden tests, points and plausible wrong answers, in otter-grader's format.

The chapters' exercises follow one convention (README, "Exercises and solutions"): an
``exercise`` directive with a label, a gated code cell tagged ``solution``, a code cell tagged
``check``. :func:`exercises_in` reads them from a notebook. What a teacher adds lives in one
file per chapter, ``grading/NN_name.py``, keyed by the exercise labels::

    SEED = 0  # tools/assignments.py writes the teacher's seed here

    tanh_prime = Exercise("ch02-ex-tanh-prime", points=2)

    @tanh_prime.hidden
    def saturating_inputs(my_tanh_prime):
        "tanh' where tanh saturates (|z| between 3 and 12)"
        z = hidden_rng(SEED, "tanh").uniform(3, 12, size=(4, 3)) * np.array([1, -1, 1])
        check_function(my_tanh_prime, lambda z: 1 - np.tanh(z) ** 2, [z], name="my_tanh_prime")

    tanh_prime.wrong("tanh itself", "def my_tanh_prime(z):\\n    return np.tanh(z)")

A hidden test is an otter-grader exception-based test case: its parameters are looked up by
name in the student's namespace after the whole notebook ran, and it fails by raising (an
``ExerciseError`` from :mod:`mlp.book.exercises` whose message is the feedback the student gets).
:func:`otter_test_file` writes one otter test file per exercise; ``tools/assignments.py`` zips
them with ``otter generate`` and ``tools/grade.py`` runs them.

A wrong answer is a replacement for the solution cell that a student might plausibly write;
``tests/test_grading.py`` runs every one and requires that the visible check rejects it with an
``ExerciseError`` and that it scores 0 on the hidden tests.
"""
import ast
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

LABEL = re.compile(r"^\s*:label:\s*(\S+)", re.M)
TITLE = re.compile(r"^\s*(`{3,}|:{3,})\{exercise\}\s*(.*)$", re.M)
SEED_LINE = re.compile(r"^SEED = .*$", re.M)


@dataclass
class Exercise:
    """The teacher's side of one exercise: points, hidden tests, plausible wrong answers."""
    label: str
    points: float = 1
    tests: list = field(default_factory=list)
    wrong_answers: list = field(default_factory=list)

    def hidden(self, test):
        """Decorator: ``test(answer names...)`` is a hidden test of this exercise."""
        self.tests.append(test)
        return test

    def wrong(self, why, code, score=0, tuned=False):
        """A plausible wrong solution ``code`` (it replaces the solution cell), named by ``why``.

        Its visible check must fail with a diagnosis (unless ``tuned``: an answer made to pass
        the visible inputs, which only the hidden tests catch), and the hidden tests must give
        it ``score`` points: 0 unless one part of a several-part answer is right.
        """
        self.wrong_answers.append((why, code, score, tuned))


def hidden_rng(seed, salt):
    """A generator for hidden inputs: the teacher's ``seed`` and a per-test ``salt`` string."""
    return np.random.default_rng([int(seed), zlib.crc32(str(salt).encode())])


def confusion_matrices(rng, sizes, off_diagonal, diagonal):
    """Hidden confusion matrices (chapters 9 and 14): k x k counts below ``off_diagonal`` for
    each k in ``sizes``, with ``diagonal`` correct answers per class, as a trained network's."""
    cases = []
    for k in sizes:
        cm = rng.integers(0, off_diagonal, size=(k, k))
        cm[np.diag_indices(k)] = diagonal
        cases.append(cm)
    return cases


# ---- the chapter side ---------------------------------------------------------------------
@dataclass
class ExerciseCells:
    """One exercise of a notebook: its label, title and the sources of its two code cells."""
    label: str
    title: str
    solution: str
    check: str
    index: int  # of the exercise directive's cell


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def exercises_in(nb):
    """The exercises of a notebook, in order; ValueError if one breaks the five-cell convention."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or not TITLE.search(cell.source):
            continue
        label = LABEL.search(cell.source)
        window = nb.cells[i + 1:i + 5]
        kinds = [("solution" if "solution" in _tags(c) else "check" if "check" in _tags(c)
                  else c.cell_type) for c in window]
        if not label or kinds != ["markdown", "solution", "markdown", "check"]:
            where = label.group(1) if label else f"cell {i}"
            raise ValueError(f"exercise {where}: expected the cells exercise, solution-start, "
                             f"solution, solution-end, check; got {['exercise'] + kinds}")
        found.append(ExerciseCells(label.group(1), TITLE.search(cell.source).group(2).strip(),
                                   window[1].source, window[3].source, i))
    return found


# ---- the teacher side ---------------------------------------------------------------------
def grading_file(grading_dir, chapter):
    """grading/NN_name.py for chapters/NN_name.ipynb."""
    return Path(grading_dir) / f"{Path(chapter).stem}.py"


def with_seed(source, seed):
    """The grading file's source with its ``SEED = ...`` line set to ``seed``."""
    if len(SEED_LINE.findall(source)) != 1:
        raise ValueError("a grading file needs exactly one line `SEED = ...`")
    return SEED_LINE.sub(f"SEED = {int(seed)}", source)


def load(source, name="<grading>"):
    """Execute a grading file's source; return {label: Exercise} in the order declared."""
    env = {"__name__": f"grading:{name}"}
    exec(compile(source, name, "exec"), env)
    return {v.label: v for v in env.values() if isinstance(v, Exercise)}


def otter_test_file(source, label, seed=0):
    """An otter-grader exception-based test file for one exercise of a grading file.

    It holds the whole grading file (so its helpers and references come along), then wraps that
    exercise's hidden tests as ``otter.test_files.test_case``\\ s sharing the exercise's points.
    """
    source = with_seed(source, seed)
    exercises = load(source)
    if label not in exercises:
        raise KeyError(f"{label} is not declared in this grading file")
    ex = exercises[label]
    variable = _exercise_variable(source, label)
    cases = "\n".join(f"_case_{k} = test_case(name={_test_name(t)!r}, hidden=True)"
                      f"({variable}.tests[{k}])" for k, t in enumerate(ex.tests))
    return (f"# otter-grader test file for {label}: written by tools/assignments.py from the "
            f"book's grading file. Do not edit.\nOK_FORMAT = False\n\n{source}\n\n"
            f"# ---- otter's view of {label}\nfrom otter.test_files import test_case\n\n"
            f"name = {label!r}\npoints = {ex.points!r}\n{cases}\n")


def _test_name(test):
    """What the feedback calls a hidden test: its docstring's first line, else its name."""
    doc = (test.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else test.__name__.replace("_", " ")


def _exercise_variable(source, label):
    """The module-level name bound to ``Exercise(label, ...)`` in a grading file."""
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
                and node.value.args and isinstance(node.value.args[0], ast.Constant)
                and node.value.args[0].value == label):
            return node.targets[0].id
    raise ValueError(f"{label}: declare it as `name = Exercise({label!r}, ...)` at top level")


def run_hidden(tests, env, test_timeout=120):
    """Run otter test files {label: source} against the namespace ``env``.

    Returns {label: [[test name, points, passed, feedback], ...]}. Each exercise's tests get
    ``test_timeout`` seconds together (SIGALRM, so call this from the main thread).
    """
    import signal
    from otter.test_files import ExceptionTestFile

    def alarm(signum, frame):
        raise TimeoutError(f"the hidden tests took more than {test_timeout} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    report = {}
    try:
        for label, source in tests.items():
            report[label] = []
            try:
                cases = ExceptionTestFile.from_string(source, path=label).test_cases
            except Exception as e:
                report[label].append(["loading the tests", 0, False, describe_failure(e)])
                continue
            signal.alarm(test_timeout)
            for case in cases:
                try:
                    case.body.call_func(env)
                    report[label].append([case.name, case.points, True, ""])
                except BaseException as e:  # SystemExit or KeyboardInterrupt from a student too
                    report[label].append([case.name, case.points, False, describe_failure(e)])
            signal.alarm(0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return report


def score(report):
    """{label: points earned} of a run_hidden report."""
    return {label: round(sum(p for _, p, ok, _ in cases if ok), 4) for label, cases in report.items()}


def describe_failure(error):
    """What a student is told about a failed hidden test: the diagnosis, never the test code."""
    name = type(error).__name__
    message = str(error).strip()
    if name in ("ExerciseError", "NotImplementedError") and message:
        return message
    if name == "NotImplementedError":
        return "not written yet (it raises NotImplementedError)."
    return f"{name}: {message}" if message else f"{name} (no message)"
