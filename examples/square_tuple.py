"""square_tuple: x ↦ x·x through a tuple: p = (x, x), a, b = p, a·b (mirrors the Dex
prototype's tests)."""


def square_tuple(x):
    p = (x, x)
    a, b = p
    return a * b
