"""Contacts live once, in mkdocs.yml; a page shows a group of them with [[contacts]] (the local
ones) or [[contacts: help-now]] (help in a crisis).

A contact's words are shown as plain text: the checks refuse a link or HTML in them, and the
words are escaped for HTML and for Markdown too, so even an unchecked value never becomes a link."""

from __future__ import annotations

import html
import re

from ..content.settings import Contact

# The characters Markdown (and attr_list, tables) would read as syntax in the middle of a line: each
# is written as a character reference, which Markdown leaves as the character itself.
MARKDOWN_SIGNS = "\\`*_{}[]()!|"


def plain(text: str) -> str:
    """The words exactly as written, never markup: escaped for HTML, then for Markdown."""
    return "".join(f"&#{ord(c)};" if c in MARKDOWN_SIGNS else c for c in html.escape(text))


def contacts_markdown(contacts: list[Contact], group: str, words: dict[str, str]) -> str:
    """One list item per contact; names stay in English, marked so, until translated in config."""
    items = []
    for contact in (c for c in contacts if c.group == group):
        parts = [f'<span lang="en" dir="ltr">**{plain(contact.name)}**</span>']
        if contact.phone and contact.confirmed:
            digits = re.sub(r"[^0-9+]", "", contact.phone)
            parts.append(f'{words["contacts_phone"]}: <a href="tel:{digits}" dir="ltr">{html.escape(contact.phone)}</a>')
        if contact.url:
            url = html.escape(contact.url)
            parts.append(f'<a href="{url}" lang="en" dir="ltr">{url}</a>')
        if contact.hours:
            parts.append(f'{words["contacts_hours"]}: <span lang="en" dir="ltr">{plain(contact.hours)}</span>')
        for text in (contact.note, None if contact.confirmed else contact.instead):
            if text:
                parts.append(f'<span lang="en" dir="ltr">{plain(text)}</span>')
        items.append("- " + "<br>\n  ".join(parts))
    return f'<div class="portal-contacts portal-contacts--{group}" markdown>\n\n' + "\n".join(items) + "\n\n</div>"
