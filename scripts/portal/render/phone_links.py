"""Numbers you can tap: each phone number in a page's text becomes a tel: link, and a text-message
short code (Shout's 85258) an sms: link with the word the service asks for.

Staff write numbers as plain text; this runs on the page's HTML, in its article only, and leaves
alone text that is already a link, code, a script or a form field. The link's address holds only
digits (tel:116123); its words are the number as written, kept left to right (dir="ltr") on every
page, so a right-to-left page never reverses "116 123".
"""

from __future__ import annotations

import html
import re

from ..content.phones import find_numbers

ARTICLE_START = re.compile(r'<article\b[^>]*class="md-content__inner')
ARTICLE_END = "</article>"
TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>", re.S)
# Text inside these is never linked: a link inside a link is not allowed, and code is read as it is.
UNTOUCHED = {"a", "code", "pre", "script", "style", "textarea", "button", "select", "kbd", "samp", "svg", "title"}
HAS_DIGIT = re.compile(r"\d")


def number_link(text: str, address: str) -> str:
    return f'<a href="{html.escape(address)}" class="portal-number" dir="ltr">{text}</a>'


def link_numbers_in_text(text: str) -> str:
    """One run of HTML text (no tags) with each number made a link."""
    if not HAS_DIGIT.search(text):
        return text
    out, position = [], 0
    for number in find_numbers(text):
        out.append(text[position:number.start])
        out.append(number_link(number.text, number.address))
        position = number.end
    out.append(text[position:])
    return "".join(out)


def link_phone_numbers(page_html: str) -> str:
    """The page with every phone number in its article's text made a tel: or sms: link."""
    start = ARTICLE_START.search(page_html)
    if start is None:
        return page_html
    end = page_html.find(ARTICLE_END, start.end())
    end = len(page_html) if end < 0 else end
    return page_html[:start.start()] + _link_region(page_html[start.start():end]) + page_html[end:]


def _link_region(region: str) -> str:
    out: list[str] = []
    position = 0
    inside: list[str] = []  # the open elements whose text is left alone
    for tag in TAG.finditer(region):
        text = region[position:tag.start()]
        out.append(text if inside else link_numbers_in_text(text))
        out.append(tag.group(0))
        position = tag.end()
        name = (tag.group(2) or "").lower()
        if name in UNTOUCHED and not tag.group(0).endswith("/>"):
            if tag.group(1):
                if name in inside:
                    del inside[len(inside) - 1 - inside[::-1].index(name)]
            else:
                inside.append(name)
    tail = region[position:]
    out.append(tail if inside else link_numbers_in_text(tail))
    return "".join(out)
