"""Speech engines: gTTS (Google, online) and espeak-ng (offline), each writing a small MP3."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3

from ..content import languages

MAX_BITRATE = 48_000
TARGET_BITRATE_KBPS = 24
TARGET_SAMPLE_KHZ = 16  # speech needs no more; MPEG-2 at 16 kHz allows 24 kbit/s
GTTS_MAX_CHARS = 100  # gTTS sends one request per token of at most 100 characters
SENTENCE_SPLIT = re.compile(r"(?<=[.!?:;።؟۔])\s+")


class SynthesisError(Exception):
    """A clip could not be made; the message says why, for the audio report."""


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, speed: int = 150):
        self.speed = speed

    def voice(self, lang: str) -> dict | None:
        voice = languages.get(lang).espeak
        if voice is None:
            return None
        return {"voice": voice, "speed": self.speed, "kbps": TARGET_BITRATE_KBPS, "khz": TARGET_SAMPLE_KHZ}

    def synthesise(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice(lang)
        if voice is None:
            raise SynthesisError(f"espeak-ng has no voice for {lang}")
        for tool in ("espeak-ng", "lame"):
            if shutil.which(tool) is None:
                raise SynthesisError(f"{tool} is not installed; install it with: sudo apt-get install {tool}")
        with tempfile.TemporaryDirectory() as scratch:
            wav = Path(scratch) / "speech.wav"
            run(["espeak-ng", "-v", voice["voice"], "-s", str(self.speed), "-w", str(wav), "--stdin"], text)
            encode_mp3(wav, out)


class GttsEngine:
    """gTTS made dependable: merged chunks, timeouts, bounded retries with backoff and jitter."""

    name = "gtts"

    def __init__(self, timeout: float = 10.0, retries: int = 3, backoff: float = 0.5, tld_by_lang=None,
                 sleep=time.sleep):
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.tld_by_lang = tld_by_lang or {"en": "co.uk"}
        self.sleep = sleep
        self.requests_made = 0
        self.unreachable: str | None = None
        self._lock = threading.Lock()

    def voice(self, lang: str) -> dict | None:
        from gtts.lang import tts_langs

        code = languages.get(lang).gtts
        if code is None or code not in tts_langs():
            return None
        return {"lang": code, "tld": self.tld_by_lang.get(lang, "com"), "slow": False}

    def synthesise(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice(lang)
        if voice is None:
            raise SynthesisError(f"gTTS has no voice for {lang}")
        if self.unreachable:
            raise SynthesisError(f"gTTS not tried: {self.unreachable}")
        with tempfile.TemporaryDirectory() as scratch:
            raw = Path(scratch) / "gtts.mp3"
            with raw.open("wb") as sink:
                for chunk in merge_chunks(text, GTTS_MAX_CHARS):
                    sink.write(self._request(chunk, voice))
            if is_small_mono(raw):
                shutil.copyfile(raw, out)
            else:
                encode_mp3(raw, out, mp3_input=True)

    def _request(self, chunk: str, voice: dict) -> bytes:
        from gtts import gTTS, gTTSError

        last_reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                delay = self.backoff * 2 ** (attempt - 1)
                self.sleep(delay + random.uniform(0, delay))
            with self._lock:
                self.requests_made += 1
            try:
                tts = gTTS(chunk, lang=voice["lang"], tld=voice["tld"], slow=voice["slow"], timeout=self.timeout)
                audio = b"".join(tts.stream())
            except gTTSError as error:
                status = getattr(error.rsp, "status_code", None)
                last_reason = f"HTTP {status}" if status else f"no connection ({root_cause(error)})"
                if status is not None and status != 429 and status < 500:
                    raise SynthesisError(f"gTTS refused the request: {last_reason}") from error
                continue
            if not audio:
                last_reason = "empty answer"
                continue
            return audio
        reason = f"gTTS failed after {self.retries + 1} tries: {last_reason}"
        if last_reason.startswith("no connection"):
            self.unreachable = reason
        raise SynthesisError(reason)


def root_cause(error: BaseException) -> str:
    """The innermost exception's name, e.g. NameResolutionError or ReadTimeout."""
    while error.__cause__ or error.__context__:
        error = error.__cause__ or error.__context__
    return type(error).__name__


def merge_chunks(text: str, limit: int) -> list[str]:
    """Whole sentences packed into chunks of at most `limit` characters (gTTS sends each alone)."""
    chunks: list[str] = []
    current = ""
    for sentence in SENTENCE_SPLIT.split(text.strip()):
        for piece in split_long(sentence, limit):
            candidate = f"{current} {piece}".strip()
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def split_long(sentence: str, limit: int) -> list[str]:
    """A sentence longer than the limit is cut between words."""
    pieces, current = [], ""
    for word in sentence.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            pieces.append(current)
            current = word
    return pieces + ([current] if current else [])


def run(command: list[str], stdin_text: str | None = None) -> None:
    result = subprocess.run(command, input=stdin_text, capture_output=True, text=True)
    if result.returncode != 0:
        raise SynthesisError(f"{command[0]} failed: {result.stderr.strip()[:200]}")


def encode_mp3(source: Path, out: Path, mp3_input: bool = False) -> None:
    """Mono MP3 at 24 kbit/s: small enough for pay-as-you-go data, clear enough for speech."""
    command = ["lame", "--quiet", "-m", "m", "-b", str(TARGET_BITRATE_KBPS), "--cbr",
               "--resample", str(TARGET_SAMPLE_KHZ)]
    if mp3_input:
        command.append("--mp3input")
    run(command + [str(source), str(out)])


def is_small_mono(path: Path) -> bool:
    try:
        info = MP3(path).info
    except MutagenError:
        return False
    return info.channels == 1 and info.bitrate <= MAX_BITRATE


def measure(path: Path) -> tuple[float, int, int]:
    """(seconds, bytes, bit rate) of an MP3, or SynthesisError if it is not one."""
    try:
        info = MP3(path).info
    except MutagenError as error:
        raise SynthesisError(f"not a readable MP3: {error}") from error
    return info.length, path.stat().st_size, info.bitrate
