"""Isolate English words and number groups inside Arabic-script and Ethiopic text.

Without isolation a right-to-left paragraph reorders "(Transport for London, TfL)" or
"020 7946 0000" and a screen reader reads English words with an Arabic voice.
"""

from __future__ import annotations

import re

TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
RAW_ELEMENTS = ("script", "style", "code", "pre", "bdi")
ENTITY_OR_LATIN = re.compile(
    r"(&#?\w+;)"  # an HTML entity: left alone
    r"|([A-Za-z][A-Za-z0-9'’.&\-]*(?:[ ,]+[A-Za-z0-9][A-Za-z0-9'’.\-]*)*)"  # a run of English words
    r"|(\d[\d ]*\d(?= |$|[^\d]))"  # a group of digits that may hold spaces, such as a phone number
)


def isolate(html: str, direction: str) -> str:
    """Wrap English runs in <span lang="en" dir="ltr">, and spaced digit groups in <bdi>, outside tags."""
    out: list[str] = []
    raw_depth = 0
    spans: list[bool] = []  # for each open <span>: is it already marked English?
    for part in TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            tag = name.group(1).lower() if name else ""
            closing = part.startswith("</")
            if tag in RAW_ELEMENTS:
                raw_depth += -1 if closing else 1
            elif tag == "span":
                if not closing:
                    spans.append('lang="en' in part)
                elif spans:
                    spans.pop()
            out.append(part)
            continue
        if raw_depth > 0 or any(spans) or not part.strip():
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
