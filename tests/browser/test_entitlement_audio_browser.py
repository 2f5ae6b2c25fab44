"""An entitlement's own clip in Debian's Chromium: it plays from its section, the speed buttons set
the player's rate, nothing loads before play, and without JavaScript the native player remains."""

from __future__ import annotations

import pytest
from conftest import copy_fixture_site
from support.audio import FakeEngine, generate, mp3_of_silence
from support.browser import add_checkers, axe_violations, serve
from support.builds import build_site

pytestmark = pytest.mark.browser

FIRST_PLAYER = "#free-bus-and-tram + .portal-share + [data-portal-player]"
FINDER_PAGE = """---
title: What can I get?
description: The offer, by who it is for.
last_reviewed: 2026-01-10
owner: Leaving care team
review_every_months: 24
status: draft
audience: [care-leavers]
---

Answer the questions to see what may fit you.

[[finder]]
"""


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("entitlement-audio-browser")
    project = copy_fixture_site(scratch / "project")
    (project / "docs/en/finder.md").write_text(FINDER_PAGE, encoding="utf-8")
    clip = mp3_of_silence(scratch / "scratch.mp3", 1.0)
    generate(project, {"gtts": FakeEngine("gtts", set(), clip),
                       "espeak-ng": FakeEngine("espeak-ng", {"en", "ar"}, clip)})
    server, address = serve(add_checkers(build_site(project)))
    yield address
    server.shutdown()


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (conftest), which allows play without a gesture, muted."""
    return browser


def open_page(chromium, url: str, javascript: bool = True):
    context = chromium.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_entitlement_clip_plays_from_its_section_at_the_chosen_speed(chromium, origin, lang):
    prefix = "" if lang == "en" else f"{lang}/"
    page = open_page(chromium, f"{origin}/{prefix}offer/travel/")
    player = page.locator(FIRST_PLAYER)
    audio = player.locator("audio")
    clip = audio.get_attribute("src").rsplit("/", 1)[1]
    assert not [url for url in page.requests if url.endswith(".mp3")], "nothing loads before the reader asks"

    speeds = player.get_by_role("group")
    assert speeds.is_visible()
    player.locator('button[data-portal-speed="1.25"]').click()
    assert audio.evaluate("a => a.playbackRate") == 1.25
    assert [b.get_attribute("aria-pressed") for b in player.locator("button").all()] == ["false", "false", "true"]
    other = page.locator("#english-classes + .portal-share + [data-portal-player] audio")
    assert other.evaluate("a => a.playbackRate") == 1, "each player keeps its own speed"

    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.5", arg=audio.element_handle(), timeout=10_000)
    assert audio.evaluate("a => a.error") is None and audio.evaluate("a => a.playbackRate") == 1.25
    assert [url.rsplit("/", 1)[1] for url in page.requests if url.endswith(".mp3")] == [clip]
    assert page.errors == []

    player.locator('button[data-portal-speed="0.75"]').focus()
    page.keyboard.press("Enter")
    assert audio.evaluate("a => a.playbackRate") == 0.75

    violations = axe_violations(page, origin)
    assert violations == []
    page.context.close()


def test_without_javascript_the_native_player_remains_and_the_speeds_stay_hidden(chromium, origin):
    page = open_page(chromium, f"{origin}/offer/travel/", javascript=False)
    player = page.locator(FIRST_PLAYER)
    assert player.locator("audio[controls]").is_visible()
    assert not player.locator(".portal-speed").is_visible()
    assert player.locator(".portal-audio__voice").inner_text() == "Read by a computer voice."
    page.context.close()


def test_the_page_clip_joined_from_its_sections_plays_across_a_join(chromium, origin):
    page = open_page(chromium, f"{origin}/offer/travel/")
    audio = page.locator('.portal-audio[role="region"] audio')
    sections = [page.locator(f"#{ident} + .portal-share + [data-portal-player] audio")
                for ident in ("free-bus-and-tram", "english-classes")]
    load = "a => new Promise(done => { a.addEventListener('loadedmetadata', done, {once: true}); a.load(); })"
    for player in (audio, *sections):
        player.evaluate(load)
    whole = audio.evaluate("a => a.duration")
    intro = whole - sum(player.evaluate("a => a.duration") for player in sections)
    assert 0 < intro < whole / 4, "the page's clip holds its intro and both entitlements, in that order"
    # The test server cannot serve byte ranges, so Chromium plays from the start: quickly, past the first join.
    audio.evaluate("a => { a.playbackRate = 4; return a.play(); }")
    page.wait_for_function("([a, t]) => a.currentTime > t", arg=[audio.element_handle(), intro + 2.0], timeout=15_000)
    assert audio.evaluate("a => a.error") is None and page.errors == []
    page.context.close()


def test_a_finder_card_plays_its_entitlements_own_clip(chromium, origin):
    section = open_page(chromium, f"{origin}/offer/travel/")
    own = section.locator(FIRST_PLAYER + " audio").get_attribute("src").rsplit("/", 1)[1]
    section.context.close()
    page = open_page(chromium, f"{origin}/finder/")
    card = page.locator('li[data-entitlement="free-bus-and-tram"]').first
    audio = card.locator("[data-portal-player] audio")
    assert audio.get_attribute("src").rsplit("/", 1)[1] == own, "the card plays the same clip as the section"
    assert card.locator(".portal-audio__voice").inner_text() == "Read by a computer voice."
    card.locator('button[data-portal-speed="1.25"]').click()
    audio.evaluate("a => a.play()")
    page.wait_for_function("a => a.currentTime > 0.5", arg=audio.element_handle(), timeout=10_000)
    assert audio.evaluate("a => a.error") is None and audio.evaluate("a => a.playbackRate") == 1.25
    assert page.errors == []
    page.context.close()
