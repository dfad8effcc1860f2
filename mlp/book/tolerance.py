"""Trained figures compared within a stated tolerance, everything else exactly (issue 12).

A training run's figures move a little between machines: the BLAS library, its kernel and its
thread count change the order of float additions, and thousands of steps amplify the last bit.
So a notebook cell that prints trained figures carries, in its metadata, how far each kind of
printed number may move, and why (the spread that was measured):

    "tags": ["trained"],
    "tolerance": {"percent": 0.4, "decimal": "5%",
                  "why": "threads 1-3, two OpenBLAS kernels: accuracy within 0.12 points"}

Numbers are read from the printed text: a *percent* is a number followed by %, a *decimal* has
a decimal point or an exponent, an *integer* has neither. A tolerance is absolute in the
printed units (0.4 = 0.4 percentage points) or relative as a string ("5%"). A kind the spec
does not name must match exactly, as must all the text between the numbers (up to runs of
spaces, so a column may widen). ``conftest.py`` applies this to the cells that carry a spec.
"""
import re

KINDS = ("percent", "decimal", "integer")
#: A number not glued to a word or another number: 98.58%, -0.25, 1e-3, 784 (in 784-300-10).
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?%?")
_SPACES = re.compile(r"[ \t]+")


def check_spec(spec, where="cell"):
    """Validate a cell's tolerance spec; returns it. Raises ValueError naming what is wrong."""
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: tolerance must be a mapping, got {type(spec).__name__}")
    unknown = set(spec) - set(KINDS) - {"why"}
    if unknown:
        raise ValueError(f"{where}: unknown tolerance keys {sorted(unknown)}; "
                         f"expected some of {KINDS} and 'why'")
    if not str(spec.get("why", "")).strip():
        raise ValueError(f"{where}: a tolerance must say why (the measured spread) in 'why'")
    for kind in KINDS:
        if kind in spec:
            _limit(spec[kind], 1.0, f"{where}: tolerance {kind!r}")
    return spec


def _limit(rule, reference, where="tolerance"):
    """The allowed |difference| for a number printed as ``reference`` under ``rule``."""
    if isinstance(rule, str) and re.fullmatch(r"\d+(?:\.\d*)?%", rule):
        return abs(reference) * float(rule[:-1]) / 100
    if isinstance(rule, (int, float)) and not isinstance(rule, bool) and rule >= 0:
        return float(rule)
    raise ValueError(f"{where} must be a number >= 0 or a string like '5%', got {rule!r}")


def kind_of(token):
    if token.endswith("%"):
        return "percent"
    return "decimal" if re.search(r"[.eE]", token) else "integer"


def _value(token):
    return float(token.rstrip("%"))


def split(text):
    """``(pieces, numbers)``: the text between the numbers, and the number tokens."""
    return NUMBER.split(text), NUMBER.findall(text)


def compare(reference, actual, spec):
    """Problems (a list of strings; empty = within tolerance) between two printed texts."""
    ref_text, ref_numbers = split(reference)
    new_text, new_numbers = split(actual)
    if len(ref_numbers) != len(new_numbers):
        return [f"{len(new_numbers)} numbers printed where the stored output has "
                f"{len(ref_numbers)}"]
    for i, (a, b) in enumerate(zip(ref_text, new_text)):
        if _SPACES.sub(" ", a) != _SPACES.sub(" ", b):
            return [f"the text around the numbers differs at number {i + 1}: "
                    f"{a.strip()[-40:]!r} vs {b.strip()[-40:]!r}"]
    problems = []
    for ref, new in zip(ref_numbers, new_numbers):
        kind = kind_of(ref)
        if kind != kind_of(new):
            problems.append(f"{new} is printed as a {kind_of(new)} where the output had {ref}")
        elif kind not in spec:
            if ref != new:
                problems.append(f"{ref} -> {new}: {kind} numbers of this cell must match exactly")
        elif abs(_value(new) - _value(ref)) > _limit(spec[kind], _value(ref)) * (1 + 1e-9):
            problems.append(f"{ref} -> {new}: moved by {abs(_value(new) - _value(ref)):.4g}, "
                            f"beyond the {kind} tolerance {spec[kind]} ({spec['why']})")
    return problems
