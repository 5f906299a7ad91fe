"""Pure domain core: the interaction model, signals, triage, digest, drafting.

No I/O and no clock here: time is always an argument.
"""
