"""The recording kit's work, without the web page: which sections of which pages a language still
needs a voice for, and keeping one take (a WAV the page captured) as that section's recording.

A kept take is levelled (its speech brought to one loudness, never clipped), its silence at each end
trimmed, encoded by lame as the generated clips are (mono, 16 kHz, 24 kbit/s), checked to last about
as long as its words take to say, and saved as audio/recordings/<lang>/<page>/<section>.mp3 with the
words it reads beside it (.txt) and the reader's role in roles.yml (recordings.py says how they are used).
"""

from __future__ import annotations

import array
import io
import math
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import PortalError
from ..content.files import atomic_write, read_text
from ..render.speech import page_sections, speech_context
from ..speech.sections import section_ids
from .engines import SynthesisError, encode_mp3, run
from .library import validate
from .recordings import CURRENT, confirm, section_path, section_recordings
from .roles import ROLES, role_key

CHARS_PER_SECOND = 14  # an unhurried reader, for "minutes left"
TARGET_RMS = 0.1  # speech levelled to about -20 dBFS
PEAK = 0.9  # never louder than this, so nothing clips
WINDOW_SECONDS = 0.02
SILENCE = 0.02  # a 20 ms window quieter than this (RMS, full scale 1) is silence
MARGIN_SECONDS = 0.15  # kept around the speech when trimming
MAX_TAKE_BYTES = 200_000_000  # about 35 minutes of 48 kHz 16-bit mono


@dataclass
class Wanted:
    """One section a person could read."""

    number: int  # its place in the kit's list: what the page posts back, never a path
    page: str
    title: str
    ident: str
    text: str
    state: str  # "recorded", "out of date" or "not recorded"

    def as_json(self) -> dict:
        return {"number": self.number, "page": self.page, "title": self.title, "section": self.ident,
                "text": self.text, "state": self.state, "seconds": round(len(self.text) / CHARS_PER_SECOND)}


class RecordingKit:
    def __init__(self, content, site, lang: str, generated_voice: bool):
        """`generated_voice`: whether a computer voice speaks the language (then no section strictly needs one)."""
        if lang not in content.pages:
            raise PortalError(f"mkdocs.yml:1: LANG: {lang!r} is not one of the site's languages; use one of "
                              f"{', '.join(content.pages)}")
        self.content, self.site, self.lang, self.generated_voice = content, site, lang, generated_voice
        self.recordings = site.audio_dir / "recordings"
        self.wanted: list[Wanted] = []
        self.refresh()

    def refresh(self) -> None:
        context = speech_context(self.content)
        self.wanted = []
        for rel in sorted(self.content.pages[self.lang]):
            sections = page_sections(self.content, self.lang, rel, context)
            found = section_recordings(self.recordings, self.site.root, self.lang, rel, sections)
            title = str(self.content.pages[self.lang][rel].meta.get("title", rel))
            for index, (ident, section) in enumerate(zip(section_ids(sections), sections)):
                state = found[index].state if index in found else "not recorded"
                self.wanted.append(Wanted(len(self.wanted), rel, title, ident, section.text,
                                          "recorded" if state == CURRENT else state))

    def summary(self) -> dict:
        left = [w for w in self.wanted if w.state != "recorded"]
        return {"lang": self.lang, "generated_voice": self.generated_voice, "roles": list(ROLES),
                "sections": [w.as_json() for w in self.wanted],
                "left": len(left), "minutes_left": round(sum(len(w.text) for w in left) / CHARS_PER_SECOND / 60, 1)}

    def keep(self, number: int, role: str, wav: bytes) -> Path:
        """Keep a take as section `number`'s recording; PortalError saying what to do if it will not do."""
        if not 0 <= number < len(self.wanted):
            raise PortalError(f"recording kit:1: section: there is no section {number}; reload the page")
        if role not in ROLES:
            raise PortalError(f"recording kit:1: role: {role!r} is not a role; choose one of {', '.join(ROLES)}")
        if len(wav) > MAX_TAKE_BYTES:
            raise PortalError("recording kit:1: take: is too long to be one section; record the section alone")
        wanted = self.wanted[number]
        target = section_path(self.recordings, self.lang, wanted.page, wanted.ident)
        with tempfile.TemporaryDirectory() as scratch:
            levelled, gain = prepare(wav, Path(scratch) / "take.wav")
            mp3 = Path(scratch) / "take.mp3"
            encode_mp3(levelled, mp3, scale=gain)
            try:
                validate(mp3, wanted.text)
            except SynthesisError as error:
                raise PortalError(f"recording kit:1: take: {error}: read the whole section once, "
                                  "then press stop; or press again") from None
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, mp3.read_bytes())
        confirm(target, wanted.text)
        self._set_role(role_key(self.lang, wanted.page, wanted.ident), role)
        wanted.state = "recorded"
        return target

    def _set_role(self, key: str, role: str) -> None:
        path = self.recordings / "roles.yml"
        lines = read_text(path, self.site.root).splitlines() if path.exists() else []
        lines = [line for line in lines if line.partition(":")[0].strip() != key] + [f"{key}: {role}"]
        atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def prepare(wav: bytes, out: Path) -> tuple[Path, float]:
    """The take's speech with the silence at each end trimmed, as a mono 16-bit WAV, and the gain
    that levels it; PortalError if it is not such a WAV or holds no speech."""
    try:
        with wave.open(io.BytesIO(wav)) as source:
            channels, width, rate = source.getnchannels(), source.getsampwidth(), source.getframerate()
            frames = source.readframes(source.getnframes())
    except (wave.Error, EOFError) as error:
        raise PortalError(f"recording kit:1: take: is not a WAV file ({error}); record again") from None
    if channels != 1 or width != 2:
        raise PortalError("recording kit:1: take: must be mono 16-bit PCM; reload the kit's page and record again")
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    window = max(1, int(rate * WINDOW_SECONDS))
    loud = [start for start in range(0, len(samples), window) if _rms(samples[start:start + window]) > SILENCE]
    if not loud:
        raise PortalError("recording kit:1: take: is silent; check the microphone and record again")
    margin = int(rate * MARGIN_SECONDS)
    begin, end = max(0, loud[0] - margin), min(len(samples), loud[-1] + window + margin)
    speech = samples[begin:end]
    voiced = [speech[i:i + window] for i in range(0, len(speech), window) if _rms(speech[i:i + window]) > SILENCE]
    level = math.sqrt(sum(_rms(part) ** 2 for part in voiced) / len(voiced))
    peak = max(abs(value) for value in speech) / 32768
    gain = min(TARGET_RMS / level, PEAK / peak) if level and peak else 1.0
    if sys.byteorder == "big":
        speech.byteswap()
    with wave.open(str(out), "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(speech.tobytes())
    return out, round(gain, 3)


def _rms(part) -> float:
    if not part:
        return 0.0
    return math.sqrt(sum(value * value for value in part) / len(part)) / 32768


def lame_available() -> None:
    try:
        run(["lame", "--version"])
    except (SynthesisError, OSError):
        raise PortalError("lame:1: lame: is not installed; install it with: sudo apt-get install lame") from None

