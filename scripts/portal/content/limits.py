"""Limits on what a page may be, checked as it is read, so a pathological page fails in
milliseconds naming itself, before Python-Markdown, the speech text or a check recurses into it or
spends minutes on it. Each limit is far above any real page (the largest is about 10 KB, nested
three levels)."""

from __future__ import annotations

import re

from .errors import Problem

DESCRIPTION_MAX = 160  # characters: search results and link previews cut a longer description
MAX_PAGE_BYTES = 200_000
MAX_NESTING = 10  # lists and quotes inside each other; Python-Markdown recurses once per level
NESTING_FIELD = "nesting"
SIZE_FIELD = "size"
# The quote marks and indentation a line starts with: each '>' is a quote, each 4 columns a list level.
LEADING = re.compile(r"[ \t>]*")


def size_problem(shown: str, size: int) -> Problem | None:
    if size <= MAX_PAGE_BYTES:
        return None
    return Problem(shown, 1, SIZE_FIELD, f"the page is {size:,} bytes, and a page may be at most "
                                         f"{MAX_PAGE_BYTES:,}; split it into several pages")


def nesting_of(line: str) -> int:
    """How deep a line sits: its quote marks, and a level for each 4 columns of indentation."""
    lead = LEADING.match(line).group()
    if not lead:
        return 0
    quotes = lead.count(">")
    indent = len(lead.rsplit(">", 1)[-1].expandtabs(4)) if quotes else len(lead.expandtabs(4))
    return quotes + indent // 4


def nesting_problem(shown: str, body: str, first_line: int) -> Problem | None:
    """The first line nested deeper than MAX_NESTING, if any."""
    for number, line in enumerate(body.split("\n"), first_line):
        if line[:1] in (" ", "\t", ">") and nesting_of(line) > MAX_NESTING:
            return Problem(shown, number, NESTING_FIELD,
                           f"this line is nested {nesting_of(line)} levels deep (lists or quotes inside each "
                           f"other), and at most {MAX_NESTING} are allowed; make the list or quote flatter")
    return None
