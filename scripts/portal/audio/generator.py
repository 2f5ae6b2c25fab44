"""Making clips: every page in sections, each section's clip cached by its words, the page's clip
joined from them.

One engine speaks a whole page, so a listener never hears the voice change mid-page and the parts
share one MP3 format. An unchanged section keeps its clip: editing one entitlement synthesises
that section again and the page's join, nothing else.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..content.errors import PortalError, Problem
from ..content.files import atomic_write
from ..content.pages import Content
from ..render.speech import SiteSpeech
from ..speech.sections import Section, joined_text
from ..speech.text import clip_key, text_hash
from .engines import SynthesisError, measure
from .join import join_mp3, joined_name
from .library import (
    FILE_MODE,
    RECORDING,
    AudioLibrary,
    validate,
    voiced_pages,
)
from .lock import Entry
from .mixed import voice_mixed
from .recordings import as_problem, check_recording, recording_problem, section_recordings
from .roles import read_roles
from .store import Budget, ClipStore, store_at

# Engines that ask a service on the network: their clips are bounded by a run's budget.
REMOTE_ENGINES = ("gtts",)
STAGING = ".cache/audio-staged"  # a run's new clips until it ends without a problem (AudioLibrary.staging)


@dataclass
class Outcome:
    """One row of the audio report."""

    page: str
    lang: str
    engine: str | None
    provisional: bool
    duration: float | None
    bytes: int | None
    synthesised: bool
    reason: str
    # Who speaks each of the page's sections: RECORDING, an engine's name, or None (no voice yet).
    voices: list[str | None] = field(default_factory=list)

    @property
    def has_audio(self) -> bool:
        return self.engine is not None


@dataclass
class Spoken:
    """One engine's clips for every section of a page."""

    engine: str
    clips: list[str]
    synthesised: bool


