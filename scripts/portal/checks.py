"""Content checks: every problem in one run, each naming the file, line and field."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from .content import SourcePage, load_page, page_paths
from .problems import WARNING, Problem
from .sharing import ShortLinkError, pages_from_content, parse_short_links
from .site import Site
from .style_checks import check_style

DESCRIPTION_MAX = 160
STATUSES = ("draft", "approved")
TRANSLATION_STATUSES = ("draft", "reviewed")
PAGE_FIELDS = ("title", "description", "audience", "last_reviewed", "review_every_months", "owner", "status")
APPROVAL_FIELDS = ("approved_by", "approved_on")
TRANSLATION_PAGE_FIELDS = ("title", "description", "translation")
TRANSLATION_FIELDS = ("source_hash", "status", "reviewed_by", "reviewed_on")
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass
class Content:
    """Every page of the site, by language, then by path inside the language folder."""

    site: Site
    pages: dict[str, dict[str, SourcePage]]

    def english(self) -> dict[str, SourcePage]:
        return self.pages[self.site.default_language]

    def resolve(self, lang: str, rel: str) -> SourcePage | None:
        """The page a reader gets: the translation, else the English fallback."""
        return self.pages.get(lang, {}).get(rel) or self.english().get(rel)


def load_content(site: Site) -> Content:
    pages = {
        lang: {rel: load_page(site.root, site.docs_dir, lang, rel) for rel in page_paths(site.docs_dir, lang)}
        for lang in site.language_codes
    }
    return Content(site, pages)


def check_all(content: Content, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    site = content.site
    problems: list[Problem] = []
    for lang, pages in content.pages.items():
        for page in pages.values():
            problems += page.problems
            if lang == site.default_language:
                problems += check_page_fields(page, site, today)
            else:
                problems += check_translation_fields(page, content, today)
            problems += check_links(page, content)
    problems += check_entitlements(content)
    problems += check_style(content)
    problems += check_short_links(content)
    return problems


def check_short_links(content: Content) -> list[Problem]:
    """Each /go/<name>/ link must point at a page and heading that exist."""
    config = content.site.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    line = next((n for n, text in enumerate(lines, 1) if text.strip() == "short_links:"), 1)
    try:
        parse_short_links(content.site.extra.get("portal", {}).get("short_links"), pages_from_content(content))
    except ShortLinkError as error:
        return [Problem("mkdocs.yml", line, "short_links", problem) for problem in error.problems]
    return []


def _date_problem(page: SourcePage, key: str, value, today: dt.date) -> Problem | None:
    line = page.line_of(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return Problem(page.display_path, line, key,
                       f"{value!r} is not a date; write it as YYYY-MM-DD, for example {today.isoformat()}")
    if value > today:
        return Problem(page.display_path, line, key,
                       f"{value.isoformat()} is in the future; use the date the work was actually done")
    return None


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


def release_blockers(content, today: dt.date | None = None) -> list[Problem]:
    """What stops a release: an English page that is not approved, or whose review date has passed.

    Translations never block a release: readers see that a draft translation is a draft.
    """
    today = today or dt.date.today()
    problems = []
    for page in content.english().values():
        path = page.display_path
        status = page.meta.get("status")
        if status != "approved":
            what = {"draft": "is still a draft", None: "has no status"}.get(status, f"has the status {status!r}")
            problems.append(Problem(path, page.line_of("status"), "status",
                                    f"the page {what}, and every English page must be approved before a release. "
                                    "Ask the approver to check it, then set status: approved, approved_by (their "
                                    "role) and approved_on (the date)"))
        due = review_due(page.meta)
        if due is not None and today > due:
            problems.append(Problem(path, page.line_of("last_reviewed"), "last_reviewed",
                                    f"the review was due on {due.isoformat()}, so the page cannot be released; "
                                    "check the whole page is still right, then set last_reviewed to today's date"))
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


def check_links(page: SourcePage, content: Content) -> list[Problem]:
    problems = []
    for link in page.links():
        parts = urlsplit(link.target)
        if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
            continue
        if parts.scheme:
            problems.append(Problem(page.display_path, link.line, "link",
                                    f"'{link.target}' is not a web address the site allows; "
                                    "use https://, mailto: or a link to another page"))
            continue
        if not parts.path:
            target = page
        else:
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), parts.path))
            if not rel.endswith(".md") or rel.startswith(".."):
                problems.append(Problem(page.display_path, link.line, "link",
                                        f"'{link.target}' must point to a page's .md file, for example "
                                        "../glossary.md#personal-adviser"))
                continue
            target = content.resolve(page.lang, rel)
            if target is None:
                problems.append(Problem(page.display_path, link.line, "link",
                                        f"'{link.target}' points to a page that does not exist; "
                                        "check the file name and the ../ at its start"))
                continue
        if parts.fragment and parts.fragment not in target.anchors():
            problems.append(Problem(page.display_path, link.line, "link",
                                    f"'{link.target}': there is no heading with the id '{parts.fragment}' on "
                                    f"{target.display_path}; use one of its ids or remove the #part"))
    return problems


def load_registry(site: Site) -> tuple[dict[str, str], list[Problem]]:
    path = site.entitlements_file
    display = site.display(path)
    if not path.exists():
        return {}, [Problem(display, 1, "", "the register of entitlement ids is missing; restore it from git")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(display, mark.line + 1 if mark else 1, "", f"this is not valid YAML: {error}")]
    if not isinstance(data, dict):
        return {}, [Problem(display, 1, "", "must list lines of the form 'entitlement-id: page path'")]
    return {str(k): str(v) for k, v in data.items()}, []


def check_entitlements(content: Content) -> list[Problem]:
    site = content.site
    registry, problems = load_registry(site)
    register = site.display(site.entitlements_file)
    english: dict[str, list[tuple[SourcePage, int]]] = {}
    for page in content.english().values():
        for heading in page.headings():
            if heading.is_entitlement:
                english.setdefault(heading.anchor, []).append((page, heading.line))
    for ident, places in english.items():
        home = registry.get(ident)
        keeper = next(((p, n) for p, n in places if p.rel == home), places[0])
        for page, line in places:
            if (page, line) != keeper:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' is already used on {keeper[0].display_path}; every entitlement "
                                        "needs its own id"))
            elif home is None:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' is new; add the line '{ident}: {page.rel}' to {register} "
                                        "(ids never change once published, so choose it with care)"))
            elif home != page.rel:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' belongs on {home} ({register}); moving it breaks links people "
                                        "have shared. Move it back"))
    for ident, rel in registry.items():
        if ident not in english:
            problems.append(Problem(register, _register_line(site, ident), "entitlement id",
                                    f"'{ident}' ({rel}) is no longer on any page. Links that people shared use it: "
                                    f"put {{#{ident} .entitlement}} back on its heading in "
                                    f"{site.default_language}/{rel}"))
    for lang in site.translated_languages:
        for page in content.pages.get(lang, {}).values():
            source = content.english().get(page.rel)
            if source is None:
                continue
            expected = {h.anchor for h in source.headings() if h.is_entitlement}
            present = {h.anchor for h in page.headings() if h.is_entitlement}
            for ident in sorted(expected - present):
                problems.append(Problem(page.display_path, 1, "entitlement id",
                                        f"the English page has the entitlement '{ident}' but this translation "
                                        f"does not; give the translated heading {{#{ident} .entitlement}}"))
    return problems


def _register_line(site: Site, ident: str) -> int:
    lines = site.entitlements_file.read_text(encoding="utf-8").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{ident}:")), 1)
