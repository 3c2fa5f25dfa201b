"""softplus: x ↦ log(1 + exp(x)) (the corpus's use of `log`; its argument is > 0
everywhere)."""

from math import exp, log


def softplus(x):
    return log(1.0 + exp(x))
