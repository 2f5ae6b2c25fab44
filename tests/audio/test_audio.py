"""Audio: speech text, gTTS with its HTTP layer faked, espeak-ng for real, the cache and the player."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses
from gtts import gTTS
from portal.audio import report
from portal.audio.engines import (
    EspeakEngine,
    GttsEngine,
    SynthesisError,
    measure,
    merge_chunks,
)
from portal.audio.generator import make_generator
from portal.audio.library import AudioLibrary, validate
from portal.configuration import load_site
from portal.content.files import atomic_write
from portal.content.pages import load_content
from portal.speech.text import (
    apply_pronunciations,
    html_to_speech,
    pronunciation_rules,
    speech_text,
)
from support.audio import (
    GTTS_URL,
    generate,
    google_answer,
    mp3_of_silence,
)


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory) -> bytes:
    return mp3_of_silence(tmp_path_factory.mktemp("mp3") / "one.mp3", 2.0).read_bytes()


# --- speech text -------------------------------------------------------------

@pytest.mark.parametrize("html, expected", [
    ("<h2>Travel</h2><p>Free <a href='x'>bus</a> travel.</p>", ["Travel", "Free bus travel."]),
    ("<ul><li>One</li><li>Two <strong>bold</strong></li></ul>", ["One", "Two bold"]),
    ("<table><thead><tr><th>Age</th><th>Help</th></tr></thead><tbody><tr><td>18</td><td>Bus</td></tr></tbody>"
     "</table>", ["Age: 18, Help: Bus"]),
    ("<nav>Menu</nav><p>Body</p><script>x()</script>", ["Body"]),
])
def test_html_to_speech_reads_blocks_in_order_without_chrome(html, expected):
    assert html_to_speech(html) == expected


def test_speech_text_is_title_then_body_as_sentences():
    text = speech_text("Travel", "Intro line\n\n## Free bus {#free-bus .entitlement}\n\n- a\n- b\n", "en")
    assert text == "Travel. Intro line. Free bus. a. b."


@pytest.mark.parametrize("lang, raw, spoken", [
    ("en", "Save £800 a year", "Save 800 pounds a year"),
    ("en", "Ages 16–25", "Ages 16 to 25"),
    ("en", "Ask TfL or the CiCC", "Ask T f L or the C I C C"),
    ("en", "Your PA helps", "Your personal adviser helps"),
    ("en", "Reviewed 2026-11-24", "Reviewed 24/11/2026"),
    ("ar", "£800", "800 جنيه إسترليني"),
    ("vi", "16–25", "từ 16 đến 25"),
])
def test_pronunciation_list(lang, raw, spoken):
    assert apply_pronunciations(raw, pronunciation_rules(lang)) == spoken


# --- gTTS, HTTP faked --------------------------------------------------------

def test_merged_chunks_make_fewer_requests_than_gtts_alone():
    text = " ".join(f"Short sentence number {i}." for i in range(60))
    ours = merge_chunks(text, 100)
    assert all(len(chunk) <= 100 for chunk in ours)
    assert " ".join(ours) == text
    theirs = gTTS(text, lang="en")._tokenize(text)
    assert len(ours) * 3 <= len(theirs), (len(ours), len(theirs))


@responses.activate
def test_gtts_success_writes_a_validated_clip(tmp_path, clip_bytes):
    responses.add(responses.POST, GTTS_URL, body=google_answer(clip_bytes))
    engine = GttsEngine(sleep=lambda s: None)
    engine.synthesise("Hello there.", "en", tmp_path / "out.mp3")
    assert measure(tmp_path / "out.mp3")[0] == pytest.approx(2.0, abs=0.2)
    assert "translate.google.co.uk" in responses.calls[0].request.url
    assert engine.requests_made == 1


@responses.activate
def test_gtts_requests_are_sent_with_tls_verification_streamed_and_timed(tmp_path, clip_bytes):
    """gTTS itself sends with verify=False; the engine sends gTTS's prepared requests itself."""
    responses.add(responses.POST, GTTS_URL, body=google_answer(clip_bytes))
    engine = GttsEngine(sleep=lambda s: None, timeout=3)
    engine.synthesise("Hello there.", "en", tmp_path / "out.mp3")
    sent = responses.calls[0].request
    verify = sent.req_kwargs["verify"]  # True, or the CA bundle REQUESTS_CA_BUNDLE names; never off
    assert (verify is True or Path(verify).is_file()) and sent.req_kwargs["stream"] is True
    assert sent.req_kwargs["timeout"] == (3.0, 3.0)
    assert "f.req=" in sent.body, "the body gTTS prepared"


