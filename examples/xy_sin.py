"""xy_sin: (x, y) ↦ x·y + sin(x)."""

import jax.numpy as jnp


def xy_sin(x, y):
    return x * y + jnp.sin(x)
