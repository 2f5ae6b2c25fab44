"""Isolate English words and number groups inside Arabic-script and Ethiopic text.

Without isolation a right-to-left paragraph reorders "(Transport for London, TfL)" or
"020 7946 0000" and a screen reader reads English words with an Arabic voice.
"""

from __future__ import annotations

import re

TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
RAW_ELEMENTS = {"script", "style", "code", "pre", "bdi", "title", "textarea", "svg"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TAG_NAME = re.compile(r"<(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
ENTITY_OR_LATIN = re.compile(
    r"(&#?\w+;)"  # an HTML entity: left alone
    r"|((?:\d[\d.,]*\s)?[A-Za-z][A-Za-z0-9'’.&\-]*(?:[ ,]+[A-Za-z0-9][A-Za-z0-9'’.\-]*)*)"  # English words ("498 KB")
    r"|(\d[\d ]*\d(?= |$|[^\d]))"  # a group of digits that may hold spaces, such as a phone number
)


LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9&]")


def isolate(html: str, direction: str) -> str:
    """Wrap English runs in <span lang="en" dir="ltr">, and spaced digit groups in <bdi>, in text only."""
    out: list[str] = []
    open_elements: list[tuple[str, bool]] = []  # (tag, raw or already English)
    skipping = 0  # how many open elements are raw or already English: their text is left alone
    for part in TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            out.append(part)
            match = TAG_NAME.match(part)
            if not match or part.startswith("<!") or part.endswith("/>"):
                continue
            closing, tag = match.group(1) == "/", match.group(2).lower()
            if tag in VOID_ELEMENTS:
                continue
            if not closing:
                skip = tag in RAW_ELEMENTS or ' lang="en' in part
                open_elements.append((tag, skip))
                skipping += skip
            else:
                while open_elements:
                    name, skip = open_elements.pop()
                    skipping -= skip
                    if name == tag:
                        break
            continue
        # Most text in a translated page has no Latin letter or digit: nothing to wrap.
        if skipping or not LATIN_OR_DIGIT.search(part):
            out.append(part)
            continue
        out.append(ENTITY_OR_LATIN.sub(lambda m: _wrap(m, direction), part))
    return "".join(out)


def _wrap(match: re.Match, direction: str) -> str:
    entity, latin, digits = match.groups()
    if entity:
        return entity
    if latin:
        return f'<span lang="en" dir="ltr">{latin}</span>'
    if " " in digits and direction == "rtl":
        return f'<bdi dir="ltr">{digits}</bdi>'
    return digits
