"""Audio of every page: a content-addressed clip cache, a lock record, and the report.

audio/clips/<key>.mp3   clips, named by clip_key(text, language, engine, voice): committed
audio/lock.json         page and language -> text hash, engine, clip, duration, bytes
audio/recordings/<lang>/<page>.mp3   human recordings dropped in by staff; always win
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..content.pages import Content
from ..files import atomic_write
from ..render.page import RenderContext, render_markdown, voiced_languages
from ..speech.text import clip_key, speech_text, text_hash
from .engines import MAX_BITRATE, SynthesisError, measure

RECORDING = "recording"
CHARS_PER_SECOND = (4.0, 40.0)  # outside this a clip is truncated or garbled


@dataclass
class Entry:
    page: str
    lang: str
    text_hash: str
    engine: str
    clip: str
    duration: float
    bytes: int
    provisional: bool


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
    def __init__(self, audio_dir: Path):
        self.dir = audio_dir
        self.clips = audio_dir / "clips"
        self.recordings = audio_dir / "recordings"
        self.lock_path = audio_dir / "lock.json"
        self.lock: dict[str, Entry] = self._read_lock()

    def _read_lock(self) -> dict[str, Entry]:
        if not self.lock_path.exists():
            return {}
        data = json.loads(self.lock_path.read_text(encoding="utf-8"))
        return {key: Entry(**value) for key, value in data.items()}

    def save_lock(self) -> None:
        data = {key: asdict(self.lock[key]) for key in sorted(self.lock)}
        atomic_write(self.lock_path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    def prune(self) -> list[str]:
        """Remove clips no page uses any more, so the repository carries only live audio."""
        live = {entry.clip for entry in self.lock.values()}
        removed = []
        for path in self.clips.glob("*.mp3") if self.clips.exists() else []:
            if path.name not in live:
                path.unlink()
                removed.append(path.name)
        return removed

    def clip_path(self, name: str) -> Path:
        return self.clips / name

    def recording_for(self, lang: str, rel: str) -> Path | None:
        path = self.recordings / lang / (rel[: -len(".md")] + ".mp3")
        return path if path.exists() else None

    def current(self, lang: str, rel: str, text: str) -> Entry | None:
        """The published clip for this page text, if one exists; never synthesises."""
        recording = self.recording_for(lang, rel)
        entry = self.lock.get(f"{lang}/{rel}")
        if recording is not None:
            if entry and entry.engine == RECORDING and self.clip_path(entry.clip).exists():
                return entry
            return None
        if entry and entry.text_hash == text_hash(text) and self.clip_path(entry.clip).exists():
            return entry
        return None


def page_speech(content: Content, lang: str, rel: str) -> str:
    """What a listener hears: the page as a reader sees it, entitlement facts and contacts included."""
    page = content.pages[lang][rel]
    context = RenderContext(content, voiced_languages(content, content.site.audio_dir / "recordings"))
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
        """Make missing clips; with upgrade, also retry the preferred engine for provisional ones."""
        jobs = voiced_pages(content)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            outcomes = list(pool.map(lambda job: self._one(content, *job, upgrade), jobs))
        self.library.save_lock()
        self.library.prune()
        return outcomes

    def _one(self, content: Content, lang: str, rel: str, upgrade: bool) -> Outcome:
        text = page_speech(content, lang, rel)
        lock_key = f"{lang}/{rel}"
        recording = self.library.recording_for(lang, rel) if RECORDING in self.chain(lang) else None
        if recording is not None:
            return self._use_recording(lang, rel, text, recording)
        kept = self.library.current(lang, rel, text)
        if kept and kept.engine != RECORDING and not (upgrade and kept.provisional):
            note = "kept; run make audio to try the preferred engine" if kept.provisional else ""
            return Outcome(rel, lang, kept.engine, kept.provisional, kept.duration, kept.bytes, False, note)
        reasons = []
        preferred = self.preferred(lang)
        for name in self.chain(lang):
            if name == RECORDING:
                continue
            engine = self.engines[name]
            voice = engine.voice(lang)
            if voice is None:
                reasons.append(f"{name}: no voice for this language")
                continue
            clip = clip_key(text, lang, name, voice) + ".mp3"
            path = self.library.clip_path(clip)
            synthesised = False
            if not path.exists():
                try:
                    self._synthesise(engine, text, lang, path)
                except SynthesisError as error:
                    reasons.append(f"{name}: {error}")
                    continue
                synthesised = True
            duration, size, _ = measure(path)
            entry = Entry(rel, lang, text_hash(text), name, clip, round(duration, 2), size, name != preferred)
            self.library.lock[lock_key] = entry
            return Outcome(rel, lang, name, entry.provisional, entry.duration, size, synthesised, "; ".join(reasons))
        self.library.lock.pop(lock_key, None)
        return Outcome(rel, lang, None, False, None, None, False, "; ".join(reasons) or "no engine configured")

    def _synthesise(self, engine, text: str, lang: str, path: Path) -> None:
        """Synthesise into a scratch file; only a validated clip is moved into the cache."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".mp3")
        os.close(fd)
        scratch = Path(tmp)
        try:
            engine.synthesise(text, lang, scratch)
            validate(scratch, text)
            os.replace(scratch, path)
        finally:
            scratch.unlink(missing_ok=True)

    def _use_recording(self, lang: str, rel: str, text: str, recording: Path) -> Outcome:
        data = recording.read_bytes()
        clip = "rec-" + hashlib.sha256(data).hexdigest()[:28] + ".mp3"
        path = self.library.clip_path(clip)
        if not path.exists():
            atomic_write(path, data)
        duration, size, _ = measure(path)
        self.library.lock[f"{lang}/{rel}"] = Entry(rel, lang, text_hash(text), RECORDING, clip, round(duration, 2),
                                                   size, False)
        return Outcome(rel, lang, RECORDING, False, round(duration, 2), size, False, "")