@responses.activate
def test_gtts_429_then_success_backs_off_and_retries(tmp_path, clip_bytes):
    responses.add(responses.POST, GTTS_URL, status=429)
    responses.add(responses.POST, GTTS_URL, status=503)
    responses.add(responses.POST, GTTS_URL, body=google_answer(clip_bytes))
    delays = []
    engine = GttsEngine(sleep=delays.append, backoff=1.0)
    engine.synthesise("Hello there.", "en", tmp_path / "out.mp3")
    assert engine.requests_made == 3
    assert 1.0 <= delays[0] <= 2.0 and 2.0 <= delays[1] <= 4.0


@responses.activate
def test_gtts_other_client_errors_are_not_retried(tmp_path):
    responses.add(responses.POST, GTTS_URL, status=403)
    engine = GttsEngine(sleep=lambda s: None)
    with pytest.raises(SynthesisError, match="HTTP 403"):
        engine.synthesise("Hello.", "en", tmp_path / "out.mp3")
    assert engine.requests_made == 1


@responses.activate
def test_gtts_timeout_is_retried_then_marks_google_unreachable(tmp_path):
    responses.add(responses.POST, GTTS_URL, body=requests.exceptions.ReadTimeout("slow"))
    engine = GttsEngine(retries=2, sleep=lambda s: None)
    with pytest.raises(SynthesisError, match="no connection .ReadTimeout."):
        engine.synthesise("Hello.", "en", tmp_path / "out.mp3")
    assert engine.requests_made == 3
    with pytest.raises(SynthesisError, match="not tried"):
        engine.synthesise("Again.", "en", tmp_path / "out2.mp3")
    assert engine.requests_made == 3


def test_gtts_unsupported_language_has_no_voice_and_sends_nothing():
    engine = GttsEngine()
    assert engine.voice("ps") is None and engine.voice("ti") is None
    with pytest.raises(SynthesisError, match="no voice"):
        engine.synthesise("x", "ps", Path("/nonexistent.mp3"))
    assert engine.requests_made == 0


# --- espeak-ng, for real -----------------------------------------------------

def test_espeak_makes_a_small_mono_mp3_of_plausible_length(tmp_path):
    text = "You can travel free by bus and tram in London."
    out = tmp_path / "speech.mp3"
    EspeakEngine().synthesise(text, "en", out)
    duration, size, bitrate = measure(out)
    assert 1.5 < duration < 8 and 0 < size < 40_000 and bitrate <= 48_000
    assert validate(out, text)[0] == pytest.approx(duration)


def test_espeak_has_no_pashto_or_sorani_voice():
    assert [EspeakEngine().voice(code) for code in ("ps", "ku")] == [None, None]


def test_a_truncated_clip_is_rejected(tmp_path):
    clip = mp3_of_silence(tmp_path / "short.mp3", 0.5)
    with pytest.raises(SynthesisError, match="truncated"):
        validate(clip, "A long page text. " * 40)


# --- the cache, the lock and the generator -----------------------------------


