"""The audio stage's one internal failure: a clip that could not be made or joined.

Its own module so that joining clips, which a build does, does not import the speech engines and
their HTTP stack, which only `make audio` uses.
"""

from __future__ import annotations

from ..content.errors import PortalError


class SynthesisError(PortalError):
    """A clip could not be made or joined; the message says why, for the audio report. A PortalError,
    so one that escapes (joining clips during a build) is one line, never a traceback."""
