"""The audio stage's one internal failure: a clip that could not be made or joined.

Its own module so that joining clips, which a build does, does not import the speech engines and
their HTTP stack, which only `make audio` uses.
"""

from __future__ import annotations


class SynthesisError(Exception):
    """A clip could not be made; the message says why, for the audio report."""
