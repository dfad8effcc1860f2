"""Turn a drawn digit into an MNIST digit (chapter 12, chapters/12_draw_a_digit.ipynb).

MNIST's digits were not just scanned: each was size-normalised to fit a 20x20 box (aspect ratio
kept, anti-aliased) and then placed in a 28x28 image so that its centre of mass falls on the
centre pixel (LeCun et al.). A network trained on MNIST has only ever seen digits prepared that
way, so a digit drawn on a canvas must be prepared the same way before it is shown to the network:

    x = to_mnist(canvas)          # canvas: (H, W) grayscale, ink = high values, any size
    p = net.predict_proba(x.reshape(1, 784))

Every step is a small function of its own (`bounding_box`, `box_resize`, `centre_of_mass`,
`shift`), numpy only. book/draw/draw.js is a line-by-line JavaScript port of `to_mnist`
(tests/test_draw_page.py checks that both give the same 28x28 input).
"""
import numpy as np

#: Where MNIST puts a digit's centre of mass: pixel (row 14, column 14) of the 28x28 image
#: (measured on the training set: mean (14.00, 14.01), spread +-0.29 = the rounding to pixels).
MNIST_CENTRE = (14, 14)


class EmptyCanvasError(ValueError):
    """The image has no ink: there is no digit to recognise (and no centre of mass to centre)."""


def as_grayscale(image):
    """``image`` as a float64 (H, W) array scaled so that its darkest ink is 1.0.

    Raises ValueError for a wrong shape or non-finite values, EmptyCanvasError without ink.
    """
    a = np.asarray(image, dtype=np.float64)
    if a.ndim != 2:
        hint = (" — for an RGBA canvas use its alpha channel, image[..., 3]"
                if a.ndim == 3 else "")
        raise ValueError(f"expected a grayscale image of shape (height, width), got shape "
                         f"{a.shape}{hint}")
    if a.size == 0:
        raise ValueError(f"the image is empty (shape {a.shape})")
    if not np.isfinite(a).all():
        raise ValueError("the image contains NaN or infinite values")
    peak = a.max()
    if peak <= 0:
        raise EmptyCanvasError("the canvas is blank (no pixel above 0): draw a digit first")
    return np.clip(a / peak, 0.0, 1.0)


def bounding_box(image, threshold=0.1):
    """(top, bottom, left, right) of the pixels > threshold: rows top..bottom-1, columns
    left..right-1, so that ``image[top:bottom, left:right]`` is the crop."""
    ink = np.asarray(image) > threshold
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        raise EmptyCanvasError(f"no pixel is above the ink threshold {threshold}")
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _box_weights(n_in, n_out):
    """(n_out, n_in) matrix: row i averages the input cells that output cell i covers.

    Output cell i spans [i, i + 1) * n_in / n_out in input coordinates; each input cell j
    contributes the length of its overlap with that span, divided by the span's length.
    """
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
    return overlap / (n_in / n_out)


def box_resize(image, shape):
    """Resize (h, w) -> shape by area averaging (a box filter): each new pixel is the mean of
    the old image over the area it covers, so thin strokes turn gray instead of vanishing."""
    image = np.asarray(image, dtype=np.float64)
    rows = _box_weights(image.shape[0], shape[0])
    cols = _box_weights(image.shape[1], shape[1])
    return rows @ image @ cols.T


def centre_of_mass(image):
    """(row, column) of the intensity-weighted mean pixel position, in pixel-index units."""
    image = np.asarray(image, dtype=np.float64)
    mass = image.sum()
    if mass <= 0:
        raise EmptyCanvasError("an image without ink has no centre of mass")
    rows = np.arange(image.shape[0]) @ image.sum(axis=1) / mass
    cols = np.arange(image.shape[1]) @ image.sum(axis=0) / mass
    return float(rows), float(cols)


def shift(image, rows, cols):
    """``image`` moved down by ``rows`` and right by ``cols`` whole pixels, zeros shifted in."""
    out = np.zeros_like(image)
    h, w = image.shape
    src_r, dst_r = slice(max(0, -rows), min(h, h - rows)), slice(max(0, rows), min(h, h + rows))
    src_c, dst_c = slice(max(0, -cols), min(w, w - cols)), slice(max(0, cols), min(w, w + cols))
    out[dst_r, dst_c] = image[src_r, src_c]
    return out


def round_half_up(x):
    """Round to the nearest integer, halves up (JavaScript's Math.round; numpy rounds to even)."""
    return int(np.floor(x + 0.5))


def fit_size(height, width, box=20):
    """The size (h, w) of a height x width crop scaled so that its longer side is ``box``."""
    scale = box / max(height, width)
    return max(1, round_half_up(height * scale)), max(1, round_half_up(width * scale))


