#!/usr/bin/env python3
"""Reference HOG and hue-histogram values from scikit-image.

This is how crates/nnlab/tests/fixtures/hog_reference.json was produced;
crates/nnlab/tests/hog_vs_skimage.rs compares nnlab's features::hog and
features::colour_histogram against it. The images are synthetic and seeded
(edges, ramps, stripes, a checkerboard, rings, noise, colours on the hue
bins' edges), never CIFAR-10 data. Regenerate with:

    python3 -m venv /tmp/hogenv && /tmp/hogenv/bin/pip install scikit-image
    /tmp/hogenv/bin/python tools/hog_reference.py > crates/nnlab/tests/fixtures/hog_reference.json

(Produced with scikit-image 0.26.0 and numpy 2.4.6; the versions are written
into the file.) For each 32x32 RGB image it records:

    hog            skimage.feature.hog(rgb2gray(image), orientations=9,
                       pixels_per_cell=(8, 8), cells_per_block=(2, 2),
                       block_norm='L2-Hys', feature_vector=True)   (324 values)
    cells          the 4x4 cells' 9-bin orientation histograms hog() builds
                   before normalising blocks, from scikit-image's own
                   (private) _hog_channel_gradient and
                   _hoghistogram.hog_histograms, checked here to give hog()
    hue_histogram  numpy.histogram(rgb2hsv(image)[..., 0], bins=10,
                       range=(0, 1))[0] / 1024

The grey image is rgb2gray's (0.2125 R + 0.7154 G + 0.0721 B on bytes scaled
by 1/255), as nnlab's features::grey computes it. Images are stored as hex of
their planar bytes (all of red row by row, then green, then blue), the layout
of a CIFAR-10 record; values are rounded to 12 significant digits.
"""

import json

import numpy as np
import skimage
from skimage.color import rgb2gray, rgb2hsv
from skimage.feature import _hoghistogram, hog
from skimage.feature._hog import _hog_channel_gradient, _hog_normalize_block

SIZE = 32
ORIENTATIONS = 9
CELL = 8
BLOCK = 2


def image_from(channels):
    """An HxWx3 uint8 image from three float arrays, clipped to 0..255."""
    return np.clip(np.rint(np.stack(channels, axis=-1)), 0, 255).astype(np.uint8)


def images():
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(float)
    out = {}
    # A vertical edge between two colours: all gradient at 0 degrees.
    left = x < 16
    out["vertical-edge"] = image_from(
        [np.where(left, 30, 250), np.where(left, 60, 180), np.where(left, 200, 20)]
    )
    # Brightness rising down the image: all gradient at 90 degrees.
    out["vertical-ramp"] = image_from([6 * y + 20, 5 * y + 40, 4 * y + 10])
    # Diagonal stripes: one oblique orientation everywhere.
    phase = (x + 2 * y) / 3
    out["diagonal-stripes"] = image_from(
        [128 + 100 * np.sin(phase), 128 + 90 * np.sin(phase + 1), 128 + 80 * np.cos(phase)]
    )
    # A checkerboard of 4-pixel squares in two colours.
    dark = ((x // 4 + y // 4) % 2) == 0
    out["checkerboard"] = image_from(
        [np.where(dark, 200, 20), np.where(dark, 30, 120), np.where(dark, 30, 240)]
    )
    # Rings around an off-centre point: every orientation.
    r = np.hypot(x - 15.3, y - 12.6)
    out["rings"] = image_from(
        [128 + 110 * np.cos(r / 2), 128 + 60 * np.sin(r / 3), 90 + 0 * r]
    )
    # Seeded uniform noise.
    out["noise"] = np.random.default_rng(7).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    # Stripes of colours whose hue is exactly k/10 (on a bin edge), pure
    # colours and grey: the hue histogram must bin them exactly as numpy does.
    colours = [
        (255, 153, 0), (170, 102, 0), (204, 255, 0), (51, 255, 0), (0, 255, 102),
        (0, 255, 255), (0, 102, 255), (51, 0, 255), (204, 0, 255), (255, 0, 153),
        (255, 0, 0), (255, 255, 0), (0, 255, 0), (0, 0, 255), (255, 0, 255), (90, 90, 90),
    ]
    stripes = np.array([colours[int(c) % len(colours)] for c in (x + y).ravel()], dtype=np.uint8)
    out["hue-edges"] = stripes.reshape(SIZE, SIZE, 3)
    return out


def cells_of(grey):
    g_row, g_col = _hog_channel_gradient(grey)
    n = SIZE // CELL
    cells = np.zeros((n, n, ORIENTATIONS), dtype=float)
    _hoghistogram.hog_histograms(
        g_col.astype(float), g_row.astype(float), CELL, CELL, SIZE, SIZE, n, n, ORIENTATIONS, cells
    )
    return cells


def features(image):
    grey = rgb2gray(image)
    vector = hog(
        grey,
        orientations=ORIENTATIONS,
        pixels_per_cell=(CELL, CELL),
        cells_per_block=(BLOCK, BLOCK),
        block_norm="L2-Hys",
        feature_vector=True,
    )
    cells = cells_of(grey)
    # The cells must be what hog() normalised.
    blocks = [
        _hog_normalize_block(cells[r : r + BLOCK, c : c + BLOCK, :], method="L2-Hys")
        for r in range(SIZE // CELL - BLOCK + 1)
        for c in range(SIZE // CELL - BLOCK + 1)
    ]
    assert np.array_equal(np.concatenate([b.ravel() for b in blocks]), vector)
    hue = rgb2hsv(image)[..., 0]
    counts, _ = np.histogram(hue, bins=10, range=(0, 1))
    return vector, cells, counts / hue.size


def rounded(values):
    return [float(f"{v:.12g}") for v in np.asarray(values, dtype=float).ravel()]


def main():
    records = []
    for name, image in images().items():
        vector, cells, hues = features(image)
        planar = np.transpose(image, (2, 0, 1)).tobytes()
        records.append(
            {
                "name": name,
                "height": SIZE,
                "width": SIZE,
                "planar_rgb_hex": planar.hex(),
                "cells": rounded(cells),
                "hog": rounded(vector),
                "hue_histogram": rounded(hues),
            }
        )
    document = {
        "generator": "tools/hog_reference.py",
        "scikit_image": skimage.__version__,
        "numpy": np.__version__,
        "images": records,
    }
    print(json.dumps(document, indent=1))


if __name__ == "__main__":
    main()
