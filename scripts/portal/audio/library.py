"""Audio of every page: a content-addressed clip cache, a lock record, and the report.

audio/clips/<key>.mp3   clips, named by clip_key(text, language, engine, voice): committed
audio/lock.json         page and language -> text hash, engine, clip, duration, bytes
audio/recordings/<lang>/<page>.mp3   human recordings dropped in by staff; always win

Only regular files inside the repository are read: a symbolic link under audio/ is refused, and
a recording is checked to be an MP3 before anything is copied into the clip cache. A page with
errors keeps its clip and lock entry as they are. A damaged lock.json is reported in one line and
either refused (reading) or rebuilt from the clips (making audio).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..content.errors import PortalError, Problem
from ..content.pages import Content
from ..files import atomic_write, display, read_text, refuse_unsafe_file
from ..render.page import RenderContext, render_markdown, voiced_languages
from ..speech.text import clip_key, speech_text, text_hash
from .engines import MAX_BITRATE, SynthesisError, measure
from .lock import CLIP_NAME, Entry, LockDamaged, parse_lock

RECORDING = "recording"
FILE_MODE = 0o644  # clips and published files: readable by the web server, writable by their owner
CHARS_PER_SECOND = (4.0, 40.0)  # outside this a clip is truncated or garbled


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

    @property
    def has_audio(self) -> bool:
        return self.engine is not None


class AudioLibrary:
    def __init__(self, audio_dir: Path, repair: bool = False):
        """`repair`: a damaged lock.json is set aside (see `damaged`) and rebuilt from the clips by
        the next generate(); without it, a damaged lock.json is a PortalError naming it."""
        self.dir = Path(audio_dir)
        self.root = self.dir.parent
        self.clips = self.dir / "clips"
        self.recordings = self.dir / "recordings"
        self.lock_path = self.dir / "lock.json"
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
        data = {key: asdict(self.lock[key]) for key in sorted(self.lock)}
        atomic_write(self.lock_path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    def prune(self) -> list[str]:
        """Remove clips no page uses any more, so the repository carries only live audio."""
        live = {entry.clip for entry in self.lock.values()}
        removed = []
        for path in self.clips.glob("*.mp3") if self.clips.is_dir() and not self.clips.is_symlink() else []:
            if path.name not in live:
                path.unlink()
                removed.append(path.name)
        return removed

    def clip_path(self, name: str) -> Path:
        if not CLIP_NAME.fullmatch(name):
            raise PortalError(f"{self.show(self.lock_path)}:1: lock: {name!r} is not a clip name; "
                              "run `make audio` to rebuild audio/lock.json")
        return self.clips / name

    def has_clip(self, name: str) -> bool:
        """The clip is a regular file in audio/clips/, not a link to anywhere."""
        path = self.clip_path(name)
        return path.is_file() and not path.is_symlink() and not self.clips.is_symlink() and not self.dir.is_symlink()

    def recording_for(self, lang: str, rel: str) -> Path | None:
        """The human recording for this page, if one is there (a link counts: it is refused later)."""
        path = self.recordings / lang / (rel[: -len(".md")] + ".mp3")
        return path if os.path.lexists(path) else None

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
        if entry and entry.text_hash == text_hash(text) and self.has_clip(entry.clip):
            return entry
        return None


def _is_plain_file(path: Path, library: AudioLibrary) -> bool:
    try:
        refuse_unsafe_file(path, library.root)
    except PortalError:
        return False
    return path.is_file()


def speech_context(content: Content) -> RenderContext:
    """Made once per run: which languages have audio is read from the recordings folder."""
    return RenderContext(content, voiced_languages(content, content.site.audio_dir / "recordings"))


def page_speech(content: Content, lang: str, rel: str, context: RenderContext | None = None) -> str:
    """What a listener hears: the page as a reader sees it, entitlement facts and contacts included."""
    page = content.pages[lang][rel]
    context = context or speech_context(content)
    body = render_markdown(page.body, lang, "", context, for_speech=True)
    return speech_text(str(page.meta.get("title", "")), body, lang)


def voiced_pages(content: Content) -> list[tuple[str, str]]:
    """Every page that has its own text: English, and each translation that exists."""
    return [(lang, rel) for lang, pages in content.pages.items() for rel in sorted(pages)]


def validate(path: Path, text: str) -> tuple[float, int]:
    duration, size, bitrate = measure(path)
    if size == 0 or duration <= 0:
        raise SynthesisError("the clip is empty")
    if bitrate > MAX_BITRATE:
        raise SynthesisError(f"the clip is {bitrate // 1000} kbit/s, over the 48 kbit/s limit")
    rate = len(text) / duration
    low, high = CHARS_PER_SECOND
    if not low <= rate <= high:
        raise SynthesisError(f"the clip is {duration:.1f} s for {len(text)} characters: truncated or garbled")
    return duration, size


class AudioGenerator:
    def __init__(self, library: AudioLibrary, engines: dict, chains: dict[str, list[str]], workers: int = 2):
        self.library = library
        self.engines = engines  # name -> engine object
        self.chains = chains  # lang -> engine names in order of preference
        self.workers = workers
        self.problems: list[Problem] = []  # files staff must fix: a broken recording, a link

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

    def generate(self, content: Content, upgrade: bool = False) -> list[Outcome]:
        """Make missing clips; with upgrade, also retry the preferred engine for provisional ones.

        While any page cannot be read (a broken front matter), nothing is made, replaced or pruned:
        a broken page would be heard as its broken parse, and other pages draw on it (a translation
        speaks the entitlements of its English page). audio/ is left exactly as it was."""
        jobs = voiced_pages(content)
        broken = sorted(page.display_path for pages in content.pages.values() for page in pages.values()
                        if page.problems)
        if broken:
            note = f"left as it was: {broken[0]} has errors; run make check"
            return [self._as_it_was(lang, rel, note) for lang, rel in jobs]
        context = speech_context(content)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            outcomes = list(pool.map(lambda job: self._one(content, context, *job, upgrade), jobs))
        self.library.save_lock()
        if not self.problems:
            self.library.prune()
        return outcomes

    def _as_it_was(self, lang: str, rel: str, note: str) -> Outcome:
        entry = self.library.lock.get(f"{lang}/{rel}")
        if entry is None:
            return Outcome(rel, lang, None, False, None, None, False, note)
        return Outcome(rel, lang, entry.engine, entry.provisional, entry.duration, entry.bytes, False, note)

    def _one(self, content: Content, context: RenderContext, lang: str, rel: str, upgrade: bool) -> Outcome:
        lock_key = f"{lang}/{rel}"
        text = page_speech(content, lang, rel, context)
        recording = self.library.recording_for(lang, rel) if RECORDING in self.chain(lang) else None
        if recording is not None:
            return self._use_recording(lang, rel, text, recording)
        kept = self.library.current(lang, rel, text)
        if kept and kept.engine != RECORDING and not (upgrade and kept.provisional):
            note = "kept; run make audio to try the preferred engine" if kept.provisional else ""
            return Outcome(rel, lang, kept.engine, kept.provisional, kept.duration, kept.bytes, False, note)
        reasons = []
        preferred = self.preferred(lang)
        chain = self._voiced_chain(lang, text)
        if not upgrade:  # a clip already made for this text (e.g. the lock was rebuilt) is used first
            chain.sort(key=lambda item: not (item[2] and self.library.has_clip(item[2])))
        for name, voice, clip in chain:
            engine = self.engines[name]
            if voice is None:
                reasons.append(f"{name}: no voice for this language")
                continue
            path = self.library.clip_path(clip)
            synthesised = False
            if not self.library.has_clip(clip):
                try:
                    self._synthesise(engine, text, lang, path)
                except SynthesisError as error:
                    reasons.append(f"{name}: {error}")
                    continue
                synthesised = True
            try:
                duration, size, _ = measure(path)
            except SynthesisError as error:
                reasons.append(f"{name}: the cached clip {self.library.show(path)} is {error}")
                continue
            entry = Entry(rel, lang, text_hash(text), name, clip, round(duration, 2), size, name != preferred)
            self.library.lock[lock_key] = entry
            return Outcome(rel, lang, name, entry.provisional, entry.duration, size, synthesised, "; ".join(reasons))
        self.library.lock.pop(lock_key, None)
        return Outcome(rel, lang, None, False, None, None, False, "; ".join(reasons) or "no engine configured")

    def _voiced_chain(self, lang: str, text: str) -> list[tuple[str, dict | None, str]]:
        """(engine, voice, clip name) for each engine of the language's chain, in order."""
        chain = []
        for name in self.chain(lang):
            if name == RECORDING:
                continue
            voice = self.engines[name].voice(lang)
            chain.append((name, voice, clip_key(text, lang, name, voice) + ".mp3" if voice is not None else ""))
        return chain

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
            os.replace(scratch, path)
        finally:
            scratch.unlink(missing_ok=True)

    def _use_recording(self, lang: str, rel: str, text: str, recording: Path) -> Outcome:
        """A human recording, checked to be a regular file and a valid MP3 before anything is copied."""
        shown = self.library.show(recording)
        try:
            refuse_unsafe_file(recording, self.library.root)
            if not recording.is_file():
                raise PortalError(f"{shown}:1: file: is not a regular file; remove it")
            duration, size, _ = measure(recording)
            if duration <= 0 or size == 0:
                raise SynthesisError("it is empty")
        except (PortalError, SynthesisError) as error:
            if isinstance(error, PortalError):
                problem = _as_problem(str(error), shown)
            else:
                problem = Problem(shown, 1, "recording", f"is not a valid MP3 recording ({error}); export it again "
                                                         "as an MP3 file, or remove it")
            self.problems.append(problem)
            return self._as_it_was(lang, rel, f"{problem}; the page's audio is left as it was")
        data = recording.read_bytes()
        clip = "rec-" + hashlib.sha256(data).hexdigest()[:28] + ".mp3"
        path = self.library.clip_path(clip)
        if not self.library.has_clip(clip):
            atomic_write(path, data)
        self.library.lock[f"{lang}/{rel}"] = Entry(rel, lang, text_hash(text), RECORDING, clip, round(duration, 2),
                                                   size, False)
        return Outcome(rel, lang, RECORDING, False, round(duration, 2), size, False, "")


