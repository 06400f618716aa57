"""The drill generators, grouped by theme; importing this package registers them all.

To add a drill, write a pure function `(rng) -> Drill` in the module of its theme, decorate it with
`@generator(name, topics, title)`, and give it an independent check and a plausible range in
`tests/test_drills.py` (a test fails until both exist).
"""

from prep.drills.generators import cnn, compute, layers, memory, numerics, parallel

__all__ = ["cnn", "compute", "layers", "memory", "numerics", "parallel"]
