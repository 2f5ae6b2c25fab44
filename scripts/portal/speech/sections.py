"""A page's speech in sections: the text before the first entitlement, each entitlement, and the
text between and after them. Each section becomes its own clip; the page's clip is the sections'
clips joined, so the same words are never synthesised (or committed) twice.

An entitlement's section runs from its heading to the next heading of the same or a higher
level, so its clip holds its heading, its facts and its own paragraphs, and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.pages import HEADING, HEADING_ATTRS
from ..content.syntax import walk
from .text import speech_text

ENTITLEMENT_ID = re.compile(r"#([\w-]+)")
INTRO = "intro"  # the name of the section before the first entitlement


@dataclass(frozen=True)
class Section:
    entitlement: str | None  # the entitlement's id, or None for the page's other text
    text: str  # what a listener hears


def split_markdown(markdown: str) -> list[tuple[str | None, str]]:
    """(entitlement id or None, the section's Markdown), in page order; headings inside code fences
    do not count. Sections with no words are dropped."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    level = 0  # the open entitlement section's heading level; 0 while none is open
    for _, line, is_code in walk(markdown):
        heading = None if is_code else HEADING.match(line)
        if heading:
            depth = len(heading.group(1))
            ident = _entitlement_id(heading.group(2))
            if ident:
                sections.append((ident, []))
                level = depth
            elif level and depth <= level:
                sections.append((None, []))
                level = 0
        sections[-1][1].append(line)
    return [(ident, "\n".join(lines)) for ident, lines in sections if ident or "\n".join(lines).strip()]


def _entitlement_id(heading_text: str) -> str | None:
    attrs = HEADING_ATTRS.match(heading_text)
    if attrs is None or ".entitlement" not in attrs.group(2).split():
        return None
    match = ENTITLEMENT_ID.search(attrs.group(2))
    return match.group(1) if match else None


def page_sections(title: str, body_markdown: str, lang: str) -> list[Section]:
    """The page title opens the first section; a page that starts with an entitlement has the
    title as a short section of its own, so the entitlement's clip starts at its heading."""
    parts = split_markdown(body_markdown)
    if not parts or parts[0][0] is not None:
        parts.insert(0, (None, ""))
    sections = []
    for index, (ident, markdown) in enumerate(parts):
        text = speech_text(title if index == 0 else "", markdown, lang)
        if text:
            sections.append(Section(ident, text))
    return sections


def joined_text(sections: list[Section]) -> str:
    """The whole page as heard: what the page's text hash is taken of."""
    return " ".join(section.text for section in sections)


def section_ids(sections: list[Section]) -> list[str]:
    """Each section's name: `intro`, an entitlement's id, or `after-<id>` for the text after one."""
    ids, last = [], None
    for section in sections:
        if section.entitlement:
            last = section.entitlement
            ids.append(last)
        else:
            ids.append(INTRO if last is None else f"after-{last}")
    return ids
