"""espeak-ng 1.52 as a library: the build that the pinned PyPI package `espeakng-loader` bundles
(libespeak-ng with its own espeak-ng-data), called through ctypes. Debian 12 ships 1.51, which has
no Tigrinya; this one does, on any machine that installs requirements.lock.

The library keeps one voice and one output for the whole process, so every call holds `_GUARD`:
the generator's threads take turns. Speech comes back as 16-bit mono PCM, which the engine writes
as WAV for lame, exactly as it does with the espeak-ng command's output.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import tempfile
import threading
import wave
from pathlib import Path

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 1
PARAMETER_RATE = 1
PHONEMES_TRACE = 0x08
EE_OK = 0

_GUARD = threading.Lock()
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class LibraryMissing(Exception):
    """The bundled library cannot be loaded here; the espeak-ng command speaks instead."""


class BundledEspeak:
    """One loaded libespeak-ng; `load()` gives the process's one instance, or LibraryMissing."""

    _loaded: BundledEspeak | None = None

    def __init__(self, library_path: str, data_path: str):
        self.library_path, self.data_path = library_path, data_path
        self.lib = ctypes.CDLL(library_path)
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.lib.espeak_Info.argtypes = [ctypes.c_void_p]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        self.lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.lib.espeak_SetPhonemeTrace.argtypes = [ctypes.c_int, ctypes.c_void_p]
        # espeak-ng's data folder is the one beside the library: never the system's 1.51 data.
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(),
                                                      INITIALIZE_DONT_EXIT)
        if self.sample_rate <= 0:
            raise LibraryMissing(f"libespeak-ng at {library_path} did not start with the data in {data_path}")
        self.version = self.lib.espeak_Info(None).decode().split()[0]
        self._samples: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept: the library calls it for as long as it is loaded
        self.lib.espeak_SetSynthCallback(self._callback)

    @classmethod
    def load(cls) -> BundledEspeak:
        with _GUARD:
            if cls._loaded is None:
                try:
                    import espeakng_loader
                except ImportError:
                    raise LibraryMissing("the package espeakng-loader is not installed (requirements.lock "
                                         "pins it); run: make .venv/.installed") from None
                try:
                    cls._loaded = cls(espeakng_loader.get_library_path(), espeakng_loader.get_data_path())
                except (OSError, RuntimeError) as error:
                    raise LibraryMissing(f"espeakng-loader's library cannot be loaded: {error}") from None
            return cls._loaded

    def has_voice(self, voice: str) -> bool:
        """The voice has its rules and its dictionary in the bundled data (Tigrinya: `ti`)."""
        data = Path(self.data_path)
        name = voice.split("-")[0].lower()
        return (data / f"{name}_dict").is_file() and any(path.name.lower() == voice.lower()
                                                         for path in (data / "lang").rglob("*"))

    def _collect(self, samples, count, events) -> int:
        if count > 0 and samples:
            self._samples.append(ctypes.string_at(samples, count * 2))
        return 0

    def _speak(self, text: str, voice: str, speed: int) -> bytes:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
            raise LibraryMissing(f"espeak-ng {self.version} has no voice {voice!r}")
        self.lib.espeak_SetParameter(PARAMETER_RATE, int(speed), 0)
        data = text.encode("utf-8") + b"\0"
        self._samples = []
        if self.lib.espeak_Synth(data, len(data), 0, 0, 0, CHARS_UTF8, None, None) != EE_OK:
            raise LibraryMissing(f"espeak-ng {self.version} could not speak the text")
        return b"".join(self._samples)

    def synthesise_wav(self, text: str, voice: str, speed: int, out: Path) -> None:
        """The text spoken into a mono 16-bit WAV file at the library's own sample rate."""
        with _GUARD:
            pcm = self._speak(text, voice, speed)
        with wave.open(str(out), "wb") as sink:
            sink.setnchannels(1)
            sink.setsampwidth(2)
            sink.setframerate(self.sample_rate)
            sink.writeframes(pcm)

    def trace(self, text: str, voice: str) -> str:
        """espeak-ng's phoneme trace of the text (as `espeak-ng -X` prints it), nothing spoken aloud:
        each word's rules, and `Unpronouncable?` for a word it gives up on and spells letter by letter."""
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "trace.txt")
            stream = libc.fopen(path.encode(), b"w")
            with _GUARD:
                self.lib.espeak_SetPhonemeTrace(PHONEMES_TRACE, stream)
                try:
                    self._speak(text, voice, 175)
                finally:
                    self.lib.espeak_SetPhonemeTrace(0, None)
                    libc.fclose(stream)
            return Path(path).read_text(encoding="utf-8", errors="replace")

    def phonemes(self, text: str, voice: str) -> list[str]:
        """The text's phonemes in espeak-ng's mnemonics, word by word (as `espeak-ng -q -x` prints them)."""
        convert = self.lib.espeak_TextToPhonemes
        convert.restype = ctypes.c_char_p
        convert.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        words: list[str] = []
        with _GUARD:
            self.lib.espeak_SetVoiceByName(voice.encode())
            for line in text.splitlines():
                buffer = ctypes.create_string_buffer(line.encode("utf-8") + b"\0")
                cursor = ctypes.c_void_p(ctypes.addressof(buffer))
                while cursor.value:
                    clause = convert(ctypes.byref(cursor), CHARS_UTF8, 0)
                    words += clause.decode("utf-8", "replace").split() if clause else []
        return words
