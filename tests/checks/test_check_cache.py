"""The whole run's check results kept in .cache/checks/: an unchanged run checks nothing again, and a
change to anything the checks read (a page, the registry, the offer log, the services list, the
settings, the day, a page changed after loading) checks everything again and finds the new problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import portal.checks as checks
import pytest
from portal.checks.cache import run_key
from portal.configuration import load_site
from portal.content.pages import load_content

TODAY = dt.date(2026, 11, 24)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each change makes at least one new problem: a cache that missed it would return the old, clean list.
CHANGES = {
    "a page": lambda root: append(root / "docs/en/index.md", "\nSee [the missing page](missing.md).\n"),
    "a translation": lambda root: append(root / "docs/ar/index.md", "\n[رابط](missing.md)\n"),
    "the registry": lambda root: replace(root / "entitlements.yml", "english-classes: offer/travel.md", ""),
    "the offer log": lambda root: replace(root / "offer-changes.yml", "id: english-classes", "id: no-such-thing"),
    "the services list": lambda root: append(root / "services.yml", "- no-such-service\n"),
    "the settings": lambda root: replace(root / "mkdocs.yml", 'phone: "999"', 'phone: "12"'),
}


def clean_problems(root: Path, today: dt.date = TODAY) -> list:
    return checks.check_all(load_content(load_site(root)), today)


def fresh_problems(root: Path, today: dt.date = TODAY) -> list:
    """What the checks find with nothing kept: the files walked and every check run."""
    content = load_content(load_site(root))
    return checks.check_files(content.site) + checks._content_problems(content, today)


def test_an_unchanged_run_checks_nothing_again(fixture_site, monkeypatch):
    first = clean_problems(fixture_site)
    monkeypatch.setattr(checks, "_content_problems", lambda *args: pytest.fail("checked again"))
    assert clean_problems(fixture_site) == first
    assert len(list((fixture_site / ".cache/checks").glob("run-*.json"))) == 1


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_to_what_the_checks_read_checks_everything_again(fixture_site, change):
    before = clean_problems(fixture_site)
    change(fixture_site)
    after = clean_problems(fixture_site)
    assert after != before, "the new problem was found"
    assert [dataclasses.asdict(p) for p in after] == [dataclasses.asdict(p) for p in fresh_problems(fixture_site)]
    assert len(list((fixture_site / ".cache/checks").glob("run-*.json"))) == 1, "an older run's results are dropped"


def test_a_later_day_checks_again(fixture_site):
    """Reviews fall due with the calendar, not with an edit."""
    before = clean_problems(fixture_site)
    later = TODAY + dt.timedelta(days=3 * 365)
    assert clean_problems(fixture_site, later) != before
    assert clean_problems(fixture_site, later) == fresh_problems(fixture_site, later)


def test_a_page_changed_after_loading_checks_again(fixture_site):
    content = load_content(load_site(fixture_site))
    before = checks.check_all(content, TODAY)
    page = content.pages["en"]["index.md"]
    content.pages["en"]["index.md"] = dataclasses.replace(page, body=page.body + "\n[gone](missing.md)\n")
    assert checks.check_all(content, TODAY) != before


def test_the_translators_records_are_read(fixture_site):
    content = load_content(load_site(fixture_site))
    before = run_key(content, TODAY.isoformat())
    (fixture_site / "translations").mkdir(exist_ok=True)
    (fixture_site / "translations/ar.yml").write_text("index.md: {}\n", encoding="utf-8")
    assert run_key(content, TODAY.isoformat()) != before
