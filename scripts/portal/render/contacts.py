"""Contacts live once, in mkdocs.yml; a page shows a group of them with [[contacts]] (the local
ones) or [[contacts: help-now]] (help in a crisis).

A contact's words are shown as plain text: the checks refuse a link or HTML in them, and the
words are escaped for HTML and for Markdown too, so even an unchecked value never becomes a link."""

from __future__ import annotations

import html
import re

from ..content.settings import CONTACT_WORDS, Contact

# The characters Markdown (and attr_list, tables) would read as syntax in the middle of a line: each
# is written as a character reference, which Markdown leaves as the character itself.
MARKDOWN_SIGNS = "\\`*_{}[]()!|"


def plain(text: str) -> str:
    """The words exactly as written, never markup: escaped for HTML, then for Markdown."""
    return "".join(f"&#{ord(c)};" if c in MARKDOWN_SIGNS else c for c in html.escape(text))


WORDS = CONTACT_WORDS


def contact_words(contact: Contact, words: dict[str, str], translated: bool) -> dict[str, tuple[str, bool]]:
    """field -> (the words, whether they are English in a translated page): a language's own words
    come from its strings file (contact_<id>_<field>); a field not translated yet stays English."""
    found = {}
    for key in WORDS:
        english = getattr(contact, key)
        if key == "instead" and contact.confirmed:
            english = None
        if not english:
            continue
        own = words.get(f"contact_{contact.id}_{key}") if translated else None
        found[key] = (own, False) if own else (english, translated)
    return found


def contacts_markdown(contacts: list[Contact], group: str, words: dict[str, str], translated: bool = False) -> str:
    """One list item per contact, in the reader's language where its words are translated, else in
    English marked so. `translated`: the page is not in the site's default language."""
    items, any_own = [], False

    def mark(text: str, english: bool) -> str:
        return f'<span lang="en" dir="ltr">{plain(text)}</span>' if english else plain(text)

    for contact in (c for c in contacts if c.group == group):
        found = contact_words(contact, words, translated)
        any_own = any_own or (translated and any(not english for _, english in found.values()))
        name, english = found["name"]
        parts = [f"**{mark(name, english)}**"]
        if contact.phone and contact.confirmed:
            digits = re.sub(r"[^0-9+]", "", contact.phone)
            parts.append(f'{words["contacts_phone"]}: <a href="tel:{digits}" dir="ltr">{html.escape(contact.phone)}</a>')
        if contact.url:
            url = html.escape(contact.url)
            parts.append(f'<a href="{url}" lang="en" dir="ltr">{url}</a>')
        if "hours" in found:
            parts.append(f'{words["contacts_hours"]}: {mark(*found["hours"])}')
        if "cost" in found:
            parts.append(f'{words["contacts_cost"]}: {mark(*found["cost"])}')
        for key in ("note", "instead"):
            if key in found:
                parts.append(mark(*found[key]))
        items.append("- " + "<br>\n  ".join(parts))
    notice = ""
    if any_own and words.get("contacts_translation") == "draft":
        notice = f'\n\n<p class="portal-notice portal-contacts__draft">{html.escape(words["contacts_draft"])}</p>'
    return (f'<div class="portal-contacts portal-contacts--{group}" markdown>\n\n' + "\n".join(items) + notice
            + "\n\n</div>")
