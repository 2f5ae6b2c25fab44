"""Front matter fields: English pages (owner, audience, review dates, approval) and translations
(which English version they translate, and who reviewed them)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..content.errors import WARNING, Problem
from ..content.limits import DESCRIPTION_MAX
from ..content.pages import Content, SourcePage
from ..content.settings import Site

STATUSES = ("draft", "approved")
TRANSLATION_STATUSES = ("draft", "reviewed")
PAGE_FIELDS = ("title", "description", "audience", "last_reviewed", "review_every_months", "owner", "status")
APPROVAL_FIELDS = ("approved_by", "approved_on")
TRANSLATION_PAGE_FIELDS = ("title", "description", "translation")
TRANSLATION_FIELDS = ("source_hash", "status", "reviewed_by", "reviewed_on")


def _date_problem(page: SourcePage, key: str, value, today: dt.date) -> Problem | None:
    line = page.line_of(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and DATE_SHAPE.fullmatch(value.strip()):
        return Problem(page.display_path, line, key,
                       f"{value.strip()} is not a date that exists ({_why_not_a_date(value.strip())}); "
                       f"check the day and the month, written YYYY-MM-DD, for example {today.isoformat()}")
    if not isinstance(value, dt.date):
        return Problem(page.display_path, line, key,
                       f"{value!r} is not a date; write it as YYYY-MM-DD, for example {today.isoformat()}")
    if value > today:
        return Problem(page.display_path, line, key,
                       f"{value.isoformat()} is in the future; use the date the work was actually done")
    return None


DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _why_not_a_date(text: str) -> str:
    """'2026-02-30' -> 'February 2026 has 28 days'; YAML reads a date that does not exist as text."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{calendar.month_name[month]} {year} has {last} days"
    return "it cannot be read"


def _missing(page: SourcePage, key: str, hint: str) -> Problem:
    return Problem(page.display_path, 1, key, f"this field is missing; add a line '{key}: {hint}' to the front matter")


def _unknown_fields(page: SourcePage, known: tuple[str, ...]) -> list[Problem]:
    return [
        Problem(page.display_path, page.line_of(key), key,
                f"unknown field; check the spelling. The fields are: {', '.join(known)}")
        for key in page.meta
        if key not in known
    ]


FIELD_HINTS = {
    "title": "Free bus and tram travel",
    "description": "One sentence of at most 160 characters",
    "audience": "[care-leavers]",
    "last_reviewed": "YYYY-MM-DD",
    "review_every_months": "6",
    "owner": "the team that keeps this page right",
    "status": "draft",
    "approved_by": "the role of the person who approved it, e.g. Head of Service",
    "approved_on": "YYYY-MM-DD",
    "translation": "(see CONTRIBUTING.md, 'Translations')",
}


def check_page_fields(page: SourcePage, site: Site, today: dt.date) -> list[Problem]:
    if page.problems:
        return []
    meta, path = page.meta, page.display_path
    problems = _unknown_fields(page, PAGE_FIELDS + APPROVAL_FIELDS + ("reading_ease_exception",))
    for key in PAGE_FIELDS:
        if key not in meta or meta[key] in (None, ""):
            problems.append(_missing(page, key, FIELD_HINTS[key]))
    problems += _check_title_description(page)

    audience = meta.get("audience")
    if audience is not None:
        if isinstance(audience, str):
            audience = [audience]
        if not isinstance(audience, list) or not audience:
            problems.append(Problem(path, page.line_of("audience"), "audience",
                                    f"must be a list such as [care-leavers]; choose from {', '.join(site.audiences)}"))
        else:
            for item in audience:
                if item not in site.audiences:
                    problems.append(Problem(path, page.line_of("audience"), "audience",
                                            f"{item!r} is not a known audience; choose from {', '.join(site.audiences)}"))

    months = meta.get("review_every_months")
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 24):
        problems.append(Problem(path, page.line_of("review_every_months"), "review_every_months",
                                f"{months!r} is not a whole number of months from 1 to 24; for example 6"))

    owner = meta.get("owner")
    if owner is not None and owner not in site.teams:
        problems.append(Problem(path, page.line_of("owner"), "owner",
                                f"{owner!r} is not one of the teams; the owner is a team, never a person. "
                                f"Choose from: {'; '.join(site.teams)}"))

    status = meta.get("status")
    if status is not None and status not in STATUSES:
        problems.append(Problem(path, page.line_of("status"), "status",
                                f"{status!r} is not a status; use draft or approved"))

    reviewed = meta.get("last_reviewed")
    if reviewed is not None:
        bad = _date_problem(page, "last_reviewed", reviewed, today)
        if bad:
            problems.append(bad)
        elif isinstance(months, int) and not isinstance(months, bool) and 1 <= months <= 24:
            problems += check_review_due(page, reviewed, months, site, today)

    if status == "approved":
        for key in APPROVAL_FIELDS:
            if not meta.get(key):
                problems.append(Problem(path, page.line_of("status"), key,
                                        f"an approved page must say who approved it and when; "
                                        f"add '{key}: {FIELD_HINTS[key]}'"))
        if meta.get("approved_on"):
            bad = _date_problem(page, "approved_on", meta["approved_on"], today)
            if bad:
                problems.append(bad)
    return problems


