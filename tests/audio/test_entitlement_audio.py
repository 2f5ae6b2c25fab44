"""Audio for each entitlement: sections, joined page clips, only changed sections synthesised again,
and each entitlement's player in a full build of the fixture site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import responses
from conftest import copy_fixture_site
from mutagen.mp3 import MP3
from portal.audio.engines import GttsEngine, SynthesisError, measure
from portal.audio.generator import make_generator
from portal.audio.join import audio_frames, join_mp3
from portal.audio.library import AudioLibrary, copy_clip
from portal.audio.roles import read_roles
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.speech.sections import page_sections, split_markdown
from support.audio import GTTS_URL, FakeEngine, generate, google_answer, mp3_of_silence
from support.builds import build_site, out

# --- splitting a page into sections ----------------------------------------------------------------

SPLITS = [
    ("no entitlement: one section", "Intro.\n\n## Other\n\nText.", [None]),
    ("intro, entitlement, rest at the same level",
     "Intro.\n\n## A {#a .entitlement}\n\nFacts.\n\n## Other\n\nRest.", [None, "a", None]),
    ("a deeper heading stays in its entitlement",
     "## A {#a .entitlement}\n\nFacts.\n\n### Detail\n\nMore.\n\n## B {.entitlement #b}\n\nB facts.", ["a", "b"]),
    ("a heading inside a code fence is not a heading",
     "## A {#a .entitlement}\n\n```\n## Not {#x .entitlement}\n```\n\nText.", ["a"]),
    ("a higher heading closes the entitlement",
     "### A {#a .entitlement}\n\nFacts.\n\n## Next\n\nAfter.", ["a", None]),
    ("an anchor without the class is ordinary text", "Intro.\n\n## Plain {#plain}\n\nText.", [None]),
]


@pytest.mark.parametrize("markdown, expected", [s[1:] for s in SPLITS], ids=[s[0] for s in SPLITS])
def test_split_markdown_into_sections(markdown, expected):
    assert [ident for ident, _ in split_markdown(markdown)] == expected


def test_an_entitlement_section_holds_its_heading_and_words_only():
    sections = page_sections("Travel", "Getting around.\n\n## Buses {#buses .entitlement}\n\nFree buses.\n\n"
                                       "## Other help\n\nAsk us.", "en")
    assert [(s.entitlement, s.text) for s in sections] == [
        (None, "Travel. Getting around."), ("buses", "Buses. Free buses."), (None, "Other help. Ask us.")]


def test_a_page_opening_with_an_entitlement_has_its_title_apart():
    sections = page_sections("Travel", "## Buses {#buses .entitlement}\n\nFree buses.", "en")
    assert [(s.entitlement, s.text) for s in sections] == [(None, "Travel."), ("buses", "Buses. Free buses.")]


# --- joining clips ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def silences(tmp_path_factory) -> dict[float, bytes]:
    folder = tmp_path_factory.mktemp("silence")
    return {seconds: mp3_of_silence(folder / f"{seconds}.mp3", seconds).read_bytes() for seconds in (0.5, 2.0, 7.0)}


@pytest.mark.parametrize("lengths", [[2.0], [2.0, 7.0], [0.5, 2.0, 7.0, 0.5]])
def test_joined_clip_lasts_as_long_as_its_parts_and_mutagen_reads_it(silences, lengths, tmp_path):
    parts = [(f"part{i}", silences[seconds]) for i, seconds in enumerate(lengths)]
    joined = join_mp3(parts)
    path = tmp_path / "joined.mp3"
    path.write_bytes(joined.data)
    each = [audio_frames(data).seconds for _, data in parts]
    assert joined.seconds == pytest.approx(sum(each))
    assert MP3(path).info.length == pytest.approx(sum(each), abs=0.01)
    assert sum(lengths) <= joined.seconds <= sum(lengths) + 0.2 * len(lengths)  # the encoder's padding only


def test_tags_and_info_headers_of_the_parts_are_left_out(silences, tmp_path):
    clip = silences[2.0]
    frames = audio_frames(clip)
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10  # an ID3v2 tag with 10 bytes of padding
    tagged = id3 + clip + b"TAG" + b"\x00" * 125
    assert audio_frames(tagged).data == frames.data
    joined = join_mp3([("a", tagged), ("b", clip)])
    assert joined.data == frames.data * 2 and b"ID3" not in joined.data and b"TAG\x00" not in joined.data


def test_an_info_header_frame_and_tags_between_frames_are_left_out(silences):
    clip = silences[2.0]
    frames = audio_frames(clip)
    assert len(clip) == 108 * frames.count, "24 kbit/s at 16 kHz: every frame is 108 bytes"
    info = clip[:13] + b"Info" + clip[17:108]  # MPEG-2 mono: the header (4) and side information (9) first
    assert audio_frames(info + clip).data == frames.data
    assert audio_frames(info + clip).count == frames.count
    id3 = b"ID3\x03\x00\x00\x00\x00\x00\x05" + b"\x00" * 5
    as_gtts_writes_them = id3 + clip + id3 + clip  # one answer after another, each with its own tag
    assert audio_frames(as_gtts_writes_them).data == frames.data * 2


def test_clips_of_different_formats_are_not_joined(silences, tmp_path):
    import subprocess
    import wave

    wav = tmp_path / "stereo.wav"
    with wave.open(str(wav), "wb") as sink:
        sink.setnchannels(2)
        sink.setsampwidth(2)
        sink.setframerate(22050)
        sink.writeframes(b"\x00\x00\x00\x00" * 22050)
    stereo = tmp_path / "stereo.mp3"
    subprocess.run(["lame", "--quiet", "-m", "s", "-b", "64", "--resample", "22.05", str(wav), str(stereo)],
                   check=True)
    with pytest.raises(SynthesisError, match="cannot be joined"):
        join_mp3([("a", silences[2.0]), ("b.mp3", stereo.read_bytes())])
    with pytest.raises(SynthesisError, match="not the start of an MP3"):
        audio_frames(b"not audio at all", "c.mp3")


# --- only what changed is synthesised again --------------------------------------------------------

@pytest.fixture
def engines(tmp_path):
    scratch = mp3_of_silence(tmp_path / "scratch.mp3", 1.0)
    return {"gtts": FakeEngine("gtts", set(), scratch),
            "espeak-ng": FakeEngine("espeak-ng", {"en", "ar", "vi"}, scratch)}


EDITS = [
    ("one entitlement's words", "Free travel on London buses and trams.", "Free travel on buses and trams in London.",
     ["Free bus and tram travel"]),
    ("the text before the entitlements", "Getting around London.", "Getting around the city.", ["Travel"]),
    ("the last entitlement's own paragraph", "Classes were planned", "Classes were first planned", ["English classes"]),
]


@pytest.mark.parametrize("old, new, heard", [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_editing_one_section_synthesises_that_section_only(fixture_site, engines, old, new, heard):
    generate(fixture_site, engines)
    espeak = engines["espeak-ng"]
    espeak.calls.clear()
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    outcomes = generate(fixture_site, engines)
    assert [text.split(".")[0] for _, text in espeak.calls] == heard
    assert [(o.lang, o.page) for o in outcomes if o.synthesised] == [("en", "offer/travel.md")]
    library = AudioLibrary(fixture_site / "audio")
    page_entry = library.lock["en/offer/travel.md"]
    assert len(page_entry.parts) == 3 and all(library.has_clip(p) for p in page_entry.parts)
    assert not (library.clips / page_entry.clip).exists(), "a page's joined clip is never committed"
    sections = sum(library.lock[f"en/offer/travel.md#{i}"].duration for i in ("free-bus-and-tram", "english-classes"))
    assert page_entry.duration > sections


@responses.activate
def test_gtts_speaks_each_section_through_its_real_request_path_and_the_page_is_joined(fixture_site, engines, tmp_path):
    """gTTS with only its HTTP layer faked: one answer of 5 s of silence for every request."""
    answer = google_answer(mp3_of_silence(tmp_path / "answer.mp3", 5.0).read_bytes())
    responses.add(responses.POST, GTTS_URL, body=answer)
    gtts = GttsEngine(sleep=lambda seconds: None)
    outcomes = generate(fixture_site, {"gtts": gtts, "espeak-ng": engines["espeak-ng"]})
    assert {o.engine for o in outcomes} == {"gtts"} and engines["espeak-ng"].calls == []
    library = AudioLibrary(fixture_site / "audio")
    page = library.lock["en/offer/travel.md"]
    assert len(page.parts) == 3 and not page.provisional
    assert page.duration == pytest.approx(sum(measure(library.clips / p)[0] for p in page.parts), abs=0.01)
    assert page.duration >= 15.0, "three sections, each at least one 5 s answer"
    assert library.lock["en/offer/travel.md#english-classes"].engine == "gtts"
    copy_clip(library, page.clip, tmp_path / "site")
    assert MP3(tmp_path / "site/audio" / page.clip).info.length == pytest.approx(page.duration, abs=0.01)


def test_committed_audio_holds_each_section_once(fixture_site, engines):
    generate(fixture_site, engines)
    library = AudioLibrary(fixture_site / "audio")
    committed = sum(p.stat().st_size for p in library.clips.glob("*.mp3"))
    pages = sum(entry.bytes for key, entry in library.lock.items() if "#" not in key)
    assert committed == pages, "the clips in audio/clips/ add up to the pages' audio: nothing is stored twice"


def test_a_removed_entitlement_loses_its_clip(fixture_site, engines):
    generate(fixture_site, engines)
    page = fixture_site / "docs/en/offer/travel.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("## English classes {#english-classes .entitlement}", "## English classes"),
                    encoding="utf-8")
    generate(fixture_site, engines)
    lock = AudioLibrary(fixture_site / "audio").lock
    assert "en/offer/travel.md#english-classes" not in lock and "en/offer/travel.md#free-bus-and-tram" in lock


def test_published_joined_clip_is_checked_against_the_lock(fixture_site, engines, tmp_path):
    generate(fixture_site, engines)
    library = AudioLibrary(fixture_site / "audio")
    entry = library.lock["en/offer/travel.md"]
    copy_clip(library, entry.clip, tmp_path / "site")
    published = tmp_path / "site/audio" / entry.clip
    assert published.stat().st_size == entry.bytes
    assert MP3(published).info.length == pytest.approx(entry.duration, abs=0.01)
    lock = json.loads(library.lock_path.read_text(encoding="utf-8"))
    lock["en/offer/travel.md"]["bytes"] += 1
    library.lock_path.write_text(json.dumps(lock), encoding="utf-8")
    with pytest.raises(PortalError, match=r"joins to \d+ bytes, not the \d+ recorded; run `make audio`"):
        copy_clip(AudioLibrary(fixture_site / "audio"), entry.clip, tmp_path / "again")


def test_a_joined_clip_is_joined_once_and_kept_for_later_builds(fixture_site, engines, tmp_path, monkeypatch):
    import portal.audio.library as library_module

    generate(fixture_site, engines)
    library = AudioLibrary(fixture_site / "audio")
    entry = library.lock["en/offer/travel.md"]
    joins = []
    real = library_module.join_mp3
    monkeypatch.setattr(library_module, "join_mp3", lambda parts: joins.append(1) or real(parts))
    copy_clip(library, entry.clip, tmp_path / "first")
    copy_clip(library, entry.clip, tmp_path / "second")
    assert joins == [1], "the second build copies the kept clip"
    kept = fixture_site / ".cache/joined" / entry.clip
    assert kept.read_bytes() == (tmp_path / "first/audio" / entry.clip).read_bytes() \
        == (tmp_path / "second/audio" / entry.clip).read_bytes()
    kept.write_bytes(kept.read_bytes()[:-10])  # damaged: its size no longer matches the lock
    copy_clip(library, entry.clip, tmp_path / "third")
    assert joins == [1, 1] and (tmp_path / "third/audio" / entry.clip).stat().st_size == entry.bytes


def test_unknown_recording_role_is_named_with_its_line(fixture_site, engines):
    roles = fixture_site / "audio/recordings/roles.yml"
    roles.parent.mkdir(parents=True)
    roles.write_text("ar/index.mp3: personal-adviser\nen/index.mp3: manager\nvi/index.mp3: boss\n", encoding="utf-8")
    with pytest.raises(PortalError) as error:
        read_roles(roles, fixture_site)
    expected = ["audio/recordings/roles.yml:2: en/index.mp3: 'manager' is not a role; "
                "use one of personal-adviser, care-leaver, staff, person",
                "audio/recordings/roles.yml:3: vi/index.mp3: 'boss' is not a role; "
                "use one of personal-adviser, care-leaver, staff, person"]
    assert str(error.value).splitlines() == expected
    site = load_site(fixture_site)
    generator = make_generator(site, engines)
    generator.generate(load_content(site))
    assert [str(problem) for problem in generator.problems] == expected, "make audio reports every one"


# --- the players in a full build -------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    scratch = tmp_path_factory.mktemp("entitlement-audio")
    project = copy_fixture_site(scratch / "project")
    clip = mp3_of_silence(scratch / "scratch.mp3", 1.0)
    recording = project / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True)
    mp3_of_silence(recording, 30.0)
    (project / "audio/recordings/roles.yml").write_text("ar/offer/travel.mp3: personal-adviser\n", encoding="utf-8")
    generate(project, {"gtts": FakeEngine("gtts", set(), clip),
                       "espeak-ng": FakeEngine("espeak-ng", {"en", "ar"}, clip)})
    return build_site(project)


PLAYER = re.compile(r'<h2 class="entitlement" id="(?P<id>[^"]+)">[^<]*</h2>\n<p class="portal-share">.*?</p>\n'
                    r'<div class="portal-audio portal-audio--entitlement" data-portal-player '
                    r'data-portal-speed-label="(?P<speed>[^"]+)">'
                    r'<audio controls preload="none" src="(?P<src>[^"]+)" aria-label="(?P<label>[^"]+)"(?P<lang>[^>]*)>'
                    r'</audio><p class="portal-audio__voice">(?P<voice>[^<]+)</p>(?P<note>.*?)</div>', re.S)

EXPECTED = {  # language -> (label of the first player, the voice, heard in English)
    "en": ("Listen to: Free bus and tram travel", "Read by a computer voice.", False),
    "ar": ("استمع إلى: السفر المجاني بالحافلة والترام", "يقرؤه صوت حاسوبي.", False),
    "vi": ("Nghe: Free bus and tram travel", "Đọc bằng giọng máy tính.", True),
}


@pytest.mark.parametrize("lang", EXPECTED)
def test_each_entitlement_has_its_own_player_in_every_language(built, lang):
    html = out(built, lang, "offer/travel/index.html")
    players = list(PLAYER.finditer(html))
    assert [p["id"] for p in players] == ["free-bus-and-tram", "english-classes"]
    label, voice, english = EXPECTED[lang]
    assert players[0]["label"] == label and players[0]["voice"] == voice
    assert (players[0]["lang"] == ' lang="en"') is english
    for player in players:
        assert (built / ("" if lang == "en" else lang) / "offer/travel" / player["src"]).resolve().is_file()
    # The page player's speed buttons are in the page; each entitlement's, made by portal.js, are not.
    assert [b for b in re.findall(r'data-portal-speed="([^"]+)"', html)] == ["0.75", "1", "1.25"]
    assert {p["speed"] for p in players} == {strings(lang)["audio_speed"]}


@pytest.mark.parametrize("lang", EXPECTED)
def test_search_does_not_index_the_players(built, lang):
    index = built / ("" if lang == "en" else lang) / "search/search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    label, voice, _ = EXPECTED[lang]
    assert any("/offer/travel/" in "/" + d["location"] for d in docs)
    for doc in docs:
        assert voice not in doc["text"] and "0.75×" not in doc["text"], doc["location"]


def test_an_entitlement_clip_is_only_its_section(built):
    lock = AudioLibrary(built.parent / "audio").lock
    page, section = lock["en/offer/travel.md"], lock["en/offer/travel.md#free-bus-and-tram"]
    assert section.clip in page.parts and section.duration < page.duration / 2
    html = out(built, "en", "offer/travel/index.html")
    assert f'src="../../audio/{section.clip}" aria-label="Listen to: Free bus and tram travel"' in html


def test_a_recorded_page_names_who_recorded_it_and_keeps_computer_voiced_entitlements(built):
    html = out(built, "ar", "offer/travel/index.html")
    page_player = html[html.index('<div class="portal-audio portal-audio--page" data-portal-player'):]
    assert '<p class="portal-audio__voice">سجّله مستشار شخصي.</p>' in page_player[:2000]
    assert len(re.findall('<p class="portal-audio__voice">يقرؤه صوت حاسوبي.</p>', html)) == 2
