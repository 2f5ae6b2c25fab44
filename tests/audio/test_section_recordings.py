"""Recordings of one section: joined with generated sections into the page's clip, played by that
entitlement's player labelled as recorded, and no longer played once the section's words change."""

from __future__ import annotations

import re

import pytest
from portal.audio.lock import parse_lock
from portal.audio.recordings import unplayed_recordings
from portal.cli import main
from portal.configuration import load_site
from portal.content.pages import load_content
from support.audio import FakeEngine, generate, mp3_of_silence, record_section, with_pashto
from support.builds import build_site, out

PLAYER = r'<h2 [^>]*id="{ident}">.*?</h2>\s*<p class="portal-share">.*?</p>\s*(<div class="portal-audio portal-audio--entitlement".*?</div>)?'
RECORDED_PS = "د شخصي سلاکار لخوا ثبت شوی."


@pytest.fixture
def quiet_engines(tmp_path):
    clip = mp3_of_silence(tmp_path / "long.mp3", 1.0)
    return {"gtts": FakeEngine("gtts", set(), clip, fail=True), "espeak-ng": FakeEngine("espeak-ng", {"en", "ar"}, clip)}


def lock(project):
    return parse_lock((project / "audio/lock.json").read_text(encoding="utf-8"))


@pytest.mark.build
def test_a_recorded_pashto_section_plays_in_its_player_until_its_words_change(fixture_site, quiet_engines):
    project = with_pashto(fixture_site)
    record_section(project, "ps", "offer/travel.md", "free-bus-and-tram")
    outcomes = generate(project, quiet_engines)
    travel = next(o for o in outcomes if (o.lang, o.page) == ("ps", "offer/travel.md"))
    assert travel.voices == [None, "recording", None], "only the recorded section has a voice"
    assert travel.engine is None, "no clip for the whole page while sections have no voice"
    entry = lock(project)["ps/offer/travel.md#free-bus-and-tram"]
    assert entry.engine == "recording" and entry.clip.startswith("rec-")
    page = out(build_site(project), "ps", "offer/travel/index.html")
    player = re.search(PLAYER.format(ident="free-bus-and-tram"), page, re.S).group(1)
    assert RECORDED_PS in player and f"audio/{entry.clip}" in player
    assert not re.search(PLAYER.format(ident="english-classes"), page, re.S).group(1), "an unvoiced section: no player"

    source = project / "docs/ps/offer/travel.md"
    source.write_text(source.read_text(encoding="utf-8").replace("cost: وړیا.", "cost: وړیا، تر ۲۵ کلنۍ."),
                      encoding="utf-8")
    content = load_content(load_site(project))
    [line] = unplayed_recordings(content, project / "audio/recordings", project)
    assert line.startswith("audio/recordings/ps/offer/travel/free-bus-and-tram.mp3: out of date")
    stale = next(o for o in generate(project, quiet_engines) if (o.lang, o.page) == ("ps", "offer/travel.md"))
    assert stale.voices == [None, None, None] and "out of date" in stale.reason
    assert "ps/offer/travel.md#free-bus-and-tram" not in lock(project)
    page = out(build_site(project), "ps", "offer/travel/index.html")
    assert not re.search(PLAYER.format(ident="free-bus-and-tram"), page, re.S).group(1), "out of date: not played"
    assert entry.clip not in page

    assert main(["--root", str(project), "record-confirm", "ps/offer/travel/free-bus-and-tram"]) == 0
    assert next(o for o in generate(project, quiet_engines)
                if (o.lang, o.page) == ("ps", "offer/travel.md")).voices == [None, "recording", None]


def test_a_recorded_section_joins_the_computer_voiced_ones_into_the_page_clip(fixture_site, quiet_engines, capsys):
    record_section(fixture_site, "ar", "offer/travel.md", "intro", role="care-leaver")
    outcomes = generate(fixture_site, quiet_engines)
    travel = next(o for o in outcomes if (o.lang, o.page) == ("ar", "offer/travel.md"))
    assert travel.voices == ["recording", "espeak-ng", "espeak-ng"] and travel.engine == "espeak-ng"
    entry = lock(fixture_site)["ar/offer/travel.md"]
    assert entry.voices == travel.voices and entry.parts[0].startswith("rec-") and len(entry.parts) == 3
    assert lock(fixture_site)["ar/offer/travel.md#free-bus-and-tram"].engine == "espeak-ng"


def test_a_recording_without_its_words_is_not_played(fixture_site, quiet_engines):
    path = record_section(fixture_site, "ar", "offer/travel.md", "intro")
    path.with_suffix(".txt").unlink()
    travel = next(o for o in generate(fixture_site, quiet_engines) if (o.lang, o.page) == ("ar", "offer/travel.md"))
    assert travel.voices == ["espeak-ng"] * 3 and "record-confirm RECORDING=ar/offer/travel/intro" in travel.reason
