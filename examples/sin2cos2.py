"""sin2cos2: x ↦ (sin x)² + (cos x)², identically 1 (its derivative is identically 0)."""

from math import cos, sin


def sin2cos2(x):
    s = sin(x)
    c = cos(x)
    return s * s + c * c
