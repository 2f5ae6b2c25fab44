"""A page some of whose sections a person recorded (audio/recordings.py): each recorded section
plays its recording, the other sections one engine's clips, and the page's clip joins them in
page order. A section is never part recorded and part generated: a recording that is out of date is
not used at all, and that section is spoken by the engine, or has no voice where none exists.

The page's own clip is made only when every section has a voice; an entitlement's player plays its
section's clip whenever that section has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.errors import PortalError
from ..speech.sections import Section, joined_text
from ..speech.text import text_hash
from .engines import SynthesisError, measure
from .join import joined_name
from .library import RECORDING, validate
from .lock import Entry
from .recordings import CURRENT, SectionRecording, check_recording, recording_problem, section_clip, why_not_played


@dataclass
class Mixed:
    page_entry: Entry | None = None  # None: not every section has a voice, so the page has no clip of its own
    synthesised: bool = False
    note: str = ""
    voices: list[str | None] = field(default_factory=list)
    problem: str = ""  # a recording staff must fix: the page's audio is left as it was


def voice_mixed(generator, lang: str, rel: str, sections: list[Section], found: dict[int, SectionRecording],
                upgrade: bool) -> Mixed:
    """`generator`: the AudioGenerator of the run (its library, engines and lock)."""
    library = generator.library
    clips: list[str | None] = [None] * len(sections)
    voices: list[str | None] = [None] * len(sections)
    notes: list[str] = []
    for index, recording in sorted(found.items()):
        shown = library.show(recording.path)
        if recording.state != CURRENT:
            notes.append(why_not_played(recording, shown))
            continue
        try:
            check_recording(recording.path, library.root, shown)
            clip = section_clip(recording.path, library.staged_path, library.has_clip)
            validate(library.clip_path(clip), sections[index].text)  # its length fits its words
        except SynthesisError as error:
            notes.append(f"{shown}: not played: {error}; record it again with `make record LANG={lang}`")
            continue
        except PortalError as error:
            generator.problems.append(recording_problem(error, shown))
            return Mixed(problem=str(generator.problems[-1]))
        clips[index], voices[index] = clip, RECORDING
    others = [index for index, clip in enumerate(clips) if clip is None]
    spoken, reasons = generator._speak(lang, [sections[i] for i in others], upgrade) if others else (None, [])
    if spoken is not None:
        for index, clip in zip(others, spoken.clips):
            clips[index], voices[index] = clip, spoken.engine
    preferred = generator.preferred(lang)
    entries = {}
    for index, section in enumerate(sections):
        if section.entitlement and clips[index]:
            duration, size, _ = measure(library.clip_path(clips[index]))
            entries[f"{lang}/{rel}#{section.entitlement}"] = Entry(
                rel, lang, text_hash(section.text), voices[index], clips[index], round(duration, 2), size,
                voices[index] not in (RECORDING, preferred))
    page_entry = None
    if all(clips):
        engine = spoken.engine if spoken is not None else RECORDING
        provisional = spoken is not None and spoken.engine != preferred
        try:
            joined = generator._join(clips)
        except SynthesisError as error:
            notes.append(f"the page's clip cannot be made ({error}); each section plays on its own")
        else:
            page_entry = Entry(rel, lang, text_hash(joined_text(sections)), engine, joined_name(clips),
                               round(joined.seconds, 2), len(joined.data), provisional, list(clips), list(voices))
    elif others and spoken is None:
        notes.append("; ".join(reasons) or "no engine configured")
    generator.store(lang, rel, entries, page_entry)
    note = "; ".join(notes + (reasons if page_entry else []))
    return Mixed(page_entry, bool(spoken and spoken.synthesised), note, voices)
