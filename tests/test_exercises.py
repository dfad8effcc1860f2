"""mlp.book.exercises: every diagnosis the self-checks give (used by every chapter's exercises)."""
import numpy as np
import pytest

from mlp.book.exercises import ExerciseError, check, check_function, check_true


def fails(answer, expected, **kwargs):
    """The message of the ExerciseError that check raises."""
    with pytest.raises(ExerciseError) as info:
        check(answer, expected, **kwargs)
    return str(info.value)


def test_correct_answers_print_one_line_and_return_true(capsys):
    assert check(0.5, 0.5) is None
    assert check([[1, 2], [3, 4]], np.array([[1.0, 2.0], [3.0, 4.0]]), name="W") is None
    assert check(np.float32(0.1), 0.1) is None  # float32 rounding is within rtol
    assert check(np.array([0.7311]), 0.7311, name="a") is None  # a size-1 array for a number
    assert capsys.readouterr().out.splitlines() == [
        "✔ answer is correct.", "✔ W is correct.", "✔ answer is correct.",
        "✔ a is correct."]


def test_exercise_error_is_an_assertion_error():
    assert issubclass(ExerciseError, AssertionError)


@pytest.mark.parametrize("placeholder", [None, ...])
def test_not_done_yet_names_the_variable(placeholder):
    msg = fails(placeholder, 1.0, name="dW")
    assert "dW" in msg and "not filled in" in msg


def test_a_function_where_a_number_was_expected():
    msg = fails(np.tanh, 0.5, name="a")
    assert "function" in msg and "call it" in msg


def test_non_numeric_answers():
    assert "number" in fails("0.5", 0.5)
    assert "different lengths" in fails([[1, 2], [3]], [[1, 2], [3, 4]])


def test_wrong_shape_says_expected_and_got_and_spots_transposes():
    msg = fails(np.zeros((3, 2)), np.zeros((2, 3)), name="W")
    assert "(3, 2)" in msg and "(2, 3)" in msg and "transposed?" in msg
    msg = fails(np.zeros((4, 1)), np.zeros(4))
    assert "(4, 1)" in msg and "(4,)" in msg and "reshape" in msg and "transposed" not in msg
    msg = fails(np.zeros(5), np.zeros(4))
    assert "(5,)" in msg and "(4,)" in msg


def test_nan_and_inf_are_reported():
    msg = fails(np.array([1.0, np.nan, 3.0]), np.ones(3))
    assert "NaN" in msg and "1 of 3" in msg
    assert "infinite" in fails(np.inf, 2.0)


def test_opposite_sign():
    msg = fails(np.array([-1.0, 2.0, -3.0]), np.array([1.0, -2.0, 3.0]), name="delta")
    assert "opposite sign" in msg


def test_constant_factor_with_hints():
    expected = np.array([0.2, -0.4, 1.0, 0.3])
    msg = fails(2 * expected, expected)
    assert "2.00 times" in msg and "missing 1/2" in msg
    assert "0.50 times" in fails(0.5 * expected, expected)
    msg = fails(3.0 * expected, expected)  # no special story for 3 (the shape has no axis of 3)
    assert "3.00 times" in msg
    grad = np.arange(1.0, 33.0).reshape(32, 1)  # a sum over a batch of 32 instead of a mean
    msg = fails(grad * 32, grad)
    assert "32.00 times" in msg and "sum where a mean" in msg


def test_constant_offset():
    expected = np.array([0.1, 0.5, 0.9])
    msg = fails(expected + 1.0, expected)
    assert "same amount" in msg and "+1" in msg


def test_which_entries_differ_without_revealing_the_whole_answer():
    expected = np.linspace(0.1, 1.0, 10)
    answer = expected.copy()
    answer[[3, 7]] = [5.0, -5.0]
    msg = fails(answer, expected, name="z")
    assert "2 of 10 entries" in msg and "[3] got 5" in msg and "[7] got -5" in msg
    assert "expected 0.4" in msg  # a few expected entries of a large array are fine
    assert f"{expected[0]:.6g}" not in msg  # but not the whole answer
    small = fails(np.array([1.0, 2.0]), np.array([1.0, 2.5]))
    assert "[1] got 2" in small and "too small" in small and "2.5" not in small


def test_scalar_mismatch_gives_direction_not_the_value():
    msg = fails(0.9, 0.7311, name="a")
    assert "too large" in msg and "0.7311" not in msg and "a = 0.9" in msg
    assert "too small" in fails(-0.1, 0.25)
    assert "only slightly" in fails(1.002, 1.0) and "few percent" in fails(1.05, 1.0)
    assert "missing 1/2" in fails(1.0, 0.5)  # a recognisable factor is still named for a number
    assert "opposite sign" in fails(-0.5, 0.5)


def test_integers_and_booleans_are_compared_exactly():
    for got, want in [(3, 3), (True, True), (np.array([1, 0, 1]), np.array([1, 0, 1]))]:
        check(got, want)  # no exception: correct
    assert "not correct" in fails(4, 3)
    assert "whole numbers" in fails(3.0000001, 3)
    assert "not correct" in fails(False, True)
    assert "True or False" in fails(0.7, True)
    msg = fails(np.array([1, 2, 3, 4, 5]), np.array([1, 2, 0, 4, 5]))
    assert "1 of 5 entries" in msg and "[2] got 3" in msg


