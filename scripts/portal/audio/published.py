"""The clips a build publishes: each page's, and each entitlement's, found from the lock.

One `PublishedAudio` per build. The build's pages, the finder and the open data all ask it, so a
clip is published (added to `clips`, which the clips writer copies into site/audio/) exactly when
something links to it. Speech text is made once per page and voice, never by the callers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..content import languages
from ..content.pages import Content
from ..render.speech import SiteSpeech
from ..speech.sections import Section, joined_text, section_ids
from .library import RECORDING, AudioLibrary
from .lock import Entry, published_path
from .roles import read_roles, role_key

COMPUTER, RECORDED, MIXED = "computer", "recording", "mixed"  # MIXED: some sections recorded, the rest a computer


@dataclass(frozen=True)
class PublishedClip:
    path: str  # from the site root: "audio/<clip>.mp3"
    voice_lang: str  # the language heard: English on a page not yet translated
    voice: str  # COMPUTER, RECORDED or MIXED
    role: str  # for a recording (or the recorded part of a mixed clip), one of ROLES; "" for a computer voice
    duration: float
    bytes: int


class PublishedAudio:
    def __init__(self, content: Content, library: AudioLibrary, speech: SiteSpeech, clips: set[str]):
        """`speech`: the run's speech text (made by the audio step, or kept by earlier builds from the
        same inputs), so an unchanged page's sections are not rendered again just to check that its
        clips are current."""
        self.content, self.library, self.speech, self.clips = content, library, speech, clips
        self._roles: dict[str, str] | None = None

    def page_clip(self, voice_lang: str, rel: str) -> PublishedClip | None:
        """The clip of a page as heard in `voice_lang`."""
        if os.environ.get("PORTAL_AUDIO") == "off":  # the benchmark's baseline build
            return None
        if not self.library.has_entry(voice_lang, rel):
            return None  # no clip was ever made (no voice for the language): skip making its speech text
        entry = self.library.current(voice_lang, rel, joined_text(self.sections(voice_lang, rel)))
        return self._publish(entry, voice_lang, rel) if entry else None

    def entitlement_clip(self, lang: str, ident: str) -> PublishedClip | None:
        """The clip of one entitlement's section, for a reader of `lang`: from the translated page
        where there is one, else from the English page (and then `voice_lang` is English)."""
        if os.environ.get("PORTAL_AUDIO") == "off":
            return None
        entitlement = self.content.offer.get(lang, ident)
        if entitlement is None:
            return None
        rel = entitlement.rel
        voice_lang = lang if rel in self.content.pages.get(lang, {}) else languages.DEFAULT.code
        if f"{voice_lang}/{rel}#{ident}" not in self.library.lock:
            return None
        section = next((s for s in self.sections(voice_lang, rel) if s.entitlement == ident), None)
        entry = self.library.entitlement(voice_lang, rel, ident, section.text) if section else None
        return self._publish(entry, voice_lang, rel, ident) if entry else None

    def sections(self, voice_lang: str, rel: str) -> list[Section]:
        return self.speech.sections(voice_lang, rel)

    def _publish(self, entry: Entry, voice_lang: str, rel: str, ident: str | None = None) -> PublishedClip:
        """`ident`: the entitlement whose section this clip is, None for the page's clip."""
        self.clips.add(entry.clip)
        if entry.voices and RECORDING in entry.voices:  # a page whose sections a person recorded
            ids = section_ids(self.sections(voice_lang, rel))
            roles = {self.role(voice_lang, rel, ids[i]) for i, voice in enumerate(entry.voices)
                     if voice == RECORDING and i < len(ids)}
            role = roles.pop() if len(roles) == 1 else "person"
            kind = RECORDED if set(entry.voices) == {RECORDING} else MIXED
            return PublishedClip(published_path(entry.clip), voice_lang, kind, role, entry.duration, entry.bytes)
        recorded = entry.engine == RECORDING
        return PublishedClip(published_path(entry.clip), voice_lang, RECORDED if recorded else COMPUTER,
                             self.role(voice_lang, rel, ident) if recorded else "", entry.duration, entry.bytes)

    def role(self, lang: str, rel: str, ident: str | None = None) -> str:
        """Who recorded a page (or, with `ident`, its section), from audio/recordings/roles.yml;
        "person" where it does not say. An entitlement's clip recorded with the whole page has none of its own."""
        if self._roles is None:
            self._roles = read_roles(self.library.recordings / "roles.yml", self.library.root)
        return self._roles.get(role_key(lang, rel, ident), "person")