def test_fallback_clip_is_provisional_and_a_rebuild_synthesises_nothing(fixture_site, engines):
    first = generate(fixture_site, engines)
    assert {(o.lang, o.page, o.engine, o.provisional) for o in first} == {
        ("en", "index.md", "espeak-ng", True), ("en", "offer/travel.md", "espeak-ng", True),
        ("ar", "index.md", "espeak-ng", True), ("ar", "offer/travel.md", "espeak-ng", True),
        ("vi", "index.md", "espeak-ng", True),
    }
    made = len(engines["espeak-ng"].calls)
    assert made == 9, "a clip for each section: both home pages, vi's, and three for each travel page"

    second = generate(fixture_site, engines)
    assert len(engines["espeak-ng"].calls) == made and not any(o.synthesised for o in second)
    lock = json.loads((fixture_site / "audio/lock.json").read_text(encoding="utf-8"))
    assert set(lock["en/index.md"]) == {"page", "lang", "text_hash", "engine", "clip", "duration", "bytes",
                                        "provisional"}


def test_upgrade_replaces_provisional_clip_when_preferred_engine_answers(fixture_site, engines):
    generate(fixture_site, engines)
    engines["gtts"].fail = False
    upgraded = generate(fixture_site, engines, upgrade=True)
    assert {o.engine for o in upgraded} == {"gtts"} and not any(o.provisional for o in upgraded)
    clips = {p.name for p in (fixture_site / "audio/clips").glob("*.mp3")}
    lock = json.loads((fixture_site / "audio/lock.json").read_text(encoding="utf-8"))
    live = {clip for entry in lock.values() for clip in entry.get("parts") or [entry["clip"]]}
    assert clips == live, "stale espeak clips are pruned; a joined page clip is never committed"


def test_editing_one_english_page_resynthesises_that_page_only(fixture_site, engines):
    generate(fixture_site, engines)
    before = len(engines["espeak-ng"].calls)
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    outcomes = generate(fixture_site, engines)
    assert [(o.lang, o.page) for o in outcomes if o.synthesised] == [("en", "offer/travel.md")]
    assert len(engines["espeak-ng"].calls) == before + 1


def test_failed_synthesis_is_not_cached_and_is_reported(fixture_site, engines):
    engines["espeak-ng"].fail = True
    outcomes = generate(fixture_site, engines)
    assert all(not o.has_audio for o in outcomes)
    assert all("gtts: unreachable" in o.reason and "espeak-ng: unreachable" in o.reason for o in outcomes)
    assert not list((fixture_site / "audio/clips").glob("*"))
    assert json.loads((fixture_site / "audio/lock.json").read_text(encoding="utf-8")) == {}


def test_strict_mode_lists_provisional_and_missing_audio(fixture_site, engines):
    site = load_site(fixture_site)
    generator = make_generator(site, engines)
    outcomes = generator.generate(load_content(site))
    failures = report.strict_failures(outcomes, generator)
    assert len(failures) == 5 and all("provisional espeak-ng" in f for f in failures)


def test_human_recording_wins_over_every_engine(fixture_site, engines, tmp_path):
    recording = fixture_site / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True)
    mp3_of_silence(recording, 9.0)
    outcomes = {(o.lang, o.page): o for o in generate(fixture_site, engines)}
    assert outcomes[("ar", "offer/travel.md")].engine == "recording"
    assert not outcomes[("ar", "offer/travel.md")].provisional
    arabic_texts = [text for lang, text in engines["espeak-ng"].calls if lang == "ar"]
    # The recording is the page's clip; its two entitlements still get a computer voice's clips.
    assert len(arabic_texts) == 3 and arabic_texts[0].startswith("مرحبا")
    assert [t.split(".")[0] for t in arabic_texts[1:]] == ["السفر المجاني بالحافلة والترام", "دروس اللغة الإنجليزية"]
    library = AudioLibrary(fixture_site / "audio")
    assert library.lock["ar/offer/travel.md"].duration == pytest.approx(9.0, abs=0.3)


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "lock.json"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(TypeError):
        atomic_write(target, object())  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["lock.json"]
