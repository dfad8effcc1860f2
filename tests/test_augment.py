"""mlp.data.augment (shifts, warps, affine and elastic fields) and fit's augment= hook."""
import numpy as np
import pytest

import mlp
from mlp.data import augment as A


def _digits(n=6, seed=0):
    """Blobby 28x28 'digits' with ink away from the border, as flat float32 rows."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 28, 28), np.float32)
    X[:, 6:22, 6:22] = rng.random((n, 16, 16), dtype=np.float32)
    return X.reshape(n, 784)


def test_shift_moves_pixels_and_fills_zeros():
    X = _digits()
    out = A.shift(X, 2, -3)
    assert out.shape == X.shape and out.dtype == X.dtype
    img, moved = X.reshape(-1, 28, 28), out.reshape(-1, 28, 28)
    np.testing.assert_array_equal(moved[:, 2:, :25], img[:, :26, 3:])
    assert not moved[:, :2].any() and not moved[:, :, 25:].any()
    np.testing.assert_array_equal(A.shift(A.shift(X, 2, -3), -2, 3), X)  # ink stayed inside
    np.testing.assert_array_equal(A.shift(X.reshape(-1, 28, 28), 0, 0), X.reshape(-1, 28, 28))


def test_random_shift_is_a_whole_pixel_shift_per_image_within_range():
    X = _digits(50)
    out = A.random_shift(X, np.random.default_rng(1), max_shift=2)
    seen = set()
    for x, o in zip(X, out):
        matches = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)
                   if np.array_equal(A.shift(x[None], dy, dx), o[None])]
        assert len(matches) == 1
        seen.add(matches[0])
    assert len(seen) > 12  # many of the 25 moves occur
    np.testing.assert_array_equal(A.random_shift(X, np.random.default_rng(1)), out)  # seeded


def test_warp_reads_the_source_point_bilinearly_with_zero_outside():
    X = _digits(3)
    zero = np.zeros((1, 28, 28), np.float32)
    np.testing.assert_array_equal(A.warp(X, zero, zero), X)
    for dy, dx in [(1, 0), (-2, 3), (5, -4)]:  # whole pixels: exactly a shift the other way
        np.testing.assert_array_equal(A.warp(X, zero - dy, zero - dx), A.shift(X, dy, dx))
    half = A.warp(X, zero, zero + 0.5).reshape(-1, 28, 28)
    img = X.reshape(-1, 28, 28)
    np.testing.assert_allclose(half[:, :, :27], (img[:, :, :27] + img[:, :, 1:]) / 2, rtol=1e-6)
    np.testing.assert_allclose(half[:, :, 27], img[:, :, 27] / 2)  # half of it is outside
    far = A.warp(X, zero + 100, zero - 1e6)
    assert not far.any()


def test_affine_field_is_zero_without_parameters_and_a_rotation_keeps_distances():
    rng = np.random.default_rng(0)
    dy, dx = A.affine_field(4, rng)
    assert dy.shape == dx.shape == (4, 28, 28) and not dy.any() and not dx.any()
    dy, dx = A.affine_field(4, rng, rotation=30)
    r, c = np.meshgrid(np.arange(28) - 13.5, np.arange(28) - 13.5, indexing="ij")
    np.testing.assert_allclose(np.hypot(r + dy, c + dx), np.broadcast_to(np.hypot(r, c), dy.shape),
                               rtol=1e-5)
    dy, dx = A.affine_field(2, rng, max_shift=2)
    assert np.ptp(dy[0]) == 0 and np.abs(dy).max() <= 2  # a pure translation


def test_elastic_field_is_smooth_random_and_scaled_by_alpha():
    rng = np.random.default_rng(0)
    dy, dx = A.elastic_field(200, rng, alpha=34, sigma=4)
    assert dy.shape == (200, 28, 28) and dy.dtype == np.float32
    assert abs(float(dy.mean())) < 0.05 and 0.5 < float(dy.std()) < 3  # about 1.4 pixels
    neighbour = np.corrcoef(dy[:, 10, 10], dy[:, 10, 11])[0, 1]
    assert neighbour > 0.9  # smoothed: neighbouring pixels move together
    assert abs(np.corrcoef(dy[:, 10, 10], dx[:, 10, 10])[0, 1]) < 0.2  # independent axes
    d2, _ = A.elastic_field(200, np.random.default_rng(0), alpha=68, sigma=4)
    np.testing.assert_allclose(d2, 2 * dy, rtol=1e-5, atol=1e-6)
    G = A.gaussian_matrix(28, 4)
    assert G.shape == (28, 28) and np.allclose(G, G.T) and G.sum(axis=1).max() <= 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_distortion_keeps_shape_dtype_range_and_never_writes_its_input(dtype):
    X = _digits(8).astype(dtype)
    before = X.copy()
    d = A.Distortion(max_shift=2, rotation=10, scale=0.1, shear=0.1, elastic_alpha=34,
                     elastic_sigma=5)
    out = d(X, np.random.default_rng(0))
    np.testing.assert_array_equal(X, before)
    assert out.shape == X.shape and out.dtype == dtype
    assert out.min() >= 0 and out.max() <= 1 and not np.array_equal(out, X)
    np.testing.assert_array_equal(d(X, np.random.default_rng(0)), out)  # seeded
    assert "elastic_alpha=34" in repr(d) and d.config()["rotation"] == 10
    shifts = A.Distortion(2, whole_pixels=True)
    np.testing.assert_array_equal(shifts(X, np.random.default_rng(3)),
                                  A.random_shift(X, np.random.default_rng(3), 2))
    with pytest.raises(ValueError, match="whole_pixels=True only applies to pure shifts"):
        A.Distortion(2, rotation=5, whole_pixels=True)
    with pytest.raises(ValueError, match=r"expected images of shape \(N, 784\)"):
        d(np.zeros((2, 100)), np.random.default_rng(0))


def test_accuracy_under_shift_of_a_net_that_reads_one_pixel():
    """A 'net' that answers 1 exactly when pixel (14, 14) has ink: shifts move the ink away."""
    class OnePixel:
        def predict(self, X):
            return (X.reshape(-1, 28, 28)[:, 14, 14] > 0).astype(int)
    X = np.zeros((2, 784), np.float32)
    X[0].reshape(28, 28)[14, 14] = 1  # a dot: label 1
    acc = A.accuracy_under_shift(OnePixel(), X, [1, 0], shifts=(0, 1))
    assert acc == {0: 1.0, 1: 0.5}  # shifted, the dot is missed; the blank stays blank


# ---- fit(augment=...) ----------------------------------------------------------------------
def _task(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 784), dtype=np.float32)
    return X, (X[:, :392].sum(axis=1) > X[:, 392:].sum(axis=1)).astype(int)


def _net():
    return mlp.MLP([784, 8, 2], activation="relu", output="softmax", loss="cross_entropy",
                   dropout=0.2, seed=4)


def test_fit_without_augment_is_unchanged_and_identity_augmentation_changes_nothing():
    """The augmentation Generator is separate: the shuffling and dropout draws are untouched."""
    X, y = _task()
    nets = [_net() for _ in range(3)]
    nets[0].fit(X, y, epochs=2, batch_size=16, optimizer="adam", lr=0.01)
    nets[1].fit(X, y, epochs=2, batch_size=16, optimizer="adam", lr=0.01, augment=None)
    nets[2].fit(X, y, epochs=2, batch_size=16, optimizer="adam", lr=0.01,
                augment=lambda Xb, rng: (rng.random(), Xb)[1])  # draws, returns Xb unchanged
    for other in nets[1:]:
        assert all(np.array_equal(p, q) for p, q in zip(nets[0].params(), other.params()))


@pytest.mark.parametrize("every,calls,rows", [("batch", 2 * 8, 16), ("epoch", 2, 120)])
def test_fit_calls_augment_per_batch_or_per_epoch(every, calls, rows):
    X, y = _task()
    seen = []

    def augment(Xb, rng):
        assert isinstance(rng, np.random.Generator)
        seen.append(len(Xb))
        return A.random_shift(Xb, rng, 1)
    net = _net()
    net.fit(X, y, epochs=2, batch_size=16, lr=0.1, augment=augment, augment_every=every)
    assert len(seen) == calls and max(seen) == rows
    twin = _net()
    twin.fit(X, y, epochs=2, batch_size=16, lr=0.1, augment=augment, augment_every=every)
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), twin.params()))  # seeded
    plain = _net()
    plain.fit(X, y, epochs=2, batch_size=16, lr=0.1)
    assert not np.array_equal(plain.layers[0].W, net.layers[0].W)  # and it did something


def test_fit_refuses_bad_augmentation_with_what_was_expected():
    X, y = _task(32)
    with pytest.raises(TypeError, match=r"augment must be a function \(X_batch, rng\)"):
        _net().fit(X, y, lr=0.1, augment="shift")
    with pytest.raises(ValueError, match="augment_every must be one of"):
        _net().fit(X, y, lr=0.1, augment=A.random_shift, augment_every="step")
    with pytest.raises(ValueError, match=r"shape it was given, \(32, 784\), but returned"):
        _net().fit(X, y, lr=0.1, batch_size=32, augment=lambda Xb, rng: Xb[:, :10])
