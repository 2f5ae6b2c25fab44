"""Hostile input, facts and addresses that make no sense: dates in the future or out of order,
ages upside down, an id used twice on a page or taken from the theme, a page file name that does
not survive in an address, a recording far too long or too big, and a fix that points nowhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import REPO
from portal.checks import check_all
from portal.checks.addresses import check_ids, check_page_name
from portal.checks.spelling import check_spelling
from portal.cli import main
from portal.configuration import load_site
from portal.content.pages import load_content, parse_page
from support.audio import mp3_of_silence, snapshot

TODAY = dt.date(2026, 12, 4)


def problems_after(root, old: str, new: str, rel: str = "docs/en/offer/travel.md"):
    page = root / rel
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return check_all(load_content(load_site(root)), today=TODAY)


# --- Facts --------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, line, field, words", [
    ("as_of: 2024-03\n", "as_of: 2031-07\n", 22, "as_of", "2031-07 is in the future"),
    ("verified: 2026-01-10\n", "verified: 2027-01-10\n", 24, "verified", "2027-01-10 is in the future"),
    ("verified: 2026-01-10\n", "verified: 2023-01-10\n", 24, "verified",
     "2023-01-10 is before the month of the state (2024-03)"),
    ("ages: 18-25\n", "ages: 25-16\n", 18, "ages", "runs from 25 down to 16; write the youngest age first, as 16-25"),
])
def test_facts_that_make_no_sense_are_refused(fixture_site, old, new, line, field, words):
    found = [p for p in problems_after(fixture_site, old, new) if p.field == f"entitlement free-bus-and-tram: {field}"]
    assert [(p.path, p.line) for p in found] == [("docs/en/offer/travel.md", line)], found
    assert words in found[0].message


def test_this_month_and_today_are_not_the_future(fixture_site):
    found = problems_after(fixture_site, "verified: 2026-01-10\n", "verified: 2026-12-04\n")
    found += problems_after(fixture_site, "as_of: 2024-03\n", "as_of: 2026-12\n")
    assert not [p for p in found if "future" in p.message]


# --- Ids on a page ------------------------------------------------------------------------------

def ids_of(body: str):
    return check_ids(parse_page("docs/en/x.md", "en", "x.md", "---\ntitle: X\n---\n" + body))


@pytest.mark.parametrize("body, line, words", [
    ("## Travel {#free-bus-and-tram .entitlement}\n\n## More {#free-bus-and-tram}\n", 6,
     "'free-bus-and-tram' is already the id of line 4"),
    ("## Search {#__search}\n", 4, "'__search' is an id the site's own pages use"),
    ("## Drawer {: #__drawer }\n", 4, "'__drawer' is an id"),
    ("## Finder {#portal-finder-form}\n", 4, "'portal-finder-form' is an id"),
    ("Some words\n{: #contents-title }\n", 5, "'contents-title' is an id"),
    ('<div id="__toc">x</div>\n', 4, "'__toc' is an id"),
    ("## Help {#help}\n\nWords.\n{: #help }\n", 7, "'help' is already the id of line 4"),
])
def test_an_id_used_twice_or_taken_from_the_theme_is_refused(body, line, words):
    found = ids_of(body)
    assert [(p.line, p.field) for p in found] == [(line, "id")], found
    assert words in found[0].message


@pytest.mark.parametrize("body", ["## Help\n\n## Help\n", "## Help {#help}\n\n## Help now\n",
                                  "Price: #1 in {braces} and `{#code}`\n", "```\n{#x}\n{#x}\n```\n"])
def test_ordinary_headings_and_text_have_no_id_problem(body):
    assert ids_of(body) == []


def test_the_real_pages_have_no_id_or_name_problem():
    content = load_content(load_site(REPO))
    assert [p for pages in content.pages.values() for page in pages.values()
            for p in check_ids(page) + check_page_name(page)] == []


# --- Page file names ----------------------------------------------------------------------------

@pytest.mark.parametrize("rel, shown", [("my page.md", "my page.md"), ("-help.md", "-help.md"),
                                        ("a..b.md", "a..b.md"), ("offer/.hidden.md", ".hidden.md"),
                                        ("offer/fr%C3%A8re.md", "fr%C3%A8re.md"), ("caf\u00e9.md", "caf\u00e9.md")])
def test_a_page_name_that_does_not_survive_in_an_address_is_refused(rel, shown):
    found = check_page_name(parse_page(f"docs/en/{rel}", "en", rel, "---\ntitle: X\n---\n"))
    assert [(p.line, p.field) for p in found] == [(1, "file name")]
    assert f"'{shown}' cannot be part of a page's address" in found[0].message


@pytest.mark.parametrize("rel", ["help-now.md", "offer/travel.md", "2026_plan.md", "offer/index.md"])
def test_ordinary_page_names_are_fine(rel):
    assert check_page_name(parse_page(f"docs/en/{rel}", "en", rel, "---\ntitle: X\n---\n")) == []


def test_check_names_a_page_with_a_space_in_its_name(fixture_site, capsys):
    source = fixture_site / "docs/en/offer/travel.md"
    (fixture_site / "docs/en/my page.md").write_text(source.read_text(encoding="utf-8").replace(
        "{#free-bus-and-tram .entitlement}", "{#more-travel}").replace("{#english-classes .entitlement}", "{#more}")
        .replace("```entitlement", "```text"), encoding="utf-8")
    assert main(["--root", str(fixture_site), "check"]) == 1
    assert "docs/en/my page.md:1: file name: 'my page.md' cannot be part" in capsys.readouterr().out


# --- Recordings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("limit, value, words", [
    ("MAX_RECORDING_SECONDS", 5, "lasts 0:09, and a recording may last at most 0:05"),
    ("MAX_RECORDING_BYTES", 1_000, "is {size:,} bytes, and a recording may be at most 1,000"),
])
def test_a_recording_past_the_limits_is_refused_and_audio_is_unchanged(fixture_site, fake_audio, capsys, monkeypatch,
                                                                       limit, value, words):
    import portal.audio.recordings as generator

    assert main(["--root", str(fixture_site), "audio"]) == 0
    recording = fixture_site / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True, exist_ok=True)
    mp3_of_silence(recording, 9.0)
    before = snapshot(fixture_site / "audio")
    monkeypatch.setattr(generator, limit, value)  # the real limits are 30 minutes and 40 MB
    capsys.readouterr()
    assert main(["--root", str(fixture_site), "audio"]) == 1
    err = capsys.readouterr().err
    assert "audio/recordings/ar/offer/travel.mp3:1: recording: is not a valid MP3 recording" not in err
    words = words.format(size=recording.stat().st_size)
    assert f"audio/recordings/ar/offer/travel.mp3:1: recording: {words}" in err, err
    assert snapshot(fixture_site / "audio") == before


# --- A fix that points somewhere ----------------------------------------------------------------

def test_the_spelling_fix_names_the_word_list_that_exists_and_contributing_agrees():
    page = parse_page("docs/en/x.md", "en", "x.md", "---\ntitle: X\ndescription: Y\n---\n\nYou can recieve help.\n")
    message = next(p.message for p in check_spelling(page) if "recieve" in p.message)
    named = re.search(r"add it on a line of its own to (\S+)$", message).group(1)
    assert (REPO / named).is_file()
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert set(re.findall(r"scripts/portal/\S*words\.txt", contributing)) == {named}


@pytest.mark.parametrize("old, new, line, words", [
    ("Classes were planned", "## More travel {#free-bus-and-tram}\n\nClasses were planned", 48,
     "'free-bus-and-tram' is already the id of line 13"),
    ("Classes were planned", "## Search {#__search}\n\nClasses were planned", 48, "'__search' is an id the site"),
])
def test_check_refuses_an_id_twice_or_from_the_theme(fixture_site, old, new, line, words):
    found = [p for p in problems_after(fixture_site, old, new) if p.field == "id"]
    assert [(p.path, p.line) for p in found] == [("docs/en/offer/travel.md", line)], found
    assert words in found[0].message
