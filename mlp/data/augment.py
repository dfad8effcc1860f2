"""Data augmentation for 28x28 digit images: shifts, small affine maps, elastic distortions
(chapter 10, section "Data augmentation"; Simard, Steinkraus & Platt 2003).

A fully connected network has no idea that pixel (5, 7) is next to pixel (5, 8): moving a digit
by two pixels changes most of its 784 inputs, and a network trained on centred digits
misreads it. Training on randomly moved and distorted copies of the training images teaches
the network what stays the same. Simard et al. (2003) trained a plain MLP with 800 hidden
units to 1.6% test error, 1.1% on affinely distorted digits and 0.7% on elastically distorted
ones.

Every function works on a whole batch at once, ``X`` of shape (N, 784) (or (N, 28, 28)),
returns a new array of the same shape (never writes into ``X``), and takes an
``np.random.Generator`` ``rng`` for anything random. Shifts keep X's dtype; interpolating
distortions return X's float dtype (float32 for integer images). Pixels that come from outside
the image are 0 (background).

    shift(X, 2, -1)                     # every image 2 pixels down, 1 to the left
    random_shift(X, rng, max_shift=2)   # each image by its own whole-pixel shift in -2..2
    Distortion(max_shift=2, rotation=10, scale=0.1, elastic_alpha=34, elastic_sigma=4)
                                        # a function (X, rng) -> X for mlp.fit(augment=...)

A distortion maps each output pixel (i, j) to a source point (i + dy, j + dx) of the original
image and reads it there by bilinear interpolation (``warp``). Shifts, rotations, scalings and
elastic displacements only differ in how they choose the displacement field (dy, dx).
"""
import numpy as np

SHAPE = (28, 28)


def _as_images(X, shape):
    """(N, h, w) view of X, which is (N, h*w) or (N, h, w)."""
    X = np.asarray(X)
    if X.ndim == 2 and X.shape[1] == shape[0] * shape[1]:
        return X.reshape(-1, *shape)
    if X.ndim == 3 and X.shape[1:] == tuple(shape):
        return X
    raise ValueError(f"expected images of shape (N, {shape[0] * shape[1]}) or (N, {shape[0]}, "
                     f"{shape[1]}), got {X.shape}")


def _float_dtype(X):
    return X.dtype if X.dtype.kind == "f" else np.dtype(np.float32)