class AudioGenerator:
    def __init__(self, library: AudioLibrary, engines: dict, chains: dict[str, list[str]], workers: int = 2,
                 store: ClipStore | None = None, budget: int | None = None):
        self.library = library
        self.engines = engines  # name -> engine object
        self.chains = chains  # lang -> engine names in order of preference
        self.workers = workers
        self.clip_store = store or ClipStore()  # where the last deploy's clips are: fetched, not made again
        self.budget = Budget(budget)  # clips from engines on the network (REMOTE), per run
        self.fetched = 0
        self.problems: list[Problem] = []  # files staff must fix: a broken recording, a link
        self._lock_guard = threading.Lock()  # pages are made in parallel; the lock is one dict

    def chain(self, lang: str) -> list[str]:
        return self.chains.get(lang) or self.chains["default"]

    def preferred(self, lang: str) -> str | None:
        """The best engine that has a voice for this language at all."""
        for name in self.chain(lang):
            if name == RECORDING:
                continue
            if self.engines[name].voice(lang) is not None:
                return name
        return None

    def generate(self, content: Content, upgrade: bool = False, commit: bool = True,
                 speech: SiteSpeech | None = None) -> list[Outcome]:
        """Make missing clips; with upgrade, also retry the preferred engine for provisional ones.

        Everything that can be checked is checked before anything is made: while any page cannot be
        read (a broken front matter) or roles.yml is wrong, nothing is made. A broken page would be
        heard as its broken parse, and other pages draw on it (a translation speaks the entitlements
        of its English page). New clips are staged outside audio/; with `commit`, a run that found
        no problem then moves them in and writes the lock (see commit). Any other ending, a problem
        found midway, an exception or an interruption, leaves audio/ exactly as it was."""
        jobs = voiced_pages(content)
        broken = sorted(page.display_path for pages in content.pages.values() for page in pages.values()
                        if page.problems)
        if broken:
            note = f"left as it was: {broken[0]} has errors; run make check"
            return [self._as_it_was(lang, rel, note) for lang, rel in jobs]
        self._check_roles()
        if self.problems:
            note = f"left as it was: {self.problems[0].path} has errors"
            return [self._as_it_was(lang, rel, note) for lang, rel in jobs]
        speech = speech or SiteSpeech(content)
        self.library.staging = self.library.root / STAGING
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            outcomes = list(pool.map(lambda job: self._one(speech, *job, upgrade), jobs))
        if commit:
            self.commit()
        return outcomes

    def commit(self) -> None:
        """The end of a run: its clips into audio/clips/, the lock written, unused clips pruned.
        Nothing happens after a problem (a broken recording): audio/ stays as it was."""
        if not self.problems:
            self.library.commit_staged()

    def _check_roles(self) -> None:
        """Who recorded each page (audio/recordings/roles.yml) is checked here, before a build needs it."""
        try:
            read_roles(self.library.recordings / "roles.yml", self.library.root)
        except PortalError as error:
            shown = self.library.show(self.library.recordings / "roles.yml")
            self.problems += [as_problem(line, shown) for line in str(error).splitlines()]

    def _as_it_was(self, lang: str, rel: str, note: str) -> Outcome:
        entry = self.library.lock.get(f"{lang}/{rel}")
        if entry is None:
            return Outcome(rel, lang, None, False, None, None, False, note)
        voices = entry.voices or [entry.engine] * max(1, len(entry.parts))
        return Outcome(rel, lang, entry.engine, entry.provisional, entry.duration, entry.bytes, False, note, voices)

    def _one(self, speech: SiteSpeech, lang: str, rel: str, upgrade: bool) -> Outcome:
        sections = speech.sections(lang, rel)
        text = joined_text(sections)
        recording = self.library.recording_for(lang, rel) if RECORDING in self.chain(lang) else None
        if recording is not None:
            outcome = self._use_recording(lang, rel, text, recording)
            # The recording is the page's clip; its entitlements still get a computer voice's clips.
            voiced = [s for s in sections if s.entitlement]
            if voiced and not self._kept(lang, rel, voiced, upgrade):
                spoken, _ = self._speak(lang, voiced, upgrade)
                self._record(lang, rel, voiced, spoken, None)
            return outcome
        found = section_recordings(self.library.recordings, self.library.root, lang, rel, sections) \
            if RECORDING in self.chain(lang) else {}
        if found:
            return self._mixed(lang, rel, sections, found, upgrade)
        kept = self.library.current(lang, rel, text)
        fresh = kept and kept.engine != RECORDING and RECORDING not in kept.voices and not (upgrade and kept.provisional)
        if fresh and self._kept(lang, rel, sections, upgrade):
            note = "kept; run make audio to try the preferred engine" if kept.provisional else ""
            return Outcome(rel, lang, kept.engine, kept.provisional, kept.duration, kept.bytes, False, note,
                           [kept.engine] * len(sections))
        spoken, reasons = self._speak(lang, sections, upgrade)
        if spoken is None:
            self._record(lang, rel, sections, None, text)
            return Outcome(rel, lang, None, False, None, None, False, "; ".join(reasons) or "no engine configured",
                           [None] * len(sections))
        entry = self._record(lang, rel, sections, spoken, text)
        return Outcome(rel, lang, spoken.engine, entry.provisional, entry.duration, entry.bytes, spoken.synthesised,
                       "; ".join(reasons), [spoken.engine] * len(sections))

    def _mixed(self, lang: str, rel: str, sections: list[Section], found: dict, upgrade: bool) -> Outcome:
        """A page some of whose sections a person recorded (mixed.py)."""
        made = voice_mixed(self, lang, rel, sections, found, upgrade)
        if made.problem:
            return self._as_it_was(lang, rel, f"{made.problem}; the page's audio is left as it was")
        entry = made.page_entry
        if entry is None:
            return Outcome(rel, lang, None, False, None, None, made.synthesised, made.note, made.voices)
        return Outcome(rel, lang, entry.engine, entry.provisional, entry.duration, entry.bytes, made.synthesised,
                       made.note, made.voices)

    def _kept(self, lang: str, rel: str, sections: list[Section], upgrade: bool) -> bool:
        """Every entitlement of the page has its current clip (and, with upgrade, a final one)."""
        for section in sections:
            if section.entitlement:
                entry = self.library.lock.get(f"{lang}/{rel}#{section.entitlement}")
                if entry is None or entry.text_hash != text_hash(section.text) or not self.library.has_clip(entry.clip):
                    return False
                if entry.engine == RECORDING:  # its recording is gone: a voice speaks the section again
                    return False
                if upgrade and entry.provisional:
                    return False
        return True

    def _speak(self, lang: str, sections: list[Section], upgrade: bool) -> tuple[Spoken | None, list[str]]:
        """The first engine of the chain that speaks every section; clips already made come first
        unless upgrading (e.g. when the lock was rebuilt from the clips)."""
        chain = [name for name in self.chain(lang) if name != RECORDING]
        names = {name: self._clip_names(name, lang, sections) for name in chain}
        if not upgrade:
            chain.sort(key=lambda name: not (names[name] and all(self.library.has_clip(c) for c in names[name])))
        reasons = []
        for name in chain:
            if names[name] is None:
                reasons.append(f"{name}: no voice for this language")
                continue
            try:
                synthesised = [self._clip(self.engines[name], section, lang, clip)
                               for section, clip in zip(sections, names[name])]
                if len(names[name]) > 1:
                    self._join(names[name])  # parts that cannot be joined fail this engine, not the build
            except SynthesisError as error:
                reasons.append(f"{name}: {error}")
                continue
            except Exception as error:  # an engine that crashes is an engine that failed: the next one speaks
                reasons.append(f"{name}: {type(error).__name__}: {error}")
                continue
            return Spoken(name, names[name], any(synthesised)), reasons
        return None, reasons

    def _clip_names(self, name: str, lang: str, sections: list[Section]) -> list[str] | None:
        voice = self.engines[name].voice(lang)
        if voice is None:
            return None
        return [clip_key(section.text, lang, name, voice) + ".mp3" for section in sections]

    def _clip(self, engine, section: Section, lang: str, clip: str) -> bool:
        """The section's clip, synthesised unless it is cached; True if it was synthesised."""
        path = self.library.clip_path(clip)
        if self.library.has_clip(clip):
            try:
                measure(path)
                return False
            except SynthesisError as error:
                raise SynthesisError(f"the cached clip {self.library.show(path)} is {error}") from None
        if self._fetch(clip, section.text):
            return False
        if engine in self.remote and not getattr(engine, "unreachable", None):
            self.budget.spend()  # an engine stopped for this run asks nobody, so it spends nothing
        self._synthesise(engine, section.text, lang, self.library.staged_path(clip))
        return True

    @property
    def remote(self) -> list:
        """The engines that ask a service on the network, whose requests the budget bounds."""
        return [self.engines[name] for name in REMOTE_ENGINES if name in self.engines]

    def _fetch(self, clip: str, text: str) -> bool:
        """The clip from the store, checked like a clip made now; False if the store has none."""
        data = self.clip_store.fetch(clip) if self.clip_store else None
        if data is None:
            return False
        target = self.library.staged_path(clip)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".fetched-", suffix=".mp3")
        scratch = Path(tmp)
        try:
            with os.fdopen(fd, "wb") as sink:
                sink.write(data)
            validate(scratch, text)
            os.chmod(scratch, FILE_MODE)
            os.replace(scratch, target)
        except SynthesisError:
            return False  # a damaged copy in the store: made again
        finally:
            scratch.unlink(missing_ok=True)
        with self._lock_guard:
            self.fetched += 1
        return True

    def _join(self, parts: list[str]):
        return join_mp3([(self.library.show(self.library.clip_path(p)), self.library.clip_path(p).read_bytes())
                         for p in parts])

    def _record(self, lang: str, rel: str, sections: list[Section], spoken: Spoken | None,
                text: str | None) -> Entry | None:
        """Lock entries for the page (unless `text` is None) and each of its entitlements; the
        page's old entitlement entries go, so a removed entitlement loses its clip."""
        preferred = self.preferred(lang)
        entries: dict[str, Entry] = {}
        page_entry = None
        if spoken is not None:
            provisional = spoken.engine != preferred
            for section, clip in zip(sections, spoken.clips):
                if section.entitlement:
                    duration, size, _ = measure(self.library.clip_path(clip))
                    entries[f"{lang}/{rel}#{section.entitlement}"] = Entry(
                        rel, lang, text_hash(section.text), spoken.engine, clip, round(duration, 2), size, provisional)
            if text is not None and len(spoken.clips) == 1:
                duration, size, _ = measure(self.library.clip_path(spoken.clips[0]))
                page_entry = Entry(rel, lang, text_hash(text), spoken.engine, spoken.clips[0], round(duration, 2),
                                   size, provisional)
            elif text is not None:
                joined = self._join(spoken.clips)
                page_entry = Entry(rel, lang, text_hash(text), spoken.engine, joined_name(spoken.clips),
                                   round(joined.seconds, 2), len(joined.data), provisional, list(spoken.clips))
        self.store(lang, rel, entries, page_entry, text is not None)
        return page_entry

    def store(self, lang: str, rel: str, entries: dict[str, Entry], page_entry: Entry | None,
              page: bool = True) -> None:
        """The page's lock entries replaced by these (its page entry too, unless not `page`)."""
        with self._lock_guard:
            prefix = f"{lang}/{rel}#"
            for key in [key for key in self.library.lock if key.startswith(prefix)]:
                del self.library.lock[key]
            self.library.lock.update(entries)
            if page_entry is not None:
                self.library.lock[f"{lang}/{rel}"] = page_entry
            elif page:
                self.library.lock.pop(f"{lang}/{rel}", None)

    def _synthesise(self, engine, text: str, lang: str, path: Path) -> None:
        """Synthesise into a scratch file; only a validated clip is moved into the cache."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".mp3")
        os.close(fd)
        scratch = Path(tmp)
        try:
            engine.synthesise(text, lang, scratch)
            validate(scratch, text)
            os.chmod(scratch, FILE_MODE)
            # Two pages can share a section, and so a clip, made on two workers at once. An engine need not
            # give the same bytes twice (espeak-ng's library does not), so the first clip stays and every
            # page joins the bytes its lock entry measured.
            try:
                os.link(scratch, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links: the same rule, not atomic
                if not path.exists():
                    os.replace(scratch, path)
        finally:
            scratch.unlink(missing_ok=True)

    def _use_recording(self, lang: str, rel: str, text: str, recording: Path) -> Outcome:
        """A human recording, checked to be a regular file and a valid MP3 before anything is copied."""
        shown = self.library.show(recording)
        try:
            duration, size = check_recording(recording, self.library.root, shown)
        except PortalError as error:
            self.problems.append(recording_problem(error, shown))
            return self._as_it_was(lang, rel, f"{self.problems[-1]}; the page's audio is left as it was")
        data = recording.read_bytes()
        clip = "rec-" + hashlib.sha256(data).hexdigest()[:28] + ".mp3"
        if not self.library.has_clip(clip):
            atomic_write(self.library.staged_path(clip), data)
        with self._lock_guard:
            self.library.lock[f"{lang}/{rel}"] = Entry(rel, lang, text_hash(text), RECORDING, clip,
                                                       round(duration, 2), size, False)
        return Outcome(rel, lang, RECORDING, False, round(duration, 2), size, False, "", [RECORDING])


def make_generator(site, engines: dict | None = None, repair: bool = False, store: str = "",
                   budget: int | None = None) -> AudioGenerator:
    """The generator mkdocs.yml describes; tests pass their own engines. `store`: where the last
    deploy's clips are (store.py); `budget`: how many clips the network's engines may make."""
    from .engines import EspeakEngine, GttsEngine

    settings = site.audio_settings
    if engines is None:
        engines = {
            "gtts": _engine(GttsEngine, settings, "gtts"),
            "espeak-ng": _engine(EspeakEngine, settings, "espeak-ng"),
        }
    chains = {"default": list(settings.get("engines") or [RECORDING, "gtts", "espeak-ng"])}
    chains.update(settings.get("per_language") or {})
    unknown = {name for chain in chains.values() for name in chain} - set(engines) - {RECORDING}
    if unknown:
        raise PortalError(f"mkdocs.yml: plugins.portal.audio: unknown engine(s) {', '.join(sorted(unknown))}; "
                          f"use {RECORDING}, {', '.join(engines)}")
    return AudioGenerator(AudioLibrary(site.audio_dir, repair=repair), engines, chains,
                          int(settings.get("workers", 2)), store_at(store), budget)


def _engine(kind, settings: dict, name: str):
    import inspect

    options = settings.get(name) or {}
    known = [p for p in inspect.signature(kind).parameters if p not in ("sleep", "session", "tld_by_lang")]
    if not isinstance(options, dict) or any(key not in known for key in options):
        bad = ", ".join(k for k in options if k not in known) if isinstance(options, dict) else str(options)
        raise PortalError(f"mkdocs.yml: plugins.portal.audio.{name}: {bad} is not a setting; "
                          f"the settings are: {', '.join(known)}")
    try:
        return kind(**options)
    except (TypeError, ValueError) as error:
        raise PortalError(f"mkdocs.yml: plugins.portal.audio.{name}: {error}; each setting is a number") from None
