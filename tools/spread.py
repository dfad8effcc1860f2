#!/usr/bin/env python3
"""How far each printed figure moves between runs: the evidence behind a cell's tolerance.

    python tools/execute.py --threads 1 --out /tmp/t1 chapters/09_training_mnist.ipynb
    python tools/execute.py --threads 3 --out /tmp/t3 chapters/09_training_mnist.ipynb
    python tools/spread.py /tmp/t1 /tmp/t3          # each against the stored chapters/

(run with a fresh MLP_CACHE_DIR, or the runs reuse the models trained for the stored outputs.)
For every code cell whose output differs from the stored one (after the nbval sanitisers), it
prints the largest move of each kind of number (mlp.book.tolerance), whether the cell's stated
tolerance covers it, and the cells whose *text* changed, which no tolerance can cover: a
sentence that rests on such an output must be reworded or rest on several seeds.
Exit status 1 if any cell moved beyond its tolerance or changed its text.
"""
import argparse
import difflib
import re
import sys
from pathlib import Path

import nbformat

from mlp.book import tolerance

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def sanitizers(path=SANITIZE):
    """The (regex, replacement) pairs of nbval's sanitize file, in order."""
    lines = [l for l in path.read_text().splitlines() if l and not l.startswith("#")]
    pairs = zip(lines[::2], lines[1::2])
    return [(re.compile(r.split(": ", 1)[1]), s.split(": ", 1)[1]) for r, s in pairs]


def texts(cell, rules):
    """The cell's printed texts (streams and text/* data), sanitised like nbval does."""
    found = []
    for out in cell.get("outputs", []):
        values = [out.text] if out.output_type == "stream" else \
            [v for k, v in out.get("data", {}).items() if k.startswith("text/") and isinstance(v, str)]
        for value in values:
            for regex, replace in rules:
                value = regex.sub(replace, value)
            found.append(value)
    return found


def moves(stored, fresh):
    """{kind: (largest absolute move, largest relative move)} between two texts of one shape."""
    result = {}
    for a, b in zip(tolerance.split(stored)[1], tolerance.split(fresh)[1]):
        if a == b:
            continue
        kind, x, y = tolerance.kind_of(a), float(a.rstrip("%")), float(b.rstrip("%"))
        absolute, relative = result.get(kind, (0.0, 0.0))
        result[kind] = (max(absolute, abs(x - y)), max(relative, abs(x - y) / max(abs(x), 1e-12)))
    return result


def same_shape(stored, fresh):
    return not [p for p in tolerance.compare(stored, fresh, {k: "1000000%" for k in tolerance.KINDS}
                                             | {"why": "shape"}) if "moved" not in p]


def report(stored_nb, run_nb, name, rules):
    bad = 0
    for i, (cell, rerun) in enumerate(zip(stored_nb.cells, run_nb.cells)):
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        spec = cell.metadata.get("tolerance")
        for stored, fresh in zip(texts(cell, rules), texts(rerun, rules)):
            if stored == fresh:
                continue
            first = next(l for l in cell.source.splitlines() if l.strip())[:60]
            if not same_shape(stored, fresh):
                bad += 1
                diff = difflib.unified_diff(stored.splitlines(), fresh.splitlines(), lineterm="", n=0)
                print(f"{name} cell {i} [{first}]: TEXT CHANGED\n    " + "\n    ".join(list(diff)[2:12]))
                continue
            found = moves(stored, fresh)
            beyond = tolerance.compare(stored, fresh, spec) if spec else ["no tolerance"]
            bad += bool(beyond)
            verdict = "within its tolerance" if not beyond else \
                ("NO TOLERANCE" if not spec else "BEYOND: " + "; ".join(beyond[:2]))
            figures = ", ".join(f"{k} {a:.4g} ({100 * r:.2g}%)" for k, (a, r) in found.items())
            print(f"{name} cell {i} [{first}]: moved {figures}: {verdict}")
    return bad


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="folders of executed notebooks")
    parser.add_argument("--stored", type=Path, default=ROOT / "chapters")
    args = parser.parse_args(argv)
    rules, bad = sanitizers(), 0
    for run in args.runs:
        for path in sorted(run.glob("*.ipynb")):
            print(f"== {run}/{path.name}")
            stored = nbformat.read(args.stored / path.name, as_version=4)
            bad += report(stored, nbformat.read(path, as_version=4), path.stem, rules)
    print(f"{bad} output(s) moved beyond a tolerance or changed text")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
