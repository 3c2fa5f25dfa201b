"""sincos: x ↦ sin(x)·cos(x)."""

import math


def sincos(x):
    return math.sin(x) * math.cos(x)
