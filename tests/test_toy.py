"""Truth tables and the seeded 2-D datasets."""

import numpy as np
import pytest

from mlp.data.toy import make_blobs, make_circles, make_moons, make_spirals, truth_table

ROWS = [[0, 0], [0, 1], [1, 0], [1, 1]]
TABLES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0],
          "must": [0, 0, 1, 1], "nand": [1, 1, 1, 0], "nor": [1, 0, 0, 0]}
MAKERS = [make_moons, make_circles, make_spirals, make_blobs]


@pytest.mark.parametrize("name", TABLES)
def test_truth_tables(name):
    X, y = truth_table(name)
    assert X.shape == (4, 2) and y.shape == (4, 1)
    assert X.dtype == y.dtype == np.float32
    assert X.tolist() == ROWS and y[:, 0].tolist() == TABLES[name]


def test_truth_tables_mean_what_their_names_say():
    a, b = np.array(ROWS, bool).T
    expected = {"and": a & b, "or": a | b, "xor": a ^ b, "must": a,
                "nand": ~(a & b), "nor": ~(a | b)}
    for name, values in expected.items():
        assert truth_table(name)[1][:, 0].tolist() == values.astype(float).tolist(), name
    # goml's "xor" labels (0, 1, 0, 1) are the second input; ours are not
    assert truth_table("xor")[1][:, 0].tolist() != [0, 1, 0, 1]


def test_truth_table_is_a_fresh_copy_and_case_insensitive():
    X, _ = truth_table("XOR")
    X[0, 0] = 7
    assert truth_table("xor")[0][0, 0] == 0
    with pytest.raises(ValueError, match=r"unknown truth table 'xnor'.*'and'"):
        truth_table("xnor")


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_datasets_shape_dtype_balance_and_determinism(make):
    X, y = make(101, seed=5)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.min() >= 1 and counts.max() - counts.min() <= 1
    X2, y2 = make(101, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(101, seed=6)
    assert not np.array_equal(X, X3)
    X4, y4 = make(101, seed=np.random.default_rng(5))  # a Generator works too
    assert np.array_equal(X4, X) and np.array_equal(y4, y)
    assert not np.array_equal(y[:50], np.sort(y[:50]))  # shuffled, not sorted by class


def test_moons_without_noise_lie_on_their_arcs():
    X, y = make_moons(200, noise=0.0)
    upper, lower = X[y == 0].astype(np.float64), X[y == 1].astype(np.float64)
    np.testing.assert_allclose(np.hypot(*upper.T), 1, atol=1e-6)
    assert upper[:, 1].min() >= -1e-6
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, atol=1e-6)
    assert lower[:, 1].max() <= 0.5 + 1e-6


def test_circles_without_noise_have_radius_one_and_factor():
    X, y = make_circles(100, noise=0.0, factor=0.3)
    r = np.hypot(*X.astype(np.float64).T)
    np.testing.assert_allclose(r[y == 0], 1, atol=1e-6)
    np.testing.assert_allclose(r[y == 1], 0.3, atol=1e-6)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.5)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_spirals_have_one_arm_per_class_inside_the_unit_disc(n_classes):
    X, y = make_spirals(300, n_classes=n_classes, noise=0.0)
    assert sorted(set(y.tolist())) == list(range(n_classes))
    assert np.hypot(*X.T).max() <= 1 + 1e-6
    for k in range(n_classes):  # without noise, the arm's angle is 4 r + 2 pi k / n_classes
        arm = X[y == k].astype(np.float64)
        r, angle = np.hypot(*arm.T), np.arctan2(arm[:, 0], arm[:, 1])
        offset = angle - 4 * r - 2 * np.pi * k / n_classes
        wrapped = np.angle(np.exp(1j * offset))  # into (-pi, pi]
        np.testing.assert_allclose(wrapped[r > 1e-3], 0, atol=1e-5)


def test_blobs_are_centred_on_their_centers():
    centers = [[-5, 0], [5, 0], [0, 5]]
    X, y = make_blobs(3000, n_classes=3, noise=0.5, centers=centers)
    for k, c in enumerate(centers):
        np.testing.assert_allclose(X[y == k].mean(0), c, atol=0.1)
        np.testing.assert_allclose(X[y == k].std(0), 0.5, atol=0.05)
    with pytest.raises(ValueError, match=r"centers must have shape \(2, 2\)"):
        make_blobs(10, n_classes=2, centers=centers)


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_bad_arguments_are_rejected(make):
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make(10, noise=-1)
    with pytest.raises(ValueError, match="n must be a non-negative integer"):
        make(-3)


def test_spirals_turns_wind_the_arms_further():
    from mlp.data.toy import make_spirals
    X, y = make_spirals(n=200, noise=0.0, turns=1.5, seed=0)
    arm = X[y == 0]
    radius = np.hypot(arm[:, 0], arm[:, 1])
    angle = np.unwrap(np.arctan2(arm[:, 0], arm[:, 1])[np.argsort(radius)])
    assert abs(angle[-1] - angle[0]) == pytest.approx(1.5 * 2 * np.pi, rel=0.02)
