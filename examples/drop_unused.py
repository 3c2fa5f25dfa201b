"""drop_unused: x ↦ sin(x), after computing a square it never uses.

The compiler discards the unused square with `let (;) = drop(sq) in …` (Linear A has
no weakening).
"""

from math import sin


def drop_unused(x):
    sq = x * x
    return sin(x)