# ---- whole-pixel shifts ------------------------------------------------------------------
def shift(X, dy, dx, shape=SHAPE):
    """Every image moved down by ``dy`` and right by ``dx`` whole pixels (negative: up, left),
    zeros shifted in. Exact (no interpolation). Same shape and dtype as X."""
    images = _as_images(X, shape)
    dy, dx = int(dy), int(dx)
    h, w = shape
    out = np.zeros_like(images)
    out[:, max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)] = \
        images[:, max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
    return out.reshape(np.shape(X))


def random_shift(X, rng, max_shift=2, shape=SHAPE):
    """Each image moved by its own whole-pixel (dy, dx), each uniform in -max_shift..max_shift.

    Vectorised: pad the batch with ``max_shift`` zeros on every side, then read one 28x28
    window per image at offset (max_shift - dy, max_shift - dx) with a single gather.
    """
    images = _as_images(X, shape)
    k = int(max_shift)
    n, (h, w) = len(images), shape
    padded = np.pad(images, ((0, 0), (k, k), (k, k)))
    top = k - rng.integers(-k, k + 1, n)
    left = k - rng.integers(-k, k + 1, n)
    rows = top[:, None, None] + np.arange(h)[None, :, None]
    cols = left[:, None, None] + np.arange(w)[None, None, :]
    return padded[np.arange(n)[:, None, None], rows, cols].reshape(np.shape(X))


# ---- interpolation: the one primitive every smooth distortion uses ------------------------
def warp(X, dy, dx, shape=SHAPE):
    """Bilinear resampling: output pixel (i, j) of image n is the original image n read at the
    point (i + dy[n, i, j], j + dx[n, i, j]), zero outside the image.

    dy, dx: displacement fields of shape (N, h, w) (or anything that broadcasts to it), in
    pixels. The four neighbours of each source point are fetched with one flat ``take`` each
    from a copy of the batch padded with zeros, so the whole batch is warped at once.
    """
    images = _as_images(X, shape)
    dtype = _float_dtype(images)
    n, (h, w) = len(images), shape
    # clip to just outside the image: a point beyond it then reads only zero padding
    y = np.clip(np.arange(h, dtype=dtype)[:, None] + dy, -1, h).astype(dtype, copy=False)
    x = np.clip(np.arange(w, dtype=dtype)[None, :] + dx, -1, w).astype(dtype, copy=False)
    y0, x0 = np.floor(y), np.floor(x)
    wy, wx = y - y0, x - x0
    # padded rows/columns -1..h+1 sit at indices 0..h+2: the neighbours (y0 + 1, x0 + 1) of a
    # point clipped to h are still inside the padded image
    pw = w + 3
    padded = np.pad(images.astype(dtype, copy=False), ((0, 0), (1, 2), (1, 2))).ravel()
    base = (np.arange(n, dtype=np.intp) * ((h + 3) * pw))[:, None, None]
    top_left = base + (y0.astype(np.intp) + 1) * pw + (x0.astype(np.intp) + 1)
    top = padded.take(top_left) * (1 - wx) + padded.take(top_left + 1) * wx
    bottom = padded.take(top_left + pw) * (1 - wx) + padded.take(top_left + pw + 1) * wx
    out = top * (1 - wy) + bottom * wy
    return out.astype(_float_dtype(np.asarray(X)), copy=False).reshape(np.shape(X))


# ---- displacement fields ------------------------------------------------------------------
def affine_field(n, rng, rotation=0.0, scale=0.0, shear=0.0, max_shift=0.0, shape=SHAPE,
                 dtype=np.float32):
    """Displacements (dy, dx), each (n, h, w), of n random affine maps about the image centre.

    Per image: a rotation uniform in +-``rotation`` degrees, a scaling by a factor uniform in
    1 +- ``scale`` (separately for height and width), a shear uniform in +-``shear``, and a
    translation uniform in +-``max_shift`` pixels (not whole pixels: interpolated).
    Output pixel p reads the source at c + M (p - c) - t, so the field is (M - I)(p - c) - t.
    """
    h, w = shape
    dtype = np.dtype(dtype).type
    angle = np.deg2rad(rng.uniform(-rotation, rotation, n))
    sy, sx = 1 + rng.uniform(-scale, scale, (2, n))
    s = rng.uniform(-shear, shear, n)
    ty, tx = rng.uniform(-max_shift, max_shift, (2, n))
    cos, sin = np.cos(angle), np.sin(angle)
    # M = rotation @ shear @ inverse scaling: the map from output to source coordinates
    m = np.array([[cos / sy - 1, (cos * s - sin) / sx], [sin / sy, (sin * s + cos) / sx - 1]])
    m = m.astype(dtype)[..., None, None]  # (2, 2, n, 1, 1): M - I, one per image
    u = (np.arange(h, dtype=dtype) - dtype(h - 1) / 2)[:, None]  # p - c: rows (h, 1)
    v = (np.arange(w, dtype=dtype) - dtype(w - 1) / 2)[None, :]  # and columns (1, w)
    dy = m[0, 0] * u + m[0, 1] * v - ty.astype(dtype)[:, None, None]
    dx = m[1, 0] * u + m[1, 1] * v - tx.astype(dtype)[:, None, None]
    return dy, dx


def gaussian_matrix(size, sigma):
    """The (size, size) matrix G that smooths a vector by a Gaussian of standard deviation
    ``sigma`` pixels: (G f)_i = sum_j g(i - j) f_j, with g normalised to sum 1 over the whole
    line and zeros beyond the ends. Smoothing an image F on both axes is G F G^T."""
    d = np.arange(size)[:, None] - np.arange(size)[None, :]
    g = np.exp(-0.5 * (d / sigma) ** 2)
    full = np.exp(-0.5 * (np.arange(-size + 1, size) / sigma) ** 2).sum()
    return g / full


def elastic_field(n, rng, alpha=34.0, sigma=4.0, shape=SHAPE, dtype=np.float32):
    """Simard et al.'s elastic displacements: for each image and axis, uniform noise in
    [-1, 1] per pixel, smoothed by a Gaussian of ``sigma`` pixels and scaled by ``alpha``
    pixels. Small sigma: noise; large sigma: almost an affine map; sigma ~ 4-6 bends the strokes
    like a hand does. Returns (dy, dx), each (n, h, w)."""
    h, w = shape
    dtype = np.dtype(dtype)
    G_h = gaussian_matrix(h, sigma).astype(dtype)
    G_w = gaussian_matrix(w, sigma).astype(dtype)
    noise = rng.random((2 * n, h, w), dtype=np.float32).astype(dtype, copy=False)
    noise = noise * dtype.type(2 * alpha) - dtype.type(alpha)  # alpha * U(-1, 1)
    along_rows = (noise.reshape(-1, w) @ G_w.T).reshape(2 * n, h, w)  # each row smoothed
    field = np.matmul(G_h, along_rows)  # then each column
    return field[:n], field[n:]


class Distortion:
    """A random distortion of a batch, for ``fit(augment=...)``: ``Distortion(...)(X, rng)``.

    Combines, in one displacement field and one bilinear warp: a random affine map
    (``rotation`` degrees, ``scale`` fraction, ``shear``, ``max_shift`` pixels) and an elastic
    field (``elastic_alpha``, ``elastic_sigma``; alpha 0 = off). With only ``max_shift`` and
    ``whole_pixels=True`` it is ``random_shift`` (exact whole-pixel shifts, no interpolation).
    ``config()`` records the settings (the recipe prints them).
    """

    def __init__(self, max_shift=2, rotation=0.0, scale=0.0, shear=0.0, elastic_alpha=0.0,
                 elastic_sigma=4.0, whole_pixels=False, shape=SHAPE):
        self.max_shift, self.rotation, self.scale, self.shear = max_shift, rotation, scale, shear
        self.elastic_alpha, self.elastic_sigma = elastic_alpha, elastic_sigma
        self.whole_pixels, self.shape = whole_pixels, tuple(shape)
        smooth = rotation or scale or shear or elastic_alpha
        if whole_pixels and smooth:
            raise ValueError("whole_pixels=True only applies to pure shifts: set rotation, "
                             "scale, shear and elastic_alpha to 0")

    def __call__(self, X, rng):
        if self.whole_pixels:
            return random_shift(X, rng, self.max_shift, self.shape)
        n, dtype = len(X), _float_dtype(np.asarray(X))
        dy, dx = affine_field(n, rng, self.rotation, self.scale, self.shear, self.max_shift,
                              self.shape, dtype)
        if self.elastic_alpha:
            ey, ex = elastic_field(n, rng, self.elastic_alpha, self.elastic_sigma, self.shape,
                                   dtype)
            dy += ey
            dx += ex
        return warp(X, dy, dx, self.shape)

    def config(self):
        return dict(max_shift=self.max_shift, rotation=self.rotation, scale=self.scale,
                    shear=self.shear, elastic_alpha=self.elastic_alpha,
                    elastic_sigma=self.elastic_sigma, whole_pixels=self.whole_pixels)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.config().items())
        return f"Distortion({args})"


def accuracy_under_shift(net, X, y, shifts=(0, 1, 2, 3), shape=SHAPE):
    """Test accuracy of ``net`` on X moved by each whole-pixel distance in ``shifts``: for
    distance k, the mean over the four moves k up, down, left, right. Returns {k: accuracy}.

    How a plain MLP fails: its inputs are pixels, not shapes, so a digit moved by 2 pixels
    is, to it, a different pattern (chapter 10)."""
    y = np.asarray(y)
    result = {}
    for k in shifts:
        moves = [(0, 0)] if k == 0 else [(k, 0), (-k, 0), (0, k), (0, -k)]
        result[k] = float(np.mean([(net.predict(shift(X, dy, dx, shape)) == y).mean()
                                   for dy, dx in moves]))
    return result
