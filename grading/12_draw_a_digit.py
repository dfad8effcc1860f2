"""Chapter 12 (draw a digit): hidden tests, points and wrong answers of its exercises."""
import numpy as np

from mlp.book.exercises import check, check_function, check_true
from mlp.book.grading import Exercise, hidden_rng
from mlp.data import preprocess

SEED = 0  # tools/assignments.py writes the teacher's seed here


def blob_image(r, shape):
    """A random image with ink in a random box and zeros around it."""
    image = np.zeros(shape)
    top, left = int(r.integers(0, shape[0] - 2)), int(r.integers(0, shape[1] - 2))
    bottom, right = int(r.integers(top + 1, shape[0] + 1)), int(r.integers(left + 1, shape[1] + 1))
    image[top:bottom, left:right] = r.random((bottom - top, right - left)) + 0.2
    return image


# ---- ch12-ex-com ----------------------------------------------------------------------------
com = Exercise("ch12-ex-com", points=2)


@com.hidden
def other_images(centre_of_mass):
    "non-square images, one lit pixel, ink off-centre"
    r = hidden_rng(SEED, "com")
    one = np.zeros((9, 4))
    one[7, 1] = 0.5
    images = [blob_image(r, (11, 6)), blob_image(r, (5, 13)), one, r.random((3, 3))]
    check_function(centre_of_mass, preprocess.centre_of_mass, images, name="centre_of_mass")


com.wrong("rows and columns swapped", "def centre_of_mass(image):\n    image = np.asarray(image, dtype=float)\n"
          "    mass = image.sum()\n    row = (image.sum(axis=0) * np.arange(image.shape[1])).sum() / mass\n"
          "    column = (image.sum(axis=1) * np.arange(image.shape[0])).sum() / mass\n    return row, column")
com.wrong("counted from 1", "def centre_of_mass(image):\n    image = np.asarray(image, dtype=float)\n"
          "    mass = image.sum()\n    row = (image.sum(axis=1) * np.arange(1, image.shape[0] + 1)).sum() / mass\n"
          "    column = (image.sum(axis=0) * np.arange(1, image.shape[1] + 1)).sum() / mass\n"
          "    return row, column")
com.wrong("the mean position of the inked pixels, not weighted", "def centre_of_mass(image):\n"
          "    rows, cols = np.nonzero(np.asarray(image) > 0)\n    return rows.mean(), cols.mean()")

# ---- ch12-ex-crop ---------------------------------------------------------------------------
crop = Exercise("ch12-ex-crop", points=2)


def reference_crop(image, threshold=0.1):
    top, bottom, left, right = preprocess.bounding_box(image, threshold)
    return image[top:bottom, left:right]


@crop.hidden
def other_images_and_thresholds(crop_to_ink):
    "ink touching the edges, other thresholds, a pixel exactly at the threshold"
    r = hidden_rng(SEED, "crop")
    edge = np.zeros((6, 8))
    edge[0, 3], edge[5, 7], edge[2, 0] = 0.9, 0.4, 0.3
    tie = np.zeros((5, 5))
    tie[1, 1], tie[3, 3] = 0.5, 0.25
    cases = [blob_image(r, (12, 9)), (edge, 0.2), (tie, 0.25), (blob_image(r, (7, 7)), 0.5)]
    check_function(crop_to_ink, reference_crop, cases, name="crop_to_ink")


crop.wrong("the last row and column cut off", "def crop_to_ink(image, threshold=0.1):\n"
           "    ink = image > threshold\n    rows, cols = np.flatnonzero(ink.any(axis=1)), "
           "np.flatnonzero(ink.any(axis=0))\n    return image[rows[0]:rows[-1], cols[0]:cols[-1]]")
crop.wrong("ink at or above the threshold", "def crop_to_ink(image, threshold=0.1):\n"
           "    ink = image >= threshold\n    rows, cols = np.flatnonzero(ink.any(axis=1)), "
           "np.flatnonzero(ink.any(axis=0))\n    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]",
           tuned=True)
crop.wrong("returns its input", "def crop_to_ink(image, threshold=0.1):\n    return image")

# ---- ch12-ex-blank --------------------------------------------------------------------------
blank = Exercise("ch12-ex-blank", points=2)


@blank.hidden
def what_the_network_says(blank_digit, blank_p, small):
    "the class and probability `small` gives an all-zero input"
    p = small.predict_proba(np.zeros((1, 784)))[0]
    check(blank_digit, int(p.argmax()), name="blank_digit")
    check(blank_p, float(p.max()), name="blank_p", rtol=1e-5)


@blank.hidden
def why_it_is_refused(refused_because):
    "why to_mnist refuses a blank canvas"
    check_true(refused_because == 2, "refused_because is not the true statement: with no ink, "
               "what is left of z = x W + b in the first layer?")


blank.wrong("guessed: read as 0 with certainty", "blank_digit, blank_p = 0, 1.0\nrefused_because = 3")
blank.wrong("the least likely class", "p_blank = small.predict_proba(np.zeros((1, 784)))[0]\n"
            "blank_digit, blank_p = int(p_blank.argmin()), float(p_blank.min())\nrefused_because = 2",
            score=1)
blank.wrong("the network would crash", "p_blank = small.predict_proba(np.zeros((1, 784)))[0]\n"
            "blank_digit, blank_p = int(p_blank.argmax()), float(p_blank.max())\nrefused_because = 1",
            score=1)

# ---- ch12-ex-scale --------------------------------------------------------------------------
scale_ex = Exercise("ch12-ex-scale", points=1)


@scale_ex.hidden
def shrink_factor(scale):
    "the factor that fits 140 x 80 into 20 x 20"
    check(scale, 1 / 7, name="scale", rtol=1e-9)


scale_ex.wrong("fitted to the width", "scale = 20 / 80")
scale_ex.wrong("the inverse", "scale = 140 / 20")
scale_ex.wrong("both sides squeezed to 20 (average)", "scale = 20 / ((140 + 80) / 2)")

# ---- ch12-ex-softmax ------------------------------------------------------------------------
softmax_ex = Exercise("ch12-ex-softmax", points=1)


@softmax_ex.hidden
def probabilities(p):
    "the softmax of the ten scores"
    z = np.array([2.0, -1.0, 0.5, 9.0, 3.0, 0.0, -2.0, 8.5, 1.0, 4.0])
    e = np.exp(z - z.max())
    check(p, e / e.sum(), name="p", rtol=1e-6)


softmax_ex.wrong("not normalised", "z = np.array([2.0, -1.0, 0.5, 9.0, 3.0, 0.0, -2.0, 8.5, 1.0, 4.0])\n"
                 "p = np.exp(z - z.max())")
softmax_ex.wrong("scores divided by their sum", "z = np.array([2.0, -1.0, 0.5, 9.0, 3.0, 0.0, -2.0, 8.5, "
                 "1.0, 4.0])\np = z / z.sum()")
softmax_ex.wrong("the log-probabilities", "z = np.array([2.0, -1.0, 0.5, 9.0, 3.0, 0.0, -2.0, 8.5, 1.0, 4.0])\n"
                 "p = z - z.max() - np.log(np.exp(z - z.max()).sum())")
