"""Self-checks for the exercises at the end of every chapter.

    check(a, expected, name="a")                    # ✔ a is correct.  — or ExerciseError
    check_function(my_sigmoid, sigmoid, [z1, z2])   # tries each input, reports the first mismatch
    check_true(w @ x + b > 0, "the perceptron should fire for x")

A wrong answer raises ``ExerciseError`` (an AssertionError) with a diagnosis — wrong shape,
transposed, NaN, opposite sign, a constant factor, which entries differ — never the solution.
"""
import copy

import numpy as np


class ExerciseError(AssertionError):
    """An exercise answer is missing or wrong; the message says what looks wrong."""


def check(answer, expected, name="answer", rtol=1e-5, atol=1e-8):
    """Compare ``answer`` with ``expected`` (numbers, arrays, booleans); print ✔ or raise.

    Returns None, so a notebook cell ending in ``check(...)`` shows only the printed line.

    Floats are compared with ``np.isclose(rtol, atol)``; integers and booleans exactly.
    """
    problem = _diagnose(answer, expected, name, rtol, atol)
    if problem:
        raise ExerciseError(problem)
    print(f"✔ {name} is correct.")


def check_function(f, reference, inputs, name="your function", rtol=1e-5, atol=1e-8):
    """Call ``f`` and ``reference`` on each input and compare; print ✔ or raise at the first miss.

    Each input is one argument, or a tuple of positional arguments (wrap a tuple argument as
    ``(t,)``). ``f`` gets a copy, so it cannot change the input ``reference`` sees.
    """
    if _not_done(f):
        raise ExerciseError(f"{name} is not written yet: replace the placeholder with a function.")
    if not callable(f):
        raise ExerciseError(f"{name} should be a function, but got a {type(f).__name__}.")
    inputs = list(inputs)
    for args in inputs:
        args = args if isinstance(args, tuple) else (args,)
        got = _call(f, args, name)
        if got is None:
            raise ExerciseError(f"{name} returned None for the input {_describe_args(args)} — "
                                f"a missing return statement?")
        problem = _diagnose(got, reference(*copy.deepcopy(args)), "the result", rtol, atol)
        if problem:
            raise ExerciseError(f"{name} is wrong for the input {_describe_args(args)}: {problem}")
    print(f"✔ {name} is correct on all {len(inputs)} test inputs.")


def check_true(condition, hint, success="✔ Correct."):
    """Print ``success`` if ``condition`` holds (every entry, for an array); else raise ``hint``."""
    if _not_done(condition) or not bool(np.all(condition)):
        raise ExerciseError(hint)
    print(success)


# ---- diagnosis -----------------------------------------------------------------------------
def _not_done(x):
    return x is None or x is Ellipsis


def _call(f, args, name):
    """f(*copies of args); an exception from f becomes an ExerciseError naming the input."""
    try:
        return f(*copy.deepcopy(args))
    except NotImplementedError as e:
        raise ExerciseError(f"{name} is not written yet (it raises NotImplementedError).") from e
    except Exception as e:
        raise ExerciseError(f"{name} raised {type(e).__name__}: {e} — for the input "
                            f"{_describe_args(args)}.") from e


def _diagnose(answer, expected, name, rtol, atol):
    """None if ``answer`` matches ``expected``, else a short message saying what is wrong."""
    if _not_done(answer):
        return f"{name} is not filled in yet: replace the placeholder with your answer."
    if callable(answer) and not callable(expected):
        return (f"{name} is a function, but a value was expected — call it and check its "
                f"result instead.")
    if isinstance(expected, str):
        return None if answer == expected else f"{name} is {answer!r}, which is not correct."
    if isinstance(expected, tuple) and any(np.ndim(part) for part in expected):
        return _parts_problem(answer, expected, name, rtol, atol)
    a, e = _as_array(answer, name), np.asarray(expected)
    if isinstance(a, str):
        return a
    if e.size == 1 and a.size == 1:
        a, e = a.reshape(()), e.reshape(())
    return (_shape_problem(a, e, name) or _kind_problem(a, e, name)
            or _finite_problem(a, e, name) or _value_problem(a, e, name, rtol, atol))


def _parts_problem(answer, expected, name, rtol, atol):
    """A tuple of arrays (``return W, b``): the count, then each part on its own."""
    if not isinstance(answer, (tuple, list)):
        return (f"{name} should be a tuple of {len(expected)} results (return them separated by "
                f"commas), got a {type(answer).__name__}.")
    if len(answer) != len(expected):
        return f"{name} should hold {len(expected)} results, got {len(answer)}."
    for k, (a, e) in enumerate(zip(answer, expected)):
        problem = _diagnose(a, e, f"part {k} of {name}", rtol, atol)
        if problem:
            return problem
    return None


def _as_array(answer, name):
    """answer as a numeric array, or a message (str) saying why it is not one."""
    try:
        a = np.asarray(answer)
    except ValueError:
        return f"{name} could not be read as an array (rows of different lengths?)."
    if a.dtype.kind not in "biuf":
        return f"{name} should be a number or an array of numbers, got a {type(answer).__name__}."
    return a