def test_tolerances_are_used():
    check(1.001, 1.0, rtol=1e-2)
    fails(1.001, 1.0)


def test_strings_compare_by_equality():
    check("relu", "relu")
    assert "not correct" in fails("tanh", "relu")


# ---- check_function ------------------------------------------------------------------------
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


INPUTS = [0.0, np.array([-1.0, 0.0, 2.0]), np.linspace(-3, 3, 12).reshape(3, 4)]


def test_check_function_passes_a_correct_function(capsys):
    check_function(lambda z: 0.5 * (1 + np.tanh(np.asarray(z) / 2)), sigmoid, INPUTS,
                          name="my_sigmoid")
    assert capsys.readouterr().out.strip() == "✔ my_sigmoid is correct on all 3 test inputs."


def test_check_function_reports_the_first_failing_input_with_a_diagnosis():
    with pytest.raises(ExerciseError) as info:
        check_function(lambda z: 2 * sigmoid(z), sigmoid, INPUTS, name="f")
    msg = str(info.value)
    assert msg.startswith("f is wrong for the input 0.0") and "2.00 times" in msg


def test_check_function_describes_large_inputs_by_shape_and_unpacks_tuples():
    def wrong_matmul(X, W):
        return X @ W + 1e-3 * np.arange(X.shape[0])[:, None]
    X, W = np.ones((5, 3)), np.ones((3, 4))
    described = r"<array of shape \(5, 3\)>, <array of shape \(3, 4\)>"
    with pytest.raises(ExerciseError, match=described):
        check_function(wrong_matmul, lambda X, W: X @ W, [(X, W)])
    with pytest.raises(ExerciseError, match="transposed"):
        check_function(lambda X, W: (X @ W).T, lambda X, W: X @ W, [(X, W)])
    with pytest.raises(ExerciseError, match=r"input \[1\.5, 2\. \]: the result = 2 is not"):
        check_function(lambda x: x.min() + 0.5, lambda x: x.min(), [np.array([1.5, 2.0])])


def test_check_function_turns_exceptions_into_exercise_errors():
    def broken(z):
        raise ZeroDivisionError("division by zero")
    message = "raised ZeroDivisionError: division by zero .*input 0.0"
    with pytest.raises(ExerciseError, match=message):
        check_function(broken, sigmoid, INPUTS)
    def stub(z):
        raise NotImplementedError
    with pytest.raises(ExerciseError, match="not written yet"):
        check_function(stub, sigmoid, INPUTS, name="sigmoid")


def test_check_function_placeholder_and_non_callable():
    with pytest.raises(ExerciseError, match="not written yet"):
        check_function(None, sigmoid, INPUTS)
    with pytest.raises(ExerciseError, match="should be a function"):
        check_function(0.5, sigmoid, INPUTS)


def test_check_function_gives_f_a_copy_of_its_input():
    def in_place(z):
        z *= 0
        return z
    x = np.array([1.0, 2.0])
    with pytest.raises(ExerciseError):
        check_function(in_place, lambda z: z, [x])
    np.testing.assert_array_equal(x, [1.0, 2.0])


# ---- check_true ---------------------------------------------------------------------------
def test_check_true(capsys):
    check_true(1 + 1 == 2, "maths is broken")
    check_true(np.array([True, True]), "hint", success="✔ Both fire.")
    assert capsys.readouterr().out.splitlines() == ["✔ Correct.", "✔ Both fire."]
    for bad in (False, np.array([True, False]), None):
        with pytest.raises(ExerciseError, match="^the perceptron should fire$"):
            check_true(bad, "the perceptron should fire")


def test_check_function_spots_a_missing_return():
    def forgot(z):
        np.tanh(z)
    with pytest.raises(ExerciseError, match="returned None .* missing return"):
        check_function(forgot, np.tanh, [0.5])


# ---- several results, ragged arguments (found by the wrong answers of tests/test_grading.py) --
def test_a_tuple_of_arrays_is_compared_part_by_part():
    W, b = np.ones((3, 2)), np.zeros(2)
    check((W, b), (W, b), name="convert(W_col, b_col)")
    assert "tuple of 2 results" in fails(W, (W, b))
    assert "hold 2 results, got 1" in fails((W,), (W, b))
    msg = fails((W.T, b), (W, b), name="the result")
    assert msg.startswith("part 0 of the result has shape (2, 3)") and "transposed?" in msg


def test_check_function_describes_a_list_of_layers_instead_of_crashing():
    layers = [(np.ones((3, 2)), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))]
    with pytest.raises(ExerciseError) as info:
        check_function(lambda layers, X: X, lambda layers, X: X @ layers[0][0], [(layers, np.ones((4, 3)))])
    assert "wrong for the input [([[1., 1.]" in str(info.value) and "(4, 2)" in str(info.value)
