"""Isolate Latin-script runs and number groups inside Arabic-script and Ethiopic text.

Without isolation a right-to-left paragraph reorders "(Transport for London, TfL)" or
"020 7946 0000". Isolation sets the direction only (dir="ltr"): a Latin run is not always English
("Shqip", "Tiếng Việt"). A run is marked lang="en" only when it is one of the protected English
names (content/terms/en.yml), which a screen reader should say in English; whole English parts (an
untranslated page, a contact's words) are marked by the templates that make them, and left alone
here, as is every element that declares its own language. Latin letters with diacritics and
combining marks are letters: a word is never cut.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..content.terms import protected_terms

RAW_ELEMENTS = ("script", "style", "code", "pre", "bdi", "title", "textarea", "svg")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Latin letters: ASCII, Latin-1 and Latin Extended letters (not × and ÷), Vietnamese's Latin Extended
# Additional, and combining marks, so "Tiếng Việt" is two whole words, however it is encoded.
LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
MARK = "\u0300-\u036f"
ENTITY_OR_LATIN = re.compile(
    r"(&#?\w+;)"  # an HTML entity: left alone
    # Latin-script words ("498 KB"); a full stop at the end is the sentence's, so it stays outside
    rf"|((?:\d[\d.,]*\s)?[{LETTER}][{LETTER}{MARK}0-9'’.&\-]*(?<!\.)"
    rf"(?:[ ,]+[{LETTER}0-9][{LETTER}{MARK}0-9'’.\-]*(?<!\.))*)"
    r"|(\d[\d ]*\d(?= |$|[^\d]))"  # a group of digits that may hold spaces, such as a phone number
)
# Text between two tags that holds a Latin letter, a digit or an entity: the only text there is to
# wrap. Found by the regular expression engine, so a page's thousands of tags cost no Python step.
LATIN_TEXT = re.compile(rf">([^<{LETTER}0-9&]*[{LETTER}0-9&][^<]*)(?=<)")
# Where text is left alone: comments, raw elements, and elements that declare their own language
# (English parts, each language's name in the language chooser); <html> declares the page's own.
COMMENT = re.compile(r"<!--.*?-->", re.S)
RAW_START = re.compile(r"<(" + "|".join(RAW_ELEMENTS) + r")(?=[\s/>])", re.I)
LANGUAGE_MARK = re.compile(r' lang="')
PAGE_ELEMENTS = {"html", "body"}
NAME_LIST = re.compile(r",\s*")  # "Transport for London, TfL": names, each protected
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")


@lru_cache(maxsize=None)  # a page has a few element names and thousands of elements
def _open_or_close(name: str) -> re.Pattern:
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])", re.I)


def _element_end(html: str, start: int, name: str) -> int:
    """Where the element opened at `start` ends: after its matching closing tag (or the page's end)."""
    depth = 0
    for match in _open_or_close(name).finditer(html, start):
        tag_end = html.find(">", match.end())
        if match.group(1):
            depth -= 1
        elif html[tag_end - 1] != "/":
            depth += 1
        if depth == 0:
            return tag_end + 1 if tag_end >= 0 else len(html)
    return len(html)


def _left_alone(html: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans whose text is not touched."""
    spans = [(m.start(), m.end()) for m in COMMENT.finditer(html)]
    for match in RAW_START.finditer(html):
        spans.append((match.start(), _element_end(html, match.start(), match.group(1).lower())))
    for match in LANGUAGE_MARK.finditer(html):
        start = html.rfind("<", 0, match.start())
        if start < 0 or html.find(">", start, match.start()) >= 0:
            continue  # not inside a tag
        name = TAG_NAME.match(html, start)
        if name is None or name.group(1).lower() in VOID_ELEMENTS | PAGE_ELEMENTS or html[html.find(">", start) - 1] == "/":
            continue
        spans.append((start, _element_end(html, start, name.group(1).lower())))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def isolate(html: str, direction: str) -> str:
    """Wrap Latin-script runs in <span dir="ltr"> (protected English names in <span lang="en"
    dir="ltr">), and spaced digit groups in <bdi>, in text only."""
    html = f">{html}<"  # text before the first tag and after the last is text between tags too
    spans = _left_alone(html)
    starts = [start for start, _ in spans]
    out: list[str] = []
    position = 0
    for match in LATIN_TEXT.finditer(html):
        at = match.start(1)
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and at < spans[index][1]:
            continue
        out.append(html[position:at])
        out.append(ENTITY_OR_LATIN.sub(lambda m: _wrap(m, direction), match.group(1)))
        position = match.end(1)
    out.append(html[position:])
    return "".join(out)[1:-1]


def _wrap(match: re.Match, direction: str) -> str:
    entity, latin, digits = match.groups()
    if entity:
        return entity
    if latin:
        if all(part in _english_names() for part in NAME_LIST.split(latin)):
            return f'<span lang="en" dir="ltr">{latin}</span>'
        return f'<span dir="ltr">{latin}</span>'
    if " " in digits and direction == "rtl":
        return f'<bdi dir="ltr">{digits}</bdi>'
    return digits


@lru_cache(maxsize=1)
def _english_names() -> frozenset[str]:
    return frozenset(protected_terms())