def make_generator(site, engines: dict | None = None) -> AudioGenerator:
    """The generator mkdocs.yml describes; tests pass their own engines."""
    from .engines import EspeakEngine, GttsEngine

    settings = site.audio_settings
    if engines is None:
        engines = {
            "gtts": GttsEngine(**(settings.get("gtts") or {})),
            "espeak-ng": EspeakEngine(**(settings.get("espeak-ng") or {})),
        }
    chains = {"default": list(settings.get("engines") or [RECORDING, "gtts", "espeak-ng"])}
    chains.update(settings.get("per_language") or {})
    unknown = {name for chain in chains.values() for name in chain} - set(engines) - {RECORDING}
    if unknown:
        raise ValueError(f"mkdocs.yml: extra.portal.audio: unknown engine(s) {', '.join(sorted(unknown))}; "
                         f"use {RECORDING}, {', '.join(engines)}")
    return AudioGenerator(AudioLibrary(site.audio_dir), engines, chains, int(settings.get("workers", 2)))


def strict_failures(outcomes: list[Outcome], generator: AudioGenerator) -> list[str]:
    """For releases: every page a voice can speak has final audio."""
    failures = []
    for o in outcomes:
        if not o.has_audio and generator.preferred(o.lang) is not None:
            failures.append(f"{o.lang}/{o.page}: no audio ({o.reason})")
        elif o.provisional:
            failures.append(f"{o.lang}/{o.page}: provisional {o.engine} clip ({o.reason})")
    return failures


def report_table(outcomes: list[Outcome]) -> str:
    rows = [("page", "lang", "engine", "state", "duration", "size", "note")]
    for o in sorted(outcomes, key=lambda o: (o.page, o.lang)):
        if o.has_audio:
            state = "provisional" if o.provisional else "final"
            rows.append((o.page, o.lang, o.engine, state, f"{o.duration:.0f} s", f"{o.bytes / 1024:.0f} KB",
                         ("new; " if o.synthesised else "") + o.reason))
        else:
            rows.append((o.page, o.lang, "-", "none", "-", "-", o.reason))
    widths = [max(len(str(r[i])) for r in rows) for i in range(6)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r[:6], widths)) + "  " + r[6] for r in rows)


def report_json(outcomes: list[Outcome]) -> list[dict]:
    return [asdict(o) for o in outcomes]


def copy_clip(library: AudioLibrary, name: str, site_dir: Path) -> None:
    """Publish a clip under site/audio/, hard-linked where the file system allows."""
    target = site_dir / "audio" / name
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(library.clip_path(name), target)
    except OSError:
        shutil.copyfile(library.clip_path(name), target)
