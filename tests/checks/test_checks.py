"""Table-driven tests of the content checks: one case per kind of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from portal.checks import check_all
from portal.checks.fields import add_months
from portal.configuration import load_site
from portal.content.errors import ERROR, WARNING
from portal.content.pages import load_content

TODAY = dt.date(2026, 11, 24)

GOOD_FIELDS = {
    "title": "Money",
    "description": "Help with money.",
    "audience": "[care-leavers]",
    "last_reviewed": "2026-11-01",
    "review_every_months": "6",
    "owner": "Leaving care team",
    "status": "draft",
}


def page(body: str = "Some words.\n", drop: tuple[str, ...] = (), **fields: str) -> str:
    merged = {k: v for k, v in {**GOOD_FIELDS, **fields}.items() if k not in drop}
    front = "\n".join(f"{k}: {v}" for k, v in merged.items())
    return f"---\n{front}\n---\n\n{body}"


def problems_for(site_root, today=TODAY):
    return check_all(load_content(load_site(site_root)), today)


def test_the_fixture_site_is_clean(fixture_site):
    found = [p for p in problems_for(fixture_site) if p.severity == ERROR]
    assert found == []


# (case, file under docs/, text, line, field, words the message must contain)
BAD_PAGES = [
    ("invalid yaml", "en/money.md", "---\ntitle: Money\ndescription: [unclosed\n---\nx\n", 3, "front matter",
     "not valid YAML"),
    ("no front matter", "en/money.md", "Just words.\n", 1, "front matter", "no front matter"),
    ("unclosed front matter", "en/money.md", "---\ntitle: Money\n", 1, "front matter", "not closed"),
    ("missing field", "en/money.md", page(drop=("owner",)), 1, "owner", "missing"),
    ("title not text", "en/money.md", page(title="[1, 2]"), 2, "title", "must be text"),
    ("unknown field", "en/money.md", page(titel="Money"), 9, "titel", "unknown field"),
    ("unknown audience", "en/money.md", page(audience="[teenagers]"), 4, "audience", "'teenagers' is not a known"),
    ("unknown status", "en/money.md", page(status="published"), 8, "status", "use draft or approved"),
    ("owner is a person", "en/money.md", page(owner="Jane Smith"), 7, "owner", "never a person"),
    ("months not a number", "en/money.md", page(review_every_months="six"), 6, "review_every_months",
     "whole number"),
    ("description too long", "en/money.md", page(description="x" * 161), 3, "description",
     "161 characters long"),
    ("date in the future", "en/money.md", page(last_reviewed="2027-01-01"), 5, "last_reviewed", "in the future"),
    ("not a date", "en/money.md", page(last_reviewed="next week"), 5, "last_reviewed", "not a date"),
    ("approved without approver", "en/money.md", page(status="approved"), 8, "approved_by", "who approved it"),
    ("broken link", "en/money.md", page("See [travel](offer/trains.md).\n"), 11, "link", "does not exist"),
    ("broken anchor", "en/money.md", page("See [bus](offer/travel.md#free-buses).\n"), 11, "link",
     "no heading with the id 'free-buses'"),
    ("link to a folder", "en/money.md", page("See [offer](offer/).\n"), 11, "link", "must point to a page's .md"),
    ("javascript link", "en/money.md", page("See [x](javascript:alert(1)).\n"), 11, "link", "not a web address"),
    ("new entitlement id", "en/money.md", page("## Cash {#cash-help .entitlement}\n"), 11, "entitlement id",
     "add the line 'cash-help: money.md'"),
    ("duplicate entitlement id", "en/money.md", page("## Buses {#free-bus-and-tram .entitlement}\n"), 11,
     "entitlement id", "already used on docs/en/offer/travel.md"),
    ("translation without record", "ar/money.md", "---\ntitle: x\ndescription: y\n---\n", 1, "",
     "no English page"),
    ("translation status unknown", "ar/index.md",
     '---\ntitle: x\ndescription: y\ntranslation:\n  source_hash: "6ad4409f2ace"\n  status: done\n---\n', 4,
     "translation.status", "use draft or reviewed"),
    ("translation hash unquoted", "ar/index.md",
     "---\ntitle: x\ndescription: y\ntranslation:\n  source_hash: 123456\n  status: draft\n---\n", 4,
     "translation.source_hash", "must be in quotes"),
    ("translation drops an entitlement", "ar/offer/travel.md",
     '---\ntitle: x\ndescription: y\ntranslation:\n  source_hash: "1acce20e299b"\n  status: draft\n---\n\n## x\n', 1,
     "entitlement id", "does not"),
]


@pytest.mark.parametrize("case, rel, text, line, field, words", BAD_PAGES, ids=[c[0] for c in BAD_PAGES])
def test_each_kind_of_bad_content_names_file_line_and_field(fixture_site, write_page, case, rel, text, line, field,
                                                            words):
    write_page(rel, text)
    found = [p for p in problems_for(fixture_site) if p.path == f"docs/{rel}" and p.field == field]
    assert found, f"no problem reported for field {field!r} in docs/{rel}"
    assert any(p.line == line and words in p.message and p.severity == ERROR for p in found), found


def test_every_problem_is_reported_in_one_run(fixture_site, write_page):
    write_page("en/a.md", page(owner="Jane Smith"))
    write_page("en/b.md", page(description="x" * 200, status="published"))
    fields = {(p.path, p.field) for p in problems_for(fixture_site)}
    assert {("docs/en/a.md", "owner"), ("docs/en/b.md", "description"), ("docs/en/b.md", "status")} <= fields


def test_changed_entitlement_id_is_an_error_in_the_register(fixture_site, write_page):
    travel = (fixture_site / "docs/en/offer/travel.md").read_text(encoding="utf-8")
    write_page("en/offer/travel.md", travel.replace("{#free-bus-and-tram .entitlement}", "{#free-travel .entitlement}"))
    found = problems_for(fixture_site)
    assert any(p.path == "entitlements.yml" and "'free-bus-and-tram'" in p.message and "put {#free-bus-and-tram"
               in p.message for p in found)
    assert any(p.path == "docs/en/offer/travel.md" and "'free-travel' is new" in p.message for p in found)


@pytest.mark.parametrize("reviewed, months, today, severity, words", [
    ("2026-01-10", 6, dt.date(2026, 6, 20), WARNING, "is due on 2026-07-10"),
    ("2026-01-10", 6, dt.date(2026, 7, 20), WARNING, "was due on 2026-07-10"),
    ("2026-01-10", 6, dt.date(2026, 8, 20), ERROR, "overdue"),
    ("2026-01-10", 6, dt.date(2026, 5, 1), None, ""),
])
def test_review_dates(fixture_site, write_page, reviewed, months, today, severity, words):
    write_page("en/money.md", page(last_reviewed=reviewed, review_every_months=str(months)))
    found = [p for p in problems_for(fixture_site, today) if p.path == "docs/en/money.md"]
    if severity is None:
        assert found == []
    else:
        assert [(p.field, p.severity) for p in found] == [("last_reviewed", severity)]
        assert words in found[0].message


def test_stale_reviewed_translation_is_a_warning(fixture_site):
    found = [p for p in problems_for(fixture_site) if p.path == "docs/ar/offer/travel.md"]
    assert [(p.field, p.severity) for p in found] == [("translation.source_hash", WARNING)]
    assert "1acce20e299b" in found[0].message


@pytest.mark.parametrize("start, months, expected", [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2026, 11, 24), 6, dt.date(2027, 5, 24)),
    (dt.date(2024, 1, 30), 1, dt.date(2024, 2, 29)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_the_check_cache_is_keyed_on_the_code_of_everything_the_checks_read():
    """A change to content/syntax.py (or any parser the checks use) must check every page again."""
    import ast

    from conftest import REPO
    from portal.checks import cache

    keyed = {path.relative_to(REPO / "scripts/portal").as_posix() for path in cache.rule_files()}
    assert {"content/syntax.py", "content/pages.py", "checks/safety.py", "checks/words/words.txt"} <= keyed
    for module in (REPO / "scripts/portal/checks").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                package = node.module.split(".")[0]
                assert package == "content", f"{module.name} reads {node.module}, which the cache key does not hold"
