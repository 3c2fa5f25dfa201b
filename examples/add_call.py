"""add_call: (x, y) ↦ x + y through a call to a helper (mirrors the Dex prototype's tests)."""


def plus(a, b):
    return a + b


def add_call(x, y):
    return plus(x, y)
