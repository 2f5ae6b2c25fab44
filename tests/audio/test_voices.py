"""espeak-ng 1.52 from the pinned package: Tigrinya gets a computer voice; Pashto and Sorani do not;
`make audio` says which engine and version speaks each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from portal.audio.engines import EspeakEngine, GttsEngine, measure
from portal.audio.espeak_library import BundledEspeak
from portal.audio.lock import parse_lock
from portal.audio.report import voices_by_language, voices_table
from portal.content import languages
from support.audio import FakeEngine, add_language, generate, mp3_of_silence
from support.builds import build_site, out

REPO = Path(__file__).resolve().parents[2]
TIGRINYA = "ሰላም። ኣብ ለንደን ብኣውቶቡስን ትራምን ብነጻ ክትጓዓዝ ትኽእል ኢኻ። ንዝያዳ ሓበሬታ ንኣማኻሪኻ ሕተት።"
TIGRINYA_HOME = f"""---
title: እንቋዕ ብደሓን መጻእኩም
description: ቤት ምኽሪ ንመንእሰያት ዝህቦ ሓገዝ።
translation:
  source_hash: "6ad4409f2ace"
  status: draft
---

{TIGRINYA}
"""


def test_the_bundled_library_is_espeak_ng_1_52_from_the_pinned_package():
    import espeakng_loader

    library = BundledEspeak.load()
    assert library.version == "1.52.0"
    assert Path(library.library_path).parent == Path(espeakng_loader.__file__).parent
    assert Path(library.data_path).parent == Path(espeakng_loader.__file__).parent, "its own data, not Debian's"
    pins = (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert "espeakng-loader==0.2.4" in pins
    assert '"espeakng-loader==0.2.4"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_tigrinya_is_spoken_by_1_52_and_pashto_and_sorani_have_no_generated_voice():
    engine = EspeakEngine()
    assert engine.voice("ti") == {"voice": "ti", "speed": 150, "kbps": 24, "khz": 16, "espeak": "1.52.0"}
    assert engine.describe("ti") == "espeak-ng 1.52.0 (espeakng-loader)"
    assert engine.voice("ps") is None and engine.voice("ku") is None
    # Amharic and Farsi stay with the system's build: 1.52 reads the real pages with the same phonemes
    # (scripts/espeak_versions.py), and their committed clips stay valid.
    assert "espeak" not in engine.voice("am") and "espeak" not in engine.voice("fa")


@pytest.mark.parametrize("language", languages.LANGUAGES, ids=lambda language: language.code)
def test_the_registry_gives_gtts_exactly_the_voices_the_pinned_gtts_has(language):
    """The engine reads Google's voices from the registry, not from gTTS (whose import pulls in requests on
    every build): so the registry must say what the pinned gTTS says, for every language."""
    from gtts.lang import tts_langs

    google = tts_langs()
    voice = GttsEngine(session=object()).voice(language.code)
    if language.gtts is None:
        assert voice is None
        assert language.code not in google and language.tag not in google, "gTTS has a voice the registry leaves out"
    else:
        assert language.gtts in google and voice["lang"] == language.gtts


def test_a_build_that_asks_no_speech_service_imports_no_http_library(tmp_path):
    """requests and gTTS are imported when gTTS is first asked, not by the build's own modules."""
    import subprocess
    import sys

    probe = ("import sys; import portal.cli, portal.audio.generator, portal_mkdocs.plugin; "
             "print(sorted(name for name in ('requests', 'gtts', 'urllib3') if name in sys.modules))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"


def test_tigrinya_clip_is_a_mono_mp3_at_the_bitrate_of_every_clip(tmp_path):
    clip = tmp_path / "ti.mp3"
    EspeakEngine().synthesise(TIGRINYA, "ti", clip)
    duration, size, bitrate = measure(clip)
    assert bitrate == 24_000 and 3 < duration < 20 and size > 0
    assert clip.read_bytes()[:3] == b"ID3" or clip.read_bytes()[0] == 0xFF


def test_without_the_package_tigrinya_falls_back_to_the_command_which_has_no_voice(monkeypatch):
    from portal.audio import engines

    monkeypatch.setattr(engines, "_has_voice", lambda build, voice: build == "command" and voice != "ti")
    engine = EspeakEngine()
    assert engine.voice("ti") is None and engine.build("am") == "command"


@pytest.mark.build
def test_tigrinya_pages_play_a_computer_voice_from_the_pinned_package(fixture_site, tmp_path):
    add_language(fixture_site, "ti")
    (fixture_site / "docs/ti/index.md").parent.mkdir(parents=True)
    (fixture_site / "docs/ti/index.md").write_text(TIGRINYA_HOME, encoding="utf-8")
    silence = mp3_of_silence(tmp_path / "silence.mp3", 30.0)
    outcomes = generate(fixture_site, {"gtts": FakeEngine("gtts", set(), silence, fail=True),
                                       "espeak-ng": EspeakEngine()})
    tigrinya = next(o for o in outcomes if o.lang == "ti")
    assert tigrinya.engine == "espeak-ng" and not tigrinya.provisional and tigrinya.synthesised
    lock = parse_lock((fixture_site / "audio/lock.json").read_text(encoding="utf-8"))
    assert lock["ti/index.md"].engine == "espeak-ng"
    page = out(build_site(fixture_site), "ti", "index.html")
    player = re.search(r'<div class="portal-audio portal-audio--page" data-portal-player.*?</div>', page, re.S).group(0)
    assert "ብድምጺ ኮምፒተር ዝተነበበ።" in player, "labelled, in Tigrinya, as a computer voice"
    src = re.search(r'<audio[^>]* src="([^"]+)"', player).group(1)
    assert (fixture_site / "site/ti" / src).resolve().is_file()


def test_make_audio_names_the_engine_and_version_of_each_language(tmp_path):
    from portal.audio.generator import AudioGenerator
    from portal.audio.library import AudioLibrary

    generator = AudioGenerator(AudioLibrary(tmp_path / "audio"),
                               {"gtts": GttsEngine(), "espeak-ng": EspeakEngine()},
                               {"default": ["recording", "gtts", "espeak-ng"]})
    voices = voices_by_language(generator, ["en", "ps", "ti"])
    assert voices == {"en": ["gTTS 2.5.4 (Google)", "espeak-ng 1.51 (system)"], "ps": [],
                      "ti": ["espeak-ng 1.52.0 (espeakng-loader)"]}
    assert voices_table(voices).splitlines()[1] == "ps   no generated voice: recordings only"
