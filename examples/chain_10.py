"""chain_10: x ↦ sin(sin(… sin(x))), sin applied 10 times (a chain of 10 lets)."""

from math import sin


def chain_10(x):
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    x = sin(x)
    return x
