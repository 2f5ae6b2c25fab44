"""Speech engines: gTTS (Google, online) and espeak-ng (offline), each writing a small MP3."""

from __future__ import annotations

import functools
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
from .espeak_library import BundledEspeak, LibraryMissing
from .synthesis_error import SynthesisError

MAX_BITRATE = 48_000
TARGET_BITRATE_KBPS = 24
TARGET_SAMPLE_KHZ = 16  # speech needs no more; MPEG-2 at 16 kHz allows 24 kbit/s
GTTS_MAX_CHARS = 100  # gTTS sends one request per token of at most 100 characters
SENTENCE_SPLIT = re.compile(r"(?<=[.!?:;።؟۔])\s+")


class EspeakEngine:
    """espeak-ng, offline. Two builds: 1.52, bundled by the pinned PyPI package espeakng-loader
    (espeak_library.py), and the system's `espeak-ng` command (Debian 12: 1.51). `bundled` names
    the languages 1.52 speaks first (Tigrinya: 1.51 has no voice for it); every other language is
    spoken by the command, whose clips the repository already holds. Each falls back to the other
    build where its own is missing. A clip made by 1.52 is keyed by that version, so a change of
    build is a new clip, never a mislabelled old one."""

    name = "espeak-ng"

    def __init__(self, speed: int = 150, bundled: list[str] | tuple[str, ...] = ("ti",)):
        self.speed = speed
        self.bundled = tuple(bundled)
        self._builds: dict[str, str | None] = {}

    def build(self, lang: str) -> str | None:
        """"library" (1.52, bundled) or "command" (the system's espeak-ng), whichever has the
        language's voice, the preferred build first; None where neither has it."""
        if lang not in self._builds:
            voice = languages.get(lang).espeak
            order = ("library", "command") if lang in self.bundled else ("command", "library")
            self._builds[lang] = next((build for build in order if voice and _has_voice(build, voice)), None)
        return self._builds[lang]

    def describe(self, lang: str) -> str:
        """Which build speaks the language, for `make audio` and the README: e.g. "espeak-ng 1.52.0 (espeakng-loader)"."""
        build = self.build(lang)
        if build == "library":
            return f"espeak-ng {_library().version} (espeakng-loader)"
        return f"espeak-ng {_command_version()} (system)" if build == "command" else "none"

    def voice(self, lang: str) -> dict | None:
        build = self.build(lang)
        if build is None:
            return None
        voice = {"voice": languages.get(lang).espeak, "speed": self.speed, "kbps": TARGET_BITRATE_KBPS,
                 "khz": TARGET_SAMPLE_KHZ}
        return {**voice, "espeak": _library().version} if build == "library" else voice

    def synthesise(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice(lang)
        if voice is None:
            raise SynthesisError(f"espeak-ng has no voice for {lang}")
        tools = ("lame",) if self.build(lang) == "library" else ("espeak-ng", "lame")
        for tool in tools:
            if shutil.which(tool) is None:
                raise SynthesisError(f"{tool} is not installed; install it with: sudo apt-get install {tool}")
        with tempfile.TemporaryDirectory() as scratch:
            wav = Path(scratch) / "speech.wav"
            if self.build(lang) == "library":
                try:
                    _library().synthesise_wav(text, voice["voice"], self.speed, wav)
                except LibraryMissing as error:
                    raise SynthesisError(str(error)) from None
            else:
                run(["espeak-ng", "-v", voice["voice"], "-s", str(self.speed), "-w", str(wav), "--stdin"], text)
            encode_mp3(wav, out)


def _library() -> BundledEspeak:
    return BundledEspeak.load()


@functools.cache
def _command_data() -> tuple[str, Path | None]:
    """The system espeak-ng's version and data folder, from `espeak-ng --version`; ("", None) without it."""
    if shutil.which("espeak-ng") is None:
        return "", None
    found = re.search(r"text-to-speech: (\S+)\s+Data at: (.+)", subprocess.run(
        ["espeak-ng", "--version"], capture_output=True, text=True).stdout)
    return (found[1], Path(found[2].strip())) if found else ("", None)


def _command_version() -> str:
    return _command_data()[0]


def _has_voice(build: str, voice: str) -> bool:
    if build == "library":
        try:
            return _library().has_voice(voice)
        except LibraryMissing:
            return False
    data = _command_data()[1]
    name = voice.split("-")[0].lower()
    return data is not None and (data / f"{name}_dict").is_file()


class GttsEngine:
    """gTTS made dependable. gTTS builds the requests (`_prepare_requests`); they are sent here, on
    one requests.Session with TLS verification on (gTTS itself sends with verify=False). Each
    request has a deadline for the whole exchange, enforced by shutting its socket, so a server
    that trickles a byte every few seconds cannot hold the run. Throttling (429) and server errors
    (5xx) are retried with backoff and jitter; when they keep coming, or a TLS certificate fails,
    or the run's request or time budget is spent, gTTS is not called again in this run and the
    next engine (espeak-ng) speaks."""

    name = "gtts"

    def __init__(self, timeout: float = 10.0, retries: int = 3, backoff: float = 0.5, deadline: float = 30.0,
                 max_requests: int = 5000, max_seconds: float = 1800.0, max_throttled: int | None = None,
                 tld_by_lang=None, sleep=time.sleep, session=None):
        self.timeout = float(timeout)  # for each connect and each read
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.deadline = float(deadline)  # for one whole request: connect, TLS, headers and body
        self.max_requests = int(max_requests)  # in one run
        self.max_seconds = float(max_seconds)  # from the run's first request
        self.max_throttled = int(max_throttled if max_throttled is not None else 2 * (self.retries + 1))
        self.tld_by_lang = tld_by_lang or {"en": "co.uk"}
        self.sleep = sleep
        self._session = session  # a requests.Session; made on the first request (see `session`)
        self.requests_made = 0
        self.throttled = 0
        self.started: float | None = None
        self.unreachable: str | None = None
        self._lock = threading.Lock()

    @property
    def session(self):
        """The verified requests.Session, made when gTTS is first asked. requests, urllib3 and gTTS are
        imported only then: a build that reuses every clip never asks, and importing them cost about
        80 ms of CPU, two per cent of a no-change build."""
        if self._session is None:
            from .transport import verified_session

            self._session = verified_session()
        return self._session

    def describe(self, lang: str) -> str:
        from importlib.metadata import version

        return f"gTTS {version('gTTS')} (Google)"

    def voice(self, lang: str) -> dict | None:
        """From the language registry, which a test holds to the pinned gTTS's own list of voices."""
        code = languages.get(lang).gtts
        if code is None:
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
                    for request in self._prepare(chunk, voice):
                        sink.write(self._request(request))
            if is_small_mono(raw):
                shutil.copyfile(raw, out)
            else:
                encode_mp3(raw, out, mp3_input=True)

    def _prepare(self, chunk: str, voice: dict) -> list:
        from gtts import gTTS

        tts = gTTS(chunk, lang=voice["lang"], tld=voice["tld"], slow=voice["slow"], timeout=self.timeout)
        if not hasattr(tts, "_prepare_requests"):
            raise SynthesisError("this gTTS has no _prepare_requests(); install the version in requirements.lock")
        return tts._prepare_requests()

    def _stop(self, reason: str) -> SynthesisError:
        """gTTS is not called again in this run."""
        with self._lock:
            self.unreachable = self.unreachable or reason
        return SynthesisError(reason)

    def _admit(self) -> None:
        """Count one more request, unless gTTS is stopped or the run's budget is spent."""
        with self._lock:
            if self.unreachable:
                raise SynthesisError(f"gTTS not tried: {self.unreachable}")
            now = time.monotonic()
            if self.started is None:
                self.started = now
            if self.requests_made >= self.max_requests:
                self.unreachable = f"the run's limit of {self.max_requests} requests to Google is reached"
            elif now - self.started > self.max_seconds:
                self.unreachable = f"the run's limit of {self.max_seconds:.0f} s for Google is spent"
            if self.unreachable:
                raise SynthesisError(f"gTTS stopped: {self.unreachable}")
            self.requests_made += 1

    def _request(self, request) -> bytes:
        import requests

        from .transport import EmptyAnswer, Refused, Throttled, TooSlow, host_of, root_cause, tls_reason

        last_reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                delay = self.backoff * 2 ** (attempt - 1)
                self.sleep(delay + random.uniform(0, delay))
            self._admit()
            try:
                return self._send(request)
            except Throttled as answer:
                last_reason = f"HTTP {answer.status}"
                with self._lock:
                    self.throttled += 1
                    too_many = self.throttled >= self.max_throttled
                if too_many:
                    raise self._stop(f"Google answered {last_reason} {self.throttled} times in this run; "
                                     "gTTS is not called again until the next run") from None
            except Refused as answer:
                raise SynthesisError(f"gTTS refused the request: HTTP {answer.status}") from None
            except requests.exceptions.SSLError as error:
                raise self._stop(f"the TLS certificate of {host_of(request)} could not be verified "
                                 f"({tls_reason(error)}); nothing is sent without a verified connection") from None
            except TooSlow as error:
                last_reason = f"no connection ({error})"
            except (requests.exceptions.RequestException, OSError) as error:
                last_reason = f"no connection ({root_cause(error)})"
            except EmptyAnswer as error:
                last_reason = str(error)
        reason = f"gTTS failed after {self.retries + 1} tries: {last_reason}"
        if last_reason.startswith(("no connection", "HTTP")):
            raise self._stop(reason)
        raise SynthesisError(reason)

    def _send(self, request) -> bytes:
        """One request, answered within `deadline` seconds or abandoned; the audio it carries."""
        import requests

        from .transport import MAX_ANSWER_BYTES, Deadline, Refused, Throttled, TooSlow, google_audio

        with Deadline(self.deadline) as deadline:
            try:
                wait = max(0.1, min(self.timeout, deadline.remaining()))
                # Proxies and a CA bundle from the environment (HTTPS_PROXY, REQUESTS_CA_BUNDLE), as gTTS
                # had them; verification itself can only be True or a bundle, never off.
                settings = self.session.merge_environment_settings(request.url, {}, True, True, None)
                response = self.session.send(request, stream=True, verify=settings["verify"] or True,
                                             proxies=settings["proxies"], timeout=(wait, wait),
                                             allow_redirects=False)
                with response:
                    status = response.status_code
                    if status == 429 or status >= 500:
                        raise Throttled(status)
                    if status != 200:
                        raise Refused(status)
                    body = bytearray()
                    for piece in response.iter_content(chunk_size=16_384):
                        body += piece
                        if len(body) > MAX_ANSWER_BYTES:
                            raise Refused(f"200 with an answer over {MAX_ANSWER_BYTES // 1_000_000} MB")
                        if deadline.expired:
                            break
            except (requests.exceptions.RequestException, OSError):
                if deadline.expired:
                    raise TooSlow(f"no complete answer within {self.deadline:g} s") from None
                raise
            if deadline.expired:
                raise TooSlow(f"no complete answer within {self.deadline:g} s")
        return google_audio(bytes(body))


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


def encode_mp3(source: Path, out: Path, mp3_input: bool = False, scale: float | None = None) -> None:
    """Mono MP3 at 24 kbit/s: small enough for pay-as-you-go data, clear enough for speech.
    `scale`: a gain applied on the way (the recording kit's levelling)."""
    # -q 7: lame's fast algorithm. Encoding took three times espeak-ng's own time for a page (0.41 s of CPU
    # for a 350-word page, against 0.14 s); -q 7 took 0.29 s, and at 24 kbit/s a voice sounds the same.
    command = ["lame", "--quiet", "-q", "7", "-m", "m", "-b", str(TARGET_BITRATE_KBPS), "--cbr",
               "--resample", str(TARGET_SAMPLE_KHZ)]
    if mp3_input:
        command.append("--mp3input")
    if scale is not None:
        command += ["--scale", f"{scale:g}"]
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
