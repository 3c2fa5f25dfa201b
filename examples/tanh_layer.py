"""tanh_layer: (x0, x1) ↦ 1.5·tanh(0.5·x0 − 0.25·x1 + 0.1) − 0.5·tanh(−0.75·x0 + 0.5·x1 − 0.2),
a two-unit tanh layer with a linear read-out."""

import jax.numpy as jnp


def tanh_layer(x0, x1):
    h0 = jnp.tanh(0.5 * x0 - 0.25 * x1 + 0.1)
    h1 = jnp.tanh(-0.75 * x0 + 0.5 * x1 - 0.2)
    return 1.5 * h0 - 0.5 * h1