def _check_title_description(page: SourcePage) -> list[Problem]:
    problems = []
    for key in ("title", "description"):
        value = page.meta.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem(page.display_path, page.line_of(key), key,
                                    f"must be text, not {type(value).__name__}; put it in quotes"))
    description = page.meta.get("description")
    if isinstance(description, str) and len(description) > DESCRIPTION_MAX:
        problems.append(Problem(page.display_path, page.line_of("description"), "description",
                                f"is {len(description)} characters long; shorten it to {DESCRIPTION_MAX} "
                                "or fewer (it is the preview shown when the link is shared)"))
    return problems


def check_review_due(page: SourcePage, reviewed: dt.date, months: int, site: Site, today: dt.date) -> list[Problem]:
    due = add_months(reviewed, months)
    line = page.line_of("last_reviewed")
    if today > due + dt.timedelta(days=site.review_grace_days):
        return [Problem(page.display_path, line, "last_reviewed",
                        f"the review was due on {due.isoformat()} and is overdue; check the page is still "
                        "right, then set last_reviewed to today's date")]
    if today > due:
        return [Problem(page.display_path, line, "last_reviewed",
                        f"the review was due on {due.isoformat()}; check the page and update last_reviewed "
                        f"within {site.review_grace_days} days of that date", WARNING)]
    if today > due - dt.timedelta(days=site.review_warning_days):
        return [Problem(page.display_path, line, "last_reviewed",
                        f"the review is due on {due.isoformat()}; plan to check the page", WARNING)]
    return []


def check_translation_fields(page: SourcePage, content: Content, today: dt.date) -> list[Problem]:
    if page.problems:
        return []
    path = page.display_path
    english = content.english().get(page.rel)
    if english is None:
        return [Problem(path, 1, "", f"there is no English page {content.site.default_language}/{page.rel} for this "
                                     "translation; rename the file to match its English page, or remove it")]
    problems = _unknown_fields(page, TRANSLATION_PAGE_FIELDS)
    for key in TRANSLATION_PAGE_FIELDS:
        if key not in page.meta:
            problems.append(_missing(page, key, FIELD_HINTS[key]))
    problems += _check_title_description(page)
    record = page.meta.get("translation")
    if record is None:
        return problems
    line = page.line_of("translation")
    if not isinstance(record, dict):
        return problems + [Problem(path, line, "translation", "must hold source_hash and status on indented lines")]
    for key in record:
        if key not in TRANSLATION_FIELDS:
            problems.append(Problem(path, line, f"translation.{key}",
                                    f"unknown field; the fields are: {', '.join(TRANSLATION_FIELDS)}"))
    made_from = record.get("source_hash")
    if made_from in (None, ""):
        problems.append(Problem(path, line, "translation.source_hash",
                                f"is missing; set it to \"{english.source_hash()}\", the version of the English page "
                                "this translates (`make translations` lists it)"))
    elif not isinstance(made_from, str):
        problems.append(Problem(path, line, "translation.source_hash",
                                "must be in quotes, for example source_hash: \"6ad4409f2ace\", or YAML reads it "
                                "as a number"))
    status = record.get("status")
    if status not in TRANSLATION_STATUSES:
        problems.append(Problem(path, line, "translation.status",
                                f"{status!r} is not a translation status; use draft or reviewed"))
    if status == "reviewed":
        if not record.get("reviewed_by"):
            problems.append(Problem(path, line, "translation.reviewed_by",
                                    "a reviewed translation must say who checked it (a role, such as "
                                    "'Arabic translator'); add reviewed_by"))
        if not record.get("reviewed_on"):
            problems.append(Problem(path, line, "translation.reviewed_on",
                                    "a reviewed translation must say when it was checked; add reviewed_on: YYYY-MM-DD"))
        else:
            bad = _date_problem(page, "translation", record["reviewed_on"], today)
            if bad:
                problems.append(Problem(path, line, "translation.reviewed_on", bad.message))
        if isinstance(made_from, str) and made_from and made_from != english.source_hash():
            problems.append(Problem(path, line, "translation.source_hash",
                                    f"the English page {english.display_path} has changed since this was reviewed; "
                                    "ask a translator to update it, then set source_hash to "
                                    f"{english.source_hash()}", WARNING))
    return problems




def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def review_due(meta: dict) -> dt.date | None:
    reviewed, months = meta.get("last_reviewed"), meta.get("review_every_months")
    if isinstance(reviewed, dt.date) and isinstance(months, int):
        return add_months(reviewed, months)
    return None
