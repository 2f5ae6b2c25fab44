"""The content checks: every problem in one run, each naming the file, line, field and fix.

One module per family: fields, links, entitlements, safety, plain_english, spelling.
check_all runs them all once per build; release_blockers adds what stops a public release.
"""

from __future__ import annotations

import datetime as dt

from ..content.errors import Problem
from ..content.pages import Content
from .addresses import check_ids, check_page_name
from .cache import CheckCache, keep_only_run, page_key, run_key
from .contacts import check_contacts, unconfirmed_contacts
from .entitlements import check_entitlements
from .fields import check_page_fields, check_translation_fields, review_due
from .files import check_files
from .links import check_links, check_short_links
from .open_data import check_offer_log, check_services_list
from .plain_english import GLOSSARY, check_jargon, check_plain_english, style_settings
from .safety import check_contact_details, check_unsafe_html
from .spelling import check_spelling
from .state_labels import check_state_labels
from .terms import check_terms
from .translation_units import check_translation_units


def check_all(content: Content, today: dt.date | None = None,
              file_problems: list[Problem] | None = None) -> list[Problem]:
    """`file_problems`: check_files' result, when the caller already walked the files (they are
    always walked afresh: a new symbolic link must be found even in an unchanged run)."""
    today = today or dt.date.today()
    site = content.site
    problems: list[Problem] = list(file_problems) if file_problems is not None else check_files(site)
    folder = site.root / ".cache" / "checks"
    cache, key = CheckCache(folder), run_key(content, today.isoformat())
    found = cache.get(key)
    if found is None:
        found = _content_problems(content, today)
        cache.put(key, found)
        keep_only_run(folder, key)
    return problems + found


def _content_problems(content: Content, today: dt.date) -> list[Problem]:
    site = content.site
    problems: list[Problem] = []
    for lang, pages in content.pages.items():
        for page in pages.values():
            problems += page.problems
            if lang == site.default_language:
                problems += check_page_fields(page, site, today)
            else:
                problems += check_translation_fields(page, content, today)
            problems += check_links(page, content) + check_page_name(page) + check_ids(page)
    problems += check_entitlements(content, today)
    problems += check_state_labels(content)
    problems += check_style(content)
    problems += check_short_links(content)
    problems += check_terms(content)
    problems += check_translation_units(content)
    problems += check_contacts(content.site)
    problems += check_offer_log(content, today) + check_services_list(content)
    return problems


def check_style(content: Content) -> list[Problem]:
    """Every style and safety problem in the content; an unchanged page's come from the cache."""
    site = content.site
    settings, problems = style_settings(site)
    glossary = content.english().get(GLOSSARY)
    cache = CheckCache(site.root / ".cache" / "checks")
    shared = [repr(site.contacts), repr(settings), glossary.body if glossary else ""]
    for lang, pages in content.pages.items():
        for page in pages.values():
            key = page_key(page, shared)
            found = cache.get(key)
            if found is None:
                found = check_contact_details(page, site.contacts) + check_unsafe_html(page)
                if lang == site.default_language:
                    found += check_plain_english(page, settings) + check_jargon(page, glossary) + check_spelling(page)
                cache.put(key, found)
            problems += found
    return problems




def release_blockers(content, today: dt.date | None = None) -> list[Problem]:
    """What stops a release: an English page that is not approved, or whose review date has passed,
    and a contact that is not confirmed.

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
    return problems + unconfirmed_contacts(content.site)


