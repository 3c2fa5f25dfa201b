"""norm2: (x, y) ↦ x² + y², the sum of squares, through calls to a `square` helper."""


def square(x):
    return x * x


def norm2(x, y):
    return square(x) + square(y)
