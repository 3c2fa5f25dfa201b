"""hypot: (x, y) ↦ sqrt(x² + y²)."""

from math import sqrt


def hypot(x, y):
    return sqrt(x ** 2 + y ** 2)
