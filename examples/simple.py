"""simple: (x0, x1) ↦ x0·cos(x1) + x0."""

from math import cos


def simple(x0, x1):
    return x0 * cos(x1) + x0
