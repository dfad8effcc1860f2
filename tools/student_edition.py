#!/usr/bin/env python3
"""Write the student edition of the book: the chapters with the solutions taken out.

    python tools/student_edition.py [--out student/] [--no-execute] [chapters/NN_name.ipynb ...]

For every chapter notebook (default: chapters/*.ipynb) it writes out/NN_name.ipynb in which

* every code cell tagged `solution` becomes a stub: its first comment line (what to write),
  imports, and the signature and docstring of each function (or method) are kept, and each body becomes
  `raise NotImplementedError("Exercise: ...")`; a top-level assignment `x = <answer>` becomes
  `x = ...` (the self-checks of mlp.book.exercises treat `...` as "not filled in yet"); any other
  solution code becomes `# EXERCISE: ...`, the names it defines set to `...`, and
  `raise NotImplementedError(...)`;
* the markdown cells that only hold `{solution-start}` / `{solution-end}`, and any
  `{solution}` directive, are removed (they only make sense in the rendered book);
* all outputs, execution counts and widget state are cleared.

Other files in the chapters folder (images, data) are copied alongside. The student
notebooks sit at the same depth as chapters/ so relative links keep working.

Then each student notebook is executed (nbclient, allow_errors) to prove that it still runs
up to and past every exercise: errors are allowed only in the exercise cells (tagged
`solution` or `check`, the self-check after a solution) or as a stub's NotImplementedError.
Anything else is a broken student notebook: exit 1. A check cell that fails on the
placeholder with a raw error (e.g. AttributeError on `...`) instead of a self-check message
(mlp.book.exercises.ExerciseError) is allowed but noted.
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"
CHECK_TAGS = {"check", "exercise-check"}  # the self-check cell after a solution
STUB_ERROR = "NotImplementedError"
CHECK_ERRORS = {"ExerciseError", "AssertionError", "NameError", STUB_ERROR}
GATE_ONLY = re.compile(r"^\s*(`{3,}|:{3,})\{solution-(start|end)\}[^\n]*\n(?:\s*:[\w-]+:[^\n]*\n)*\s*\1\s*$")
SOLUTION_BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{solution\}.*?^(?P=fence)\s*$\n?", re.M | re.S)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _summary(code: str) -> str | None:
    """What the exercise asks for: the first comment line of the solution, if any."""
    for line in code.splitlines():
        text = line.strip().lstrip("#").strip() if line.strip().startswith("#") else ""
        if text:
            return text.replace('"', "'")
    return None


def _raise(indent: str, what: str) -> str:
    return f'{indent}raise NotImplementedError("Exercise: {what}")'


def _stub_function(lines: list[str], fn: ast.FunctionDef | ast.AsyncFunctionDef, what: str | None) -> list[str]:
    """Decorators, signature and docstring of fn, then a body that raises."""
    doc = ast.get_docstring(fn)
    what = what or (doc.splitlines()[0].replace('"', "'") if doc else f"write {fn.name}")
    first = fn.decorator_list[0].lineno if fn.decorator_list else fn.lineno
    body0 = fn.body[0]
    if body0.lineno == fn.lineno:  # one-liner: `def f(x): return x`
        sig = lines[fn.lineno - 1][:body0.col_offset].rstrip()
        return lines[first - 1:fn.lineno - 1] + [sig, _raise(" " * (fn.col_offset + 4), what)]
    indent = " " * body0.col_offset
    keep_to = body0.end_lineno if doc is not None else body0.lineno - 1
    return lines[first - 1:keep_to] + [_raise(indent, what)]


def _stub_class(lines: list[str], cls: ast.ClassDef, what: str | None) -> list[str]:
    """The class line, its docstring and attributes, and a stub for every method."""
    first = cls.decorator_list[0].lineno if cls.decorator_list else cls.lineno
    out = lines[first - 1:cls.body[0].lineno - 1]
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out += _stub_function(lines, node, what)
        else:
            out += lines[node.lineno - 1:node.end_lineno]
    return out


def _fallback(what: str | None, names: list[str] = ()) -> str:
    """`# EXERCISE: ...`, the names the solution defines set to `...` (so the self-check says
    "not filled in yet" rather than a raw NameError), then the NotImplementedError."""
    what = what or "write the code for this exercise"
    placeholders = f"{' = '.join(names)} = ...  # EXERCISE: your code defines these\n" if names else "...\n"
    return f"# EXERCISE: {what}\n{placeholders}{_raise('', what)}\n"


def _bound_names(tree: ast.Module) -> list[str]:
    """The names a cell binds at top level (assignments, defs, classes), in order, once each."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found = [node.name]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        else:
            found = []
        names += [n for n in found if n not in names and not n.startswith("_")]
    return names