def _shape_problem(a, e, name):
    if a.shape == e.shape:
        return None
    msg = f"{name} has shape {a.shape} but the expected shape is {e.shape}"
    if a.ndim == 2 and a.shape == e.shape[::-1]:
        return msg + " — transposed?"
    if a.size == e.size:
        return msg + (" — the right number of entries: a missing reshape, or an extra/missing "
                      "axis?")
    return msg + "."


def _kind_problem(a, e, name):
    if e.dtype.kind == "b" and not np.isin(a, (0, 1)).all():
        return f"{name} should be True or False (a boolean), got {_fmt_values(a)}."
    if e.dtype.kind in "iu" and a.dtype.kind == "f" and np.any(a != np.round(a)):
        return f"{name} should hold whole numbers (integers), got {_fmt_values(a)}."
    return None


def _finite_problem(a, e, name):
    for test, what in ((np.isnan, "NaN"), (np.isinf, "infinite values")):
        bad = test(a.astype(float)) & ~test(e.astype(float))
        if bad.any():
            where = f" ({int(bad.sum())} of {a.size} entries)" if a.ndim else ""
            return (f"{name} contains {what}{where} — often exp() of a large number or log(0); "
                    f"subtract the max or clip before taking logs.")
    return None


def _value_problem(a, e, name, rtol, atol):
    if e.dtype.kind in "biu":
        close = a == e
    else:
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if e.dtype.kind == "b" or (e.dtype.kind in "iu" and e.ndim == 0):
        return f"{name} is {_fmt_values(a)}, which is not correct."
    return _pattern(a, e, name, rtol, atol) or _entries(a, e, close, name)


def _pattern(a, e, name, rtol, atol):
    """Recognise a sign flip, a constant factor or a constant offset."""
    a, e = a.astype(float), e.astype(float)
    nonzero = np.abs(e) > atol
    if not nonzero.any():
        return None
    if np.allclose(a, -e, rtol=rtol, atol=atol):
        return f"{name} has the opposite sign of the expected value — a missing minus sign?"
    c = float(np.median(a[nonzero] / e[nonzero]))
    hint = _factor_hint(c, a.shape)
    if abs(c) > 1e-12 and np.allclose(a, c * e, rtol=rtol, atol=atol) and (a.size > 1 or hint):
        return f"your values are {c:.2f} times the expected ones{hint or '.'}"
    d = a - e
    if a.size > 1 and np.allclose(d, d.flat[0], rtol=0, atol=max(atol, rtol * np.abs(e).max())):
        return (f"{name} is off by the same amount ({d.flat[0]:+.3g}) everywhere — a missing or "
                f"extra constant (a bias term?).")
    return None


def _factor_hint(c, shape):
    """A guess at where a constant factor c comes from."""
    for n in sorted({int(s) for s in shape if s > 1}, reverse=True):
        if np.isclose(c, n) or np.isclose(c, 1 / n):
            return f" — a sum where a mean was expected (or the reverse) over an axis of {n}?"
    hints = {2.0: " — a missing 1/2?", 0.5: " — an extra 1/2 (or a missing factor 2)?"}
    for k, hint in hints.items():
        if np.isclose(c, k):
            return hint
    return ""


def _entries(a, e, close, name):
    """Which entries differ: the first few indices with got vs expected (or only got if small)."""
    if a.ndim == 0:
        rel = abs(float(a) - float(e)) / max(abs(float(e)), 1e-12)
        side = "too large" if a > e else "too small"
        how = (" — but only slightly (under 1%): rounding, or float32 precision?" if rel < 0.01
               else " (by a few percent)" if rel < 0.1 else "")
        return f"{name} = {float(a):.6g} is not correct: it is {side}{how}."
    bad = np.argwhere(~close)
    show_expected = a.size > 3
    parts = []
    for idx in bad[:3]:
        idx = tuple(int(i) for i in idx)
        got, want = a[idx], e[idx]
        side = "too large" if got > want else "too small"
        tail = f" expected {want:.6g}" if show_expected else f" ({side})"
        parts.append(f"[{', '.join(map(str, idx))}] got {got:.6g}" + tail)
    return f"{len(bad)} of {a.size} entries of {name} differ: " + "; ".join(parts) + "."


def _fmt_values(a):
    a = np.asarray(a)
    if a.size <= 4:
        return str(a.tolist())
    return f"an array of shape {a.shape} with values like {a.flat[0]!r}"


def _describe_args(args):
    """A short description of f's arguments: small arrays in full, large ones by shape."""
    return ", ".join(_describe(x) for x in args)


def _describe(x):
    if callable(x):
        return getattr(x, "__name__", repr(x))[:60]
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged: a list of (W, b) layers, say
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        if isinstance(x, (list, tuple)) and len(x) > 3:
            return f"<{type(x).__name__} of {len(x)} items>"
        if isinstance(x, (list, tuple)):
            inner = ", ".join(_describe(v) for v in x)
            return f"[{inner}]" if isinstance(x, list) else f"({inner})"
        return repr(x)[:60]
    if arr.size > 6:
        return f"<array of shape {arr.shape}>"
    if arr.ndim:
        return np.array2string(arr, precision=4, separator=", ").replace("\n", "")
    return f"{arr.item()!r}"
