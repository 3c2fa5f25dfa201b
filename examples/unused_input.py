"""unused_input: (x, y) ↦ sin(x); y is never used, so its gradient entry is a zero —
the one place symbolic zeros (issue 14) materialise one: f.T's results."""

from math import sin


def unused_input(x, y):
    return sin(x)
