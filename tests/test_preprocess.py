"""mlp.data.preprocess: a drawn digit prepared the way MNIST's digits were (chapter 12)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlp.data import preprocess as P

SEVEN = [[(70, 50), (215, 50), (185, 110), (120, 245)]]


def seven(width=20.0):
    return P.render_strokes(SEVEN, width=width)


# ---- input checks ----------------------------------------------------------------------------
@pytest.mark.parametrize("image, message", [
    (np.zeros((5, 5, 4)), "alpha channel"),
    (np.zeros(25), "shape"),
    (np.zeros((0, 5)), "empty"),
    (np.full((3, 3), np.nan), "NaN"),
])
def test_wrong_inputs_get_clear_errors(image, message):
    with pytest.raises(ValueError, match=message):
        P.to_mnist(image)


@pytest.mark.parametrize("blank", [np.zeros((280, 280)), -np.ones((10, 10))])
def test_a_blank_canvas_is_refused(blank):
    with pytest.raises(P.EmptyCanvasError, match="blank"):
        P.to_mnist(blank)
    assert issubclass(P.EmptyCanvasError, ValueError)


# ---- the pieces ------------------------------------------------------------------------------
def test_bounding_box_is_half_open():
    image = np.zeros((10, 12))
    image[2:5, 3:9] = 1
    assert P.bounding_box(image) == (2, 5, 3, 9)
    image[7, 0] = 0.05                              # below the threshold: not ink
    assert P.bounding_box(image, threshold=0.1) == (2, 5, 3, 9)
    assert P.bounding_box(image, threshold=0.0) == (2, 8, 0, 9)


def test_box_resize_by_an_integer_factor_is_the_block_mean():
    rng = np.random.default_rng(0)
    image = rng.random((12, 18))
    blocks = image.reshape(4, 3, 6, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(P.box_resize(image, (4, 6)), blocks)
    np.testing.assert_allclose(P.box_resize(image, image.shape), image)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(1, 30), st.integers(1, 30))
def test_box_resize_keeps_the_mean_intensity(h, w, new_h, new_w):
    image = np.random.default_rng(h * 100 + w).random((h, w))
    out = P.box_resize(image, (new_h, new_w))
    assert out.shape == (new_h, new_w)
    assert out.mean() == pytest.approx(image.mean(), rel=1e-9)
    assert out.min() >= image.min() - 1e-12 and out.max() <= image.max() + 1e-12


def test_centre_of_mass_and_shift():
    image = np.zeros((7, 9))
    image[1, 2], image[1, 4] = 1.0, 3.0
    assert P.centre_of_mass(image) == pytest.approx((1.0, 3.5))
    moved = P.shift(image, 2, -1)
    assert P.centre_of_mass(moved) == pytest.approx((3.0, 2.5))
    assert moved.sum() == image.sum()
    assert P.shift(image, 0, 5).sum() == 1.0              # the 3 at column 4 left the frame
    np.testing.assert_array_equal(P.shift(image, 0, 0), image)
    with pytest.raises(P.EmptyCanvasError):
        P.centre_of_mass(np.zeros((3, 3)))


def test_rounding_and_fit_size():
    assert [P.round_half_up(x) for x in (0.5, 1.5, 2.5, -0.5, 2.49)] == [1, 2, 3, 0, 2]
    assert P.fit_size(140, 80) == (20, 11)                 # scale 1/7: 80/7 = 11.4
    assert P.fit_size(30, 300) == (2, 20)
    assert P.fit_size(1, 500) == (1, 20)                   # never 0 pixels


def test_stroke_width_of_a_bar_and_of_a_rendered_line():
    bar = np.zeros((40, 60))
    bar[10:13, 5:55] = 1                                   # 3 wide, 50 long
    assert P.stroke_width(bar) == pytest.approx(2 * 150 / 106)
    line = P.render_strokes([[(20, 140), (260, 140)]], width=12)
    assert P.stroke_width(line) == pytest.approx(12, rel=0.1)
    assert P.stroke_width(np.zeros((5, 5))) == 0.0


def test_render_strokes_draws_a_round_pen():
    dot = P.render_strokes([[(50, 50)]], size=100, width=20)
    assert dot.sum() == pytest.approx(np.pi * 10 ** 2, rel=0.02)
    assert dot[50, 50] == 1 and dot[50, 75] == 0
    assert 0 <= dot.min() and dot.max() <= 1


def test_thicken_grows_strokes():
    line = P.render_strokes([[(20, 140), (260, 140)]], width=6)
    assert P.stroke_width(P.thicken(line, 2)) == pytest.approx(10, rel=0.1)
    np.testing.assert_array_equal(P.thicken(line, 0), line)
    grown = P.thicken_to(line, 12)
    assert P.stroke_width(grown) == pytest.approx(12, rel=0.1)
    assert P.thicken_to(line, 3) is line                   # thick enough already


# ---- to_mnist --------------------------------------------------------------------------------
def test_to_mnist_looks_like_an_mnist_digit():
    x = P.to_mnist(seven())
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x.min() == 0 and x.max() == 1
    top, bottom, left, right = P.bounding_box(x, threshold=0)
    assert max(bottom - top, right - left) in (20, 21)     # the 20-pixel box (+ a gray edge)
    row, col = P.centre_of_mass(x)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_to_mnist_ignores_position_size_and_ink_level():
    x = P.to_mnist(seven())
    canvas = np.zeros((400, 500))
    canvas[100:380, 30:310] = seven()                      # the same drawing, elsewhere
    np.testing.assert_allclose(P.to_mnist(canvas), x)
    np.testing.assert_allclose(P.to_mnist(255 * seven()), x, atol=1e-6)
    small = P.render_strokes([[(x_ / 2, y_ / 2) for x_, y_ in SEVEN[0]]], width=10)
    assert np.abs(P.to_mnist(small) - x).mean() < 0.02      # half the size, half the pen


def test_to_mnist_keeps_a_digit_that_is_already_mnist_like():
    x = P.to_mnist(seven())
    np.testing.assert_allclose(P.to_mnist(x), x, atol=0.02)
    big = np.kron(x, np.ones((10, 10)))                    # 280x280, blocky
    assert np.abs(P.to_mnist(big) - x).max() < 0.05


def test_to_mnist_off_centre_digit_is_centred_without_losing_ink():
    one = P.render_strokes([[(232, 22), (224, 262)]], width=20)   # a 1 at the right edge
    x = P.to_mnist(one)
    assert P.centre_of_mass(x)[1] == pytest.approx(14, abs=0.5)
    wide = np.zeros((50, 400))
    wide[20:30, :] = 1                                    # a dash: 2 rows high after scaling
    assert P.to_mnist(wide).sum() == pytest.approx(P.to_mnist(wide, centre=(0, 0)).sum())


def test_min_stroke_thickens_thin_drawings_only():
    thin, thick = seven(width=4), seven(width=40)
    assert P.stroke_width(P.to_mnist(thin, min_stroke=2)) > P.stroke_width(P.to_mnist(thin)) + 0.3
    np.testing.assert_array_equal(P.to_mnist(thick, min_stroke=2), P.to_mnist(thick))
