"""Contacts live once, in mkdocs.yml; pages ask for them with [[contacts]]."""

from __future__ import annotations

import re

from ..content.settings import Contact

PLACEHOLDER = re.compile(r"^\[\[contacts\]\]\s*$", re.MULTILINE)


def render_contacts(markdown: str, contacts: list[Contact], words: dict[str, str]) -> str:
    if not PLACEHOLDER.search(markdown):
        return markdown
    return PLACEHOLDER.sub(lambda _: contacts_markdown(contacts, words), markdown)


def contacts_markdown(contacts: list[Contact], words: dict[str, str]) -> str:
    """One list item per contact; names stay in English, marked so, until translated in config."""
    items = []
    for contact in contacts:
        parts = [f'<span lang="en" dir="ltr">**{contact.name}**</span>']
        if contact.phone:
            digits = re.sub(r"[^0-9+]", "", contact.phone)
            parts.append(f'{words["contacts_phone"]}: <a href="tel:{digits}" dir="ltr">{contact.phone}</a>')
        if contact.hours:
            parts.append(f'{words["contacts_hours"]}: <span lang="en" dir="ltr">{contact.hours}</span>')
        if contact.note:
            parts.append(f'<span lang="en" dir="ltr">{contact.note}</span>')
        items.append("- " + "<br>\n  ".join(parts))
    return '<div class="portal-contacts" markdown>\n\n' + "\n".join(items) + "\n\n</div>"
