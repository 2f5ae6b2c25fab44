"""Addresses that work: a page's file name becomes its address (a space, `..` or a leading `-`
does not survive in one), and each id on a page is one place a link can land, never one the
theme or the portal's own templates already use."""

from __future__ import annotations

import re

from ..content.errors import Problem
from ..content.pages import SourcePage

FIELD_NAME = "file name"
FIELD_ID = "id"
# Letters, digits, '_' and '-', in parts joined by single dots: travel.md, help-now.md, 2026_plan.md.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$")
# Material's own ids start '__' (__search, __drawer, __toc ...); the portal's templates use 'portal-'.
RESERVED_PREFIXES = ("__", "portal-")
RESERVED_IDS = frozenset({"contents-title"})  # the booklets' contents heading
ATTRIBUTE_LIST_ID = re.compile(r"\{:?[^{}\n]*?(?<![\w&])#([^\s{}#.]+)[^{}\n]*\}\s*$")
HTML_ID = re.compile(r"<[A-Za-z][^>]*?\sid\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def check_page_name(page: SourcePage) -> list[Problem]:
    bad = [part for part in page.rel.split("/") if not SAFE_NAME.match(part)]
    if not bad:
        return []
    suggestion = re.sub(r"[^a-z0-9.]+", "-", bad[0].lower()).strip("-.") or "page"
    return [Problem(page.display_path, 1, FIELD_NAME,
                    f"'{bad[0]}' cannot be part of a page's address (only letters, digits, '-' and '_', not at "
                    f"the start a '-' or '.'); rename it, for example to '{suggestion}'")]


def page_ids(page: SourcePage) -> list[tuple[str, int]]:
    """(id, line) for every id written on the page: headings (given or made from their words),
    attribute lists and HTML, in page order."""
    found = [(heading.anchor, heading.line) for heading in page.headings()]
    headings = {heading.line for heading in page.headings()}
    for number, text in page.body_lines():
        if "#" in text and number not in headings:
            found += [(ident, number) for ident in ATTRIBUTE_LIST_ID.findall(text)]
        if "id" in text:
            found += [(ident, number) for ident in HTML_ID.findall(text)]
    return found


def check_ids(page: SourcePage) -> list[Problem]:
    problems = []
    first: dict[str, int] = {}
    for ident, line in page_ids(page):
        if ident.startswith(RESERVED_PREFIXES) or ident in RESERVED_IDS:
            problems.append(Problem(page.display_path, line, FIELD_ID,
                                    f"'{ident}' is an id the site's own pages use (ids starting "
                                    f"{' or '.join(RESERVED_PREFIXES)}, and {', '.join(sorted(RESERVED_IDS))}); "
                                    "choose another"))
        elif ident in first:
            problems.append(Problem(page.display_path, line, FIELD_ID,
                                    f"'{ident}' is already the id of line {first[ident]}; an id names one place on "
                                    "the page, so choose another"))
        else:
            first[ident] = line
    return problems
