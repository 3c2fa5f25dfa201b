"""square: x ↦ x·x."""


def square(x):
    return x * x
