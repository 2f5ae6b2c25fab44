"""Audio of every page: a content-addressed clip cache, a lock record, and the report.

audio/clips/<key>.mp3   clips of page sections, named by clip_key(text, language, engine, voice):
                        committed; a page's clip is its sections' clips joined when it is published
audio/lock.json         page (and entitlement) and language -> text hash, engine, clip, duration, bytes
audio/recordings/<lang>/<page>.mp3   human recordings dropped in by staff; always win

Only regular files inside the repository are read: a symbolic link under audio/ is refused, and
a recording is checked to be an MP3 before anything is copied into the clip cache. A page with
errors keeps its clip and lock entry as they are. A damaged lock.json is reported in one line and
either refused (reading) or rebuilt from the clips (making audio).

While audio is made, new clips go to .cache/audio-staged/ (see `staging`), never into audio/: only
a run that ends without a problem moves them in, writes the lock and prunes (AudioGenerator.commit),
so a failed or stopped run leaves audio/ byte for byte as it was. Its clips stay staged, and the
next run uses them instead of synthesising the same words again.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from ..content.errors import PortalError
from ..content.files import (
    atomic_write,
    display,
    publish_copy,
    read_text,
    refuse_unsafe_file,
)
from ..content.pages import Content
from ..speech.text import text_hash
from .join import join_mp3
from .lock import CLIP_NAME, PUBLISHED, Entry, LockDamaged, parse_lock

RECORDING = "recording"
FILE_MODE = 0o644  # clips and published files: readable by the web server, writable by their owner
CHARS_PER_SECOND = (4.0, 40.0)  # outside this a clip is truncated or garbled
SHORT_TEXT = 40  # characters: below this the rate is not checked


class AudioLibrary:
    def __init__(self, audio_dir: Path, repair: bool = False):
        """`repair`: a damaged lock.json is set aside (see `damaged`) and rebuilt from the clips by
        the next generate(); without it, a damaged lock.json is a PortalError naming it."""
        self.dir = Path(audio_dir)
        self.root = self.dir.parent
        self.clips = self.dir / "clips"
        self.recordings = self.dir / "recordings"
        self.lock_path = self.dir / "lock.json"
        # Set by the generator for its run: where new clips are written, and found, until committed.
        self.staging: Path | None = None
        self.damaged: str | None = None
        self.lock: dict[str, Entry] = self._read_lock(repair)

    def show(self, path: Path) -> str:
        return display(path, self.root)

    def _read_lock(self, repair: bool) -> dict[str, Entry]:
        if not os.path.lexists(self.lock_path):
            return {}
        refuse_unsafe_file(self.lock_path, self.root)
        text = read_text(self.lock_path, self.root)
        try:
            return parse_lock(text)
        except LockDamaged as damage:
            shown = f"{self.show(self.lock_path)}:{damage.line}: lock"
            if repair:
                self.damaged = f"{shown}: was damaged ({damage.reason}); rebuilt it from the clips in audio/clips/"
                return {}
            raise PortalError(f"{shown}: is damaged ({damage.reason}); run `make audio` to rebuild it from the "
                              "clips in audio/clips/, or restore it with `git checkout audio/lock.json`") from None

    def save_lock(self) -> None:
        data = {key: _without_empty_parts(asdict(self.lock[key])) for key in sorted(self.lock)}
        atomic_write(self.lock_path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    def prune(self) -> list[str]:
        """Remove clips no page uses any more, so the repository carries only live audio."""
        live = {clip for entry in self.lock.values() for clip in entry.parts or [entry.clip]}
        removed = []
        for path in self.clips.glob("*.mp3") if self.clips.is_dir() and not self.clips.is_symlink() else []:
            if path.name not in live:
                path.unlink()
                removed.append(path.name)
        return removed

    def clip_path(self, name: str) -> Path:
        """The clip in audio/clips/, or during a run the one made in this run or a failed one."""
        if not CLIP_NAME.fullmatch(name):
            raise PortalError(f"{self.show(self.lock_path)}:1: lock: {name!r} is not a clip name; "
                              "run `make audio` to rebuild audio/lock.json")
        staged = self.staged_path(name)
        return staged if staged is not None and _is_plain_clip(staged) else self.clips / name

    def staged_path(self, name: str) -> Path | None:
        """Where this run writes a new clip: never audio/ itself (see the module's docstring)."""
        return self.staging / name if self.staging is not None and CLIP_NAME.fullmatch(name) else None

    def has_clip(self, name: str) -> bool:
        """The clip is a regular file in audio/clips/ (or staged), not a link to anywhere."""
        path = self.clip_path(name)
        if path.parent == self.staging:
            return True
        return path.is_file() and not path.is_symlink() and not self.clips.is_symlink() and not self.dir.is_symlink()

    def commit_staged(self) -> None:
        """Move this run's clips that the lock uses into audio/clips/, drop the rest, then write the
        lock and prune: the end of a run that found no problem."""
        live = {clip for entry in self.lock.values() for clip in entry.parts or [entry.clip]}
        if self.staging is not None and self.staging.is_dir() and not self.staging.is_symlink():
            for path in sorted(self.staging.glob("*.mp3")):
                if path.name in live and _is_plain_clip(path):
                    self.clips.mkdir(parents=True, exist_ok=True)
                    os.replace(path, self.clips / path.name)
                else:
                    path.unlink()
        self.save_lock()
        self.prune()

    def recording_for(self, lang: str, rel: str) -> Path | None:
        """The human recording for this page, if one is there (a link counts: it is refused later)."""
        path = self.recordings / lang / (rel[: -len(".md")] + ".mp3")
        return path if os.path.lexists(path) else None

    def has_audio(self, entry: Entry) -> bool:
        """The entry's clip, or every part it is joined from, is a regular file in audio/clips/."""
        return all(self.has_clip(part) for part in entry.parts or [entry.clip])

    def joined(self, entry: Entry) -> bytes:
        """The entry's clip as published: its parts joined, checked against the lock's size."""
        data = join_mp3([(self.show(self.clip_path(p)), self.clip_path(p).read_bytes()) for p in entry.parts]).data
        if len(data) != entry.bytes:
            raise PortalError(f"{self.show(self.lock_path)}:1: lock: {entry.lang}/{entry.page} joins to {len(data)} "
                              f"bytes, not the {entry.bytes} recorded; run `make audio`")
        return data

    def entitlement(self, lang: str, rel: str, ident: str, text: str) -> Entry | None:
        """The published clip of one entitlement's section, if it matches the words heard."""
        entry = self.lock.get(f"{lang}/{rel}#{ident}")
        if entry and entry.text_hash == text_hash(text) and self.has_clip(entry.clip):
            return entry
        return None

    def has_entry(self, lang: str, rel: str) -> bool:
        """Whether the lock knows this page at all: if not, its speech text need not be made."""
        return f"{lang}/{rel}" in self.lock

    def current(self, lang: str, rel: str, text: str) -> Entry | None:
        """The published clip for this page text, if one exists; never synthesises, never follows a link."""
        recording = self.recording_for(lang, rel)
        entry = self.lock.get(f"{lang}/{rel}")
        if recording is not None:
            if entry and entry.engine == RECORDING and self.has_clip(entry.clip) and _is_plain_file(recording, self):
                return entry
            return None
        if entry and entry.text_hash == text_hash(text) and self.has_audio(entry):
            return entry
        return None


def _is_plain_clip(path: Path) -> bool:
    return path.is_file() and not path.is_symlink() and not path.parent.is_symlink()


def _without_empty_parts(data: dict) -> dict:
    for name in ("parts", "voices"):
        if not data.get(name):
            data.pop(name, None)
    return data


def _is_plain_file(path: Path, library: AudioLibrary) -> bool:
    try:
        refuse_unsafe_file(path, library.root)
    except PortalError:
        return False
    return path.is_file()


def voiced_pages(content: Content) -> list[tuple[str, str]]:
    """Every page that has its own text: English, and each translation that exists."""
    return [(lang, rel) for lang, pages in content.pages.items() for rel in sorted(pages)]


def validate(path: Path, text: str) -> tuple[float, int]:
    # Imported here: the engines bring in requests, which a build that only reads the lock never uses.
    from .engines import MAX_BITRATE, SynthesisError, measure

    duration, size, bitrate = measure(path)
    if size == 0 or duration <= 0:
        raise SynthesisError("the clip is empty")
    if bitrate > MAX_BITRATE:
        raise SynthesisError(f"the clip is {bitrate // 1000} kbit/s, over the 48 kbit/s limit")
    rate = len(text) / duration
    low, high = CHARS_PER_SECOND
    # A section as short as a page title is mostly the voice's own pauses: its rate says nothing.
    if len(text) >= SHORT_TEXT and not low <= rate <= high:
        raise SynthesisError(f"the clip is {duration:.1f} s for {len(text)} characters: truncated or garbled")
    return duration, size


def copy_clip(library: AudioLibrary, name: str, site_dir: Path) -> None:
    """Publish a clip under site/audio/, hard-linked where the file system allows; mode 0644.
    A page's joined clip is written from its parts."""
    target = site_dir / PUBLISHED / name
    if target.exists():
        return
    joined = next((entry for entry in library.lock.values() if entry.clip == name and entry.parts), None)
    if joined is not None:
        for part in joined.parts:
            if not library.has_clip(part):
                raise PortalError(f"{library.show(library.clip_path(part))}:1: file: is not a regular file in "
                                  "audio/clips/ (a link, or missing); replace it with the file itself, "
                                  "or run `make audio`")
        # Joining reads every part: keep the joined clip (named by its content, like every clip).
        kept = library.root / ".cache" / "joined" / name
        if not (kept.is_file() and not kept.is_symlink() and kept.stat().st_size == joined.bytes):
            atomic_write(kept, library.joined(joined))
            os.chmod(kept, FILE_MODE)
        publish_copy(kept, target, FILE_MODE)
        return
    source = library.clip_path(name)
    if not library.has_clip(name):
        raise PortalError(f"{library.show(source)}:1: file: is not a regular file in audio/clips/ (a link, or "
                          "missing); replace it with the file itself, or run `make audio`")
    publish_copy(source, target, FILE_MODE)
