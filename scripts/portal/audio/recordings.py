"""Human recordings: of a whole page, or of one section of it.

    audio/recordings/<lang>/<page>.mp3                 the whole page (always wins)
    audio/recordings/<lang>/<page>/<section>.mp3       one section of it
    audio/recordings/<lang>/<page>/<section>.txt       the exact words that section recording reads

A page is heard in sections (speech/sections.py): `intro` (the title and the text before the first
entitlement), each entitlement by its id, and `after-<id>` for the text after an entitlement that
is not part of it. So `audio/recordings/ps/offer/travel/free-bus-and-tram.mp3` is the Pashto travel
page's free bus and tram section.

A section recording is played only while its `.txt` holds the words the section says now: when the
page's text changes, the recording is out of date, is not played, and `make audio` and
`make translations` name it until it is recorded again (`make record`) or someone who has listened
confirms that it still says what the page says (`make record-confirm`). So no recording ever plays
words that are not on the page.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import PortalError, Problem
from ..content.files import atomic_write, refuse_unsafe_file
from ..render.speech import SiteSpeech, page_sections
from ..speech.sections import Section, section_ids
from ..speech.text import text_hash
from .engines import TARGET_BITRATE_KBPS, TARGET_SAMPLE_KHZ, SynthesisError, encode_mp3, measure

CURRENT, OUT_OF_DATE, NO_WORDS = "current", "out of date", "no words"
# A recording is read by a person: half an hour is far longer than any page takes, and 40 MB holds
# that at 160 kbit/s. Past either, it is the wrong file, or one no phone should download.
MAX_RECORDING_SECONDS = 30 * 60
MAX_RECORDING_BYTES = 40_000_000


def section_path(recordings: Path, lang: str, rel: str, ident: str) -> Path:
    return recordings / lang / rel[: -len(".md")] / f"{ident}.mp3"


def words_path(recording: Path) -> Path:
    return recording.with_suffix(".txt")


@dataclass(frozen=True)
class SectionRecording:
    index: int  # the section's place on the page
    ident: str
    path: Path
    state: str  # CURRENT, OUT_OF_DATE or NO_WORDS


def section_recordings(recordings: Path, root: Path, lang: str, rel: str,
                       sections: list[Section]) -> dict[int, SectionRecording]:
    """The page's section recordings that are there, each with whether it still says the section's words."""
    folder = recordings / lang / rel[: -len(".md")]
    if not os.path.lexists(folder):
        return {}
    found = {}
    for index, (ident, section) in enumerate(zip(section_ids(sections), sections)):
        path = folder / f"{ident}.mp3"
        if os.path.lexists(path):
            found[index] = SectionRecording(index, ident, path, _state(words_path(path), root, section.text))
    return found


def _state(words: Path, root: Path, text: str) -> str:
    if not os.path.lexists(words):
        return NO_WORDS
    refuse_unsafe_file(words, root)
    said = words.read_text(encoding="utf-8").strip()
    return CURRENT if text_hash(said) == text_hash(text) else OUT_OF_DATE


def why_not_played(recording: SectionRecording, shown: str) -> str:
    """Why a section recording is not played, and what to do, for make audio and make translations."""
    ident = shown.removeprefix("audio/recordings/").removesuffix(".mp3")
    if recording.state == OUT_OF_DATE:
        return (f"{shown}: out of date (the section's words changed since it was recorded; it is not played): "
                f"record it again with `make record LANG={ident.split('/')[0]}`, or, if it still says exactly "
                f"what the page says, `make record-confirm RECORDING={ident}`")
    return (f"{shown}: not played: {words_path(Path(shown)).name} beside it, with the words it reads, is missing; "
            f"`make record-confirm RECORDING={ident}` writes it after you have listened to the recording")


def confirm(recording: Path, text: str) -> None:
    """Someone listened: the recording says the section's current words."""
    atomic_write(words_path(recording), (text.strip() + "\n").encode("utf-8"))


