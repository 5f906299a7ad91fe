"""The ``engagebot`` sub-commands, one module each (each exposes ``register``)."""