def make_stub(code: str) -> str:
    """The student's version of a solution cell (see the module docstring)."""
    what = _summary(code)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return _fallback(what)
    lines = code.splitlines()
    # The first comment line says what to write: keep it (and only it: later comment lines
    # often explain the solution).
    head = [line for line in lines if line.strip().startswith("#")][:1] if what else []
    if head and not lines[0].strip().startswith("#"):
        head = []  # the comment is not at the top: it belongs to the solution
    out: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out += _stub_function(lines, node, what) + [""]
        elif isinstance(node, ast.ClassDef):
            out += _stub_class(lines, node, what) + [""]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out += lines[node.lineno - 1:node.end_lineno]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and node.value.lineno == node.lineno:
            target = lines[node.lineno - 1][:node.value.col_offset].rstrip()
            out.append(f"{target} ...  # EXERCISE: replace ... with your answer")
        else:
            return _fallback(what, _bound_names(tree))
    if not out:
        return _fallback(what, _bound_names(tree))
    return "\n".join(head + out).strip("\n") + "\n"


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of nb with solutions stubbed, solution gates removed, outputs cleared."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if GATE_ONLY.match(cell.source):
                continue
            cell.source = SOLUTION_BLOCK.sub("", cell.source)
        if cell.cell_type == "code":
            if SOLUTION_TAG in _tags(cell):
                cell.source = make_stub(cell.source)
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def classify_errors(nb: nbformat.NotebookNode) -> tuple[list[str], list[str]]:
    """Errors of an executed student notebook: (unexpected, unfriendly).

    unexpected: errors that are not an unfinished exercise, i.e. outside the `solution` and
    `check` cells and not a stub's NotImplementedError: the notebook is broken for students.
    unfriendly: a check cell failing on the placeholder with something other than a self-check
    failure (e.g. AttributeError on `...`): allowed, but worth a clearer check.
    """
    unexpected, unfriendly = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        exercise_cell = bool(_tags(cell) & ({SOLUTION_TAG} | CHECK_TAGS))
        for out in cell.get("outputs", []):
            if out.output_type != "error":
                continue
            first = cell.source.splitlines()[0] if cell.source else ""
            where = f"cell {i} ({first[:60]!r}): {out.ename}: {out.evalue[:200]}"
            from_stub = out.ename == STUB_ERROR and "Exercise" in out.evalue
            if not (from_stub or exercise_cell):
                unexpected.append(where)
            elif exercise_cell and not from_stub and out.ename not in CHECK_ERRORS:
                unfriendly.append(where)
    return unexpected, unfriendly


def unexpected_errors(nb: nbformat.NotebookNode) -> list[str]:
    """Errors in an executed student notebook that are not an unfinished exercise."""
    return classify_errors(nb)[0]


def execute_student(path: Path, timeout: int = 3600) -> tuple[list[str], list[str]]:
    """Run a student notebook (errors allowed); return classify_errors of the result."""
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONHASHSEED"] = "0"
    NotebookClient(nb, kernel_name="python3", timeout=timeout, startup_timeout=120, allow_errors=True,
                   record_timing=False, resources={"metadata": {"path": str(path.parent.resolve())}}).execute()
    return classify_errors(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write (and test) the student edition.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    parser.add_argument("--no-execute", action="store_true", help="only write the notebooks")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    sources = {p.parent for p in paths}
    for folder in sources:  # assets beside the chapters (images, small data files)
        for item in folder.iterdir():
            if item.suffix != ".ipynb" and not item.name.startswith(".") and item.name != "__pycache__":
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, args.out / item.name,
                                                                    **({"dirs_exist_ok": True} if item.is_dir() else {}))
    failed = {}
    for path in paths:
        nb = student_notebook(nbformat.read(path, as_version=4))
        target = args.out / path.name
        nbformat.write(nb, target)
        n_stubs = sum(SOLUTION_TAG in _tags(c) for c in nb.cells)
        if args.no_execute:
            print(f"wrote {target} ({n_stubs} exercises)")
            continue
        start = time.perf_counter()
        problems, unfriendly = execute_student(target)
        print(f"wrote {target} ({n_stubs} exercises); ran it in {time.perf_counter() - start:.1f} s: "
              f"{'OK' if not problems else 'BROKEN'}", flush=True)
        for where in unfriendly:
            print(f"  note: a check fails on the placeholder with a raw error, not a self-check "
                  f"message: {where}", flush=True)
        if problems:
            failed[target] = problems
    for target, problems in failed.items():
        print(f"\n{target}: errors that are not unfinished exercises:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
