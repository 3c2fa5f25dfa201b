"""shadowing: (x, y) ↦ (sin(x·y) + x·y)², computed by rebinding names.

Each assignment to an existing name (including the parameter x) starts a new binding
that shadows the old one, as in Python.
"""

from math import sin


def shadowing(x, y):
    z = x * y
    x = sin(z)
    z = x + z
    x = z * z
    return x