def _as_problem(message: str, shown: str) -> Problem:
    """A PortalError's `path:line: field: message` back as a Problem."""
    match = re.match(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.*)$", message, re.S)
    if match is None:
        return Problem(shown, 1, "file", message)
    return Problem(match["path"], int(match["line"]), match["field"], match["message"])


def make_generator(site, engines: dict | None = None, repair: bool = False) -> AudioGenerator:
    """The generator mkdocs.yml describes; tests pass their own engines."""
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
        raise PortalError(f"mkdocs.yml: extra.portal.audio: unknown engine(s) {', '.join(sorted(unknown))}; "
                          f"use {RECORDING}, {', '.join(engines)}")
    return AudioGenerator(AudioLibrary(site.audio_dir, repair=repair), engines, chains,
                          int(settings.get("workers", 2)))


def _engine(kind, settings: dict, name: str):
    import inspect

    options = settings.get(name) or {}
    known = [p for p in inspect.signature(kind).parameters if p not in ("sleep", "session", "tld_by_lang")]
    if not isinstance(options, dict) or any(key not in known for key in options):
        bad = ", ".join(k for k in options if k not in known) if isinstance(options, dict) else str(options)
        raise PortalError(f"mkdocs.yml: extra.portal.audio.{name}: {bad} is not a setting; "
                          f"the settings are: {', '.join(known)}")
    try:
        return kind(**options)
    except (TypeError, ValueError) as error:
        raise PortalError(f"mkdocs.yml: extra.portal.audio.{name}: {error}; each setting is a number") from None


def copy_clip(library: AudioLibrary, name: str, site_dir: Path) -> None:
    """Publish a clip under site/audio/, hard-linked where the file system allows; mode 0644."""
    target = site_dir / "audio" / name
    if target.exists():
        return
    source = library.clip_path(name)
    if not library.has_clip(name):
        raise PortalError(f"{library.show(source)}:1: file: is not a regular file in audio/clips/ (a link, or "
                          "missing); replace it with the file itself, or run `make audio`")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if source.stat().st_mode & 0o777 != FILE_MODE:
            raise OSError("a link would publish the clip's own mode")
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        os.chmod(target, FILE_MODE)