def check_recording(path: Path, root: Path, shown: str) -> tuple[float, int]:
    """A recording's (seconds, bytes) once it is known to be a regular file and a sane MP3;
    PortalError (a SynthesisError when the MP3 itself is wrong) naming the file and the fix."""
    refuse_unsafe_file(path, root)
    if not path.is_file():
        raise PortalError(f"{shown}:1: file: is not a regular file; remove it")
    if path.stat().st_size > MAX_RECORDING_BYTES:
        raise PortalError(f"{shown}:1: recording: is {path.stat().st_size:,} bytes, and a recording may be at most "
                          f"{MAX_RECORDING_BYTES:,}; export it again at 64 kbit/s, or check that this is the right file")
    duration, size, _ = measure(path)
    if duration <= 0 or size == 0:
        raise SynthesisError("it is empty")
    if duration > MAX_RECORDING_SECONDS:
        raise PortalError(f"{shown}:1: recording: lasts {minutes(duration)}, and a recording may last at most "
                          f"{minutes(MAX_RECORDING_SECONDS)}; check that this is the right file")
    return duration, size


def section_clip(path: Path, staged: callable, has_clip: callable) -> str:
    """A section recording as a clip of the generated clips' format (mono, 16 kHz, 24 kbit/s), so it
    joins with them into the page's clip; named by the recording's bytes. `staged(name)` is where a
    new clip is written, `has_clip(name)` whether it exists."""
    data = path.read_bytes()
    name = "rec-" + hashlib.sha256(data).hexdigest()[:28] + ".mp3"
    if has_clip(name):
        return name
    target = staged(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    info = _info(path)
    if info == (1, TARGET_SAMPLE_KHZ * 1000, TARGET_BITRATE_KBPS * 1000):
        atomic_write(target, data)
    else:
        partial = target.with_name(f".partial-{name}")
        try:
            encode_mp3(path, partial, mp3_input=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return name


def _info(path: Path) -> tuple[int, int, int]:
    from mutagen.mp3 import MP3

    info = MP3(path).info
    return info.channels, info.sample_rate, info.bitrate


def minutes(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def recording_problem(error: PortalError, shown: str) -> Problem:
    """A recording's PortalError as a Problem; a SynthesisError means the MP3 itself is wrong."""
    if not isinstance(error, SynthesisError):
        return as_problem(str(error), shown)
    return Problem(shown, 1, "recording", f"is not a valid MP3 recording ({error}); export it again as an MP3 "
                                          "file, or remove it")


def as_problem(message: str, shown: str) -> Problem:
    """A PortalError's `path:line: field: message` back as a Problem."""
    match = re.match(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.*)$", message, re.S)
    if match is None:
        return Problem(shown, 1, "file", message)
    return Problem(match["path"], int(match["line"]), match["field"], match["message"])


def unplayed_recordings(content, recordings: Path, root: Path, speech: SiteSpeech | None = None) -> list[str]:
    """Every section recording that is not played because its words changed (or were never
    given), with what to do: for `make audio` and `make translations`. `speech`: the run's speech
    text, where it has one."""
    found = []
    for lang, pages in sorted(content.pages.items()):
        for rel in sorted(pages):
            if not os.path.lexists(recordings / lang / rel[: -len(".md")]):
                continue
            speech = speech or SiteSpeech(content)
            sections = speech.sections(lang, rel)
            for recording in section_recordings(recordings, root, lang, rel, sections).values():
                if recording.state != CURRENT:
                    found.append(why_not_played(recording, recording.path.relative_to(root).as_posix()))
    return found


def confirm_recording(content, recordings: Path, name: str) -> Path:
    """`make record-confirm RECORDING=ps/offer/travel/free-bus-and-tram`: the section's words now
    written beside its recording; PortalError where no page has that section or no recording is there."""
    lang, _, rest = name.removesuffix(".mp3").partition("/")
    page, _, ident = rest.rpartition("/")
    rel = page + ".md"
    if rel not in content.pages.get(lang, {}):
        raise PortalError(f"audio/recordings/{name}:1: recording: no page docs/{lang}/{rel}; give "
                          "<language>/<page>/<section>, e.g. ps/offer/travel/free-bus-and-tram")
    sections = page_sections(content, lang, rel)
    ids = section_ids(sections)
    if ident not in ids:
        raise PortalError(f"audio/recordings/{name}:1: recording: docs/{lang}/{rel} has no section {ident!r}; "
                          f"its sections are {', '.join(ids)}")
    path = section_path(recordings, lang, rel, ident)
    if not path.is_file():
        raise PortalError(f"{path.relative_to(recordings.parent.parent).as_posix()}:1: recording: is not there; "
                          "record it with `make record`")
    confirm(path, sections[ids.index(ident)].text)
    return words_path(path)
