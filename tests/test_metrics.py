"""mlp.metrics: confusion matrix, per-class accuracy, top confusions (chapter 9)."""
import numpy as np
import pytest

from mlp import metrics


def test_confusion_matrix_counts_rows_true_columns_predicted():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    cm = metrics.confusion_matrix(y_true, y_pred)
    assert cm.dtype == np.int64
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert cm.sum() == 6


def test_confusion_matrix_n_classes_pads_and_rejects_too_small():
    cm = metrics.confusion_matrix([0, 1], [1, 1], n_classes=4)
    assert cm.shape == (4, 4) and cm[0, 1] == 1 and cm[1, 1] == 1
    with pytest.raises(ValueError, match="n_classes"):
        metrics.confusion_matrix([0, 5], [0, 1], n_classes=3)


def test_confusion_matrix_matches_a_loop_on_random_labels():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    expected = np.zeros((10, 10), int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, 10), expected)


def test_confusion_matrix_validates_inputs():
    with pytest.raises(ValueError, match="same length"):
        metrics.confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="whole-number"):
        metrics.confusion_matrix([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match=">= 0"):
        metrics.confusion_matrix([-1, 1], [0, 1])
    np.testing.assert_array_equal(metrics.confusion_matrix([0.0, 1.0], [1, 1]), [[0, 1], [0, 1]])


def test_per_class_accuracy_is_diagonal_over_row_sums_nan_for_empty_rows():
    cm = np.array([[3, 1, 0], [0, 0, 0], [1, 1, 2]])
    acc = metrics.per_class_accuracy(cm)
    np.testing.assert_allclose(acc[[0, 2]], [0.75, 0.5])
    assert np.isnan(acc[1])


def test_top_confusions_sorted_off_diagonal_only():
    cm = np.array([[50, 2, 7], [9, 40, 0], [1, 3, 60]])
    assert metrics.top_confusions(cm, k=3) == [(1, 0, 9), (0, 2, 7), (2, 1, 3)]
    assert metrics.top_confusions(np.diag([5, 5]), k=5) == []  # no errors, no confusions
    assert len(metrics.top_confusions(cm, k=100)) == 5
