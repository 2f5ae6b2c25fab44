"""site/audio/: the clips the pages play, and only those."""

from __future__ import annotations

from ..audio.library import AudioLibrary, copy_clip


def write(build) -> None:
    library = AudioLibrary(build.site.audio_dir)
    for clip in sorted(build.clips):
        copy_clip(library, clip, build.site_dir)