def to_mnist(image, box=20, size=28, threshold=0.1, centre=MNIST_CENTRE, min_stroke=None):
    """A drawn digit prepared like MNIST's: (size, size) float32 in [0, 1], ink = 1.

    image: (H, W) grayscale of any size and range, ink = high values (e.g. a 280x280 canvas's
    alpha channel). Steps: scale so the darkest ink is 1; crop to the bounding box of the
    pixels > threshold; resize (area averaging) so the longer side is ``box`` pixels, keeping
    the aspect ratio; paste into a size x size image and shift it by whole pixels so that its
    centre of mass lands on ``centre`` (as far as the frame allows: no ink is pushed out);
    divide by the maximum. Raises EmptyCanvasError for a blank image.
    min_stroke: if given (MNIST's typical width is 2), a drawing whose strokes would end up
    thinner than this many pixels is thickened first (``thicken_to``); default: as drawn.
    """
    a = as_grayscale(image)
    top, bottom, left, right = bounding_box(a, threshold)
    crop = a[top:bottom, left:right]
    if min_stroke is not None:  # the width wanted after resizing, in the crop's pixels
        crop = thicken_to(crop, min_stroke * max(crop.shape) / box, threshold)
    h, w = fit_size(*crop.shape, box)
    digit = box_resize(crop, (h, w))
    out = np.zeros((size, size))
    r0, c0 = (size - h) // 2, (size - w) // 2
    out[r0:r0 + h, c0:c0 + w] = digit
    row, col = centre_of_mass(out)
    dr = min(max(round_half_up(centre[0] - row), -r0), size - h - r0)
    dc = min(max(round_half_up(centre[1] - col), -c0), size - w - c0)
    out = shift(out, dr, dc)
    return (out / out.max()).astype(np.float32)


def stroke_width(image, level=0.5):
    """Estimated pen width in pixels: 2 * area / perimeter of the pixels > level.

    A stroke of width w and length L has area w L and a perimeter of about 2 L, so the ratio
    recovers w. MNIST's digits measure about 2 pixels (median 1.96 on the training set).
    """
    ink = np.pad(np.asarray(image) > level, 1)
    area = ink.sum()
    if area == 0:
        return 0.0
    perimeter = (ink[1:] != ink[:-1]).sum() + (ink[:, 1:] != ink[:, :-1]).sum()
    return float(2 * area / perimeter)


def dilate(image):
    """Grayscale dilation by one pixel: each pixel becomes the max of itself and its 4 neighbours,
    so a stroke grows by a pixel on each side."""
    p = np.pad(image, 1)
    return np.maximum.reduce([image, p[:-2, 1:-1], p[2:, 1:-1], p[1:-1, :-2], p[1:-1, 2:]])


def thicken(image, pixels):
    """Grow strokes by ``pixels`` on each side (fractions blend with the next dilation)."""
    image = np.asarray(image, dtype=np.float64)
    while pixels > 0:
        t = min(pixels, 1.0)
        image = (1 - t) * image + t * dilate(image)
        pixels -= t
    return image


def thicken_to(image, width, threshold=0.1):
    """``image`` with strokes grown to about ``width`` pixels if they are thinner (measured by
    ``stroke_width``), cropped again to the bounding box of its ink."""
    grow = (width - stroke_width(image)) / 2
    if grow <= 0:
        return image
    image = thicken(np.pad(image, int(np.ceil(grow)) + 1), grow)
    top, bottom, left, right = bounding_box(image, threshold)
    return image[top:bottom, left:right]


def render_strokes(strokes, size=280, width=20.0):
    """A synthetic drawing: polylines drawn with a round pen, anti-aliased, on a blank canvas.

    strokes: a list of (k, 2) arrays of (x, y) points in canvas pixels (x to the right, y down);
    width: the pen's diameter in pixels. Returns (size, size) float64 in [0, 1], ink = 1 — what a
    canvas's alpha channel holds after the same strokes (chapter 12 draws its test digits so).
    """
    distance = np.full((size, size), np.inf)
    reach = width / 2 + 1
    for points in strokes:
        p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        p = np.vstack([p, p]) if len(p) == 1 else p
        for (x0, y0), (x1, y1) in zip(p[:-1], p[1:]):
            r = slice(*np.clip([int(min(y0, y1) - reach), int(max(y0, y1) + reach) + 1], 0, size))
            c = slice(*np.clip([int(min(x0, x1) - reach), int(max(x0, x1) + reach) + 1], 0, size))
            y, x = np.mgrid[r, c] + 0.5   # pixel centres of the segment's neighbourhood
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((x - x0) * dx + (y - y0) * dy) / max(dx * dx + dy * dy, 1e-12), 0, 1)
            d = np.hypot(x - x0 - t * dx, y - y0 - t * dy)
            distance[r, c] = np.minimum(distance[r, c], d)
    return np.clip(width / 2 - distance + 0.5, 0.0, 1.0)
