"""site/audio/: the clips the pages play, every clip they are joined from, and the list of them
(audio/store.json): the published site is the store the next deploy fetches its clips from
(audio/store.py), so a section whose words did not change is never synthesised again."""

from __future__ import annotations

from ..audio.library import AudioLibrary, copy_clip
from ..audio.lock import PUBLISHED
from ..audio.store import MANIFEST, manifest
from ..content.files import atomic_write


def write(build) -> None:
    library = AudioLibrary(build.site.audio_dir)
    played = set(build.clips)
    parts = {part for entry in library.lock.values() if entry.clip in played for part in entry.parts}
    for clip in sorted(played | {part for part in parts if library.has_clip(part)}):
        copy_clip(library, clip, build.site_dir)
    folder = build.site_dir / PUBLISHED
    names = sorted(path.name for path in folder.glob("*.mp3")) if folder.is_dir() else []
    atomic_write(build.site_dir / MANIFEST, manifest(names))
