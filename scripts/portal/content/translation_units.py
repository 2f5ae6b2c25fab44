"""A page as translation units: the pieces a translator translates and a reviewer checks one by one.

Units: the title, the description, each heading, paragraph, list item, table cell, admonition
title, and the wording of each ```entitlement block (summary, cost, each step).

Keys. A unit's key is the anchor of the English heading it sits under, then its kind and its
ordinal inside that section: `top/p1` (first paragraph before any heading),
`free-bus-and-tram/heading`, `free-bus-and-tram/summary`, `free-bus-and-tram/step2`,
`help-with-money/li3`, `costs/row2.1` (table row 2, cell 1). Why this and not a hash of the
English text: a text hash changes with every edit, so the edited unit would look new and its
old translation orphaned; a section key survives any edit in any other section, and an edit
inside a unit keeps its key, so "this unit changed" is exactly what staff see. The price:
inserting or removing a paragraph shifts the ordinals after it in the same section (never in
another), and rewording a heading that has no `{#id}` changes its anchor, so its section shows as
changed (readers' links to it change too; give lasting headings an `{#id}`).

A translated page is keyed by the English page's anchors, heading by heading in order (its
own headings may have translated anchors). Code fences and [[placeholders]] come from
content/syntax.py, headings from content/pages.py: there is no second parser for them here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

import yaml

from .pages import HEADING, SourcePage
from .syntax import PLACEHOLDER, fenced_blocks, walk
from .yaml_loader import load as yaml_load

TOP = "top"
WORDING_FIELDS = ("summary", "cost")
ITEM = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+]|\d+[.)])\s+(?P<text>.*)$")
ADMONITION = re.compile(r'^(?P<lead>\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*\s+")(?P<text>.*)(?P<tail>"\s*)$')
# Lines that are only structure, no words: an admonition without a title, a thematic break.
STRUCTURE_ONLY = re.compile(r"^\s*(?:(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*|([-*_])(?:\s*\1){2,})\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
WORD = re.compile(r"\w+")
ATTRIBUTES = re.compile(r"\{:?\s*[#.][^}]*\}")
LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class Unit:
    key: str
    kind: str  # title, description, heading, paragraph, item, cell, note, summary, cost, step
    text: str  # as written in the Markdown (links, **bold** and {#ids} kept); lines joined by \n
    section: str  # the English anchor of the heading above ("top" before the first heading)
    heading: str  # that heading's words on this page ("" before the first heading)
    entitlement: str = ""  # the entitlement id, for the wording of an entitlement block
    start: int = 0  # first and last line in the file
    end: int = 0
    lead: str = ""  # what comes before the words on the first line: "## ", "  - ", '!!! note "'
    tail: str = ""  # what comes after them on the last line: '"' for an admonition title
    column: int = -1  # for a table cell, its index among the row's cells

    @cached_property  # asked for every unit of every page in every language, several times a build
    def hash(self) -> str:
        return text_hash(self.text)

    @property
    def words(self) -> int:
        return word_count(self.text)


def text_hash(text: str) -> str:
    """Eight hex digits of the words; re-wrapping lines or spaces does not change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def word_count(text: str) -> int:
    """Words a translator is paid for: link targets and {#ids} are not words."""
    return len(WORD.findall(ATTRIBUTES.sub(" ", LINK_TARGET.sub("]", text))))


@dataclass
class _Section:
    anchor: str
    heading: str
    counts: dict[str, int] = field(default_factory=dict)

    def next_key(self, short: str) -> str:
        self.counts[short] = self.counts.get(short, 0) + 1
        return f"{self.anchor}/{short}{self.counts[short]}"


def page_units(page: SourcePage, english_anchors: list[str] | None = None) -> list[Unit]:
    """The units of one page, in the order they appear.

    `english_anchors`: for a translated page, the English page's heading anchors in order, so
    that its units get the English keys. Headings past the end of that list keep their own."""
    found: list[Unit] = []
    for name in ("title", "description"):
        if isinstance(page.meta.get(name), str):
            line = page.line_of(name)
            found.append(Unit(name, name, page.meta[name], TOP, "", start=line, end=_front_matter_end(page, name)))
    headings = page.headings()
    anchors = [english_anchors[i] if english_anchors and i < len(english_anchors) else h.anchor
               for i, h in enumerate(headings)]
    blocks = {b.line: b for b in fenced_blocks(page.body, page.body_start_line, "entitlement")}
    section = _Section(TOP, "")
    heading_index = 0
    open_unit: dict | None = None
    row = 0

    def close():
        nonlocal open_unit
        if open_unit:
            found.append(Unit(**open_unit))
        open_unit = None

    for number, line, is_code in walk(page.body, page.body_start_line):
        if is_code:
            close()
            if number in blocks:
                found.extend(_wording_units(blocks[number], section))
            continue
        heading = HEADING.match(line)
        item = ITEM.match(line)
        if not line.strip() or PLACEHOLDER.match(line.strip()) or STRUCTURE_ONLY.match(line):
            close()
            row = 0
        elif heading and heading_index < len(headings) and headings[heading_index].line == number:
            close()
            words = headings[heading_index]
            section = _Section(anchors[heading_index], words.text)
            heading_index += 1
            found.append(Unit(f"{section.anchor}/heading", "heading", heading.group(2), section.anchor,
                              section.heading, start=number, end=number,
                              lead=line[: len(line) - len(line.lstrip())] + heading.group(1) + " "))
        elif line.lstrip().startswith("|"):
            close()
            if TABLE_RULE.match(line):
                continue
            row += 1
            for column, cell in enumerate(split_row(line)):
                if cell.strip():
                    found.append(Unit(f"{section.anchor}/row{row}.{column + 1}", "cell", cell.strip(),
                                      section.anchor, section.heading, start=number, end=number, column=column))
        elif ADMONITION.match(line):
            close()
            match = ADMONITION.match(line)
            found.append(Unit(section.next_key("note"), "note", match.group("text"), section.anchor, section.heading,
                              start=number, end=number, lead=match.group("lead"), tail=match.group("tail")))
        elif item:
            close()
            lead = line[: len(line) - len(item.group("text"))]
            open_unit = dict(key=section.next_key("li"), kind="item", text=item.group("text"), section=section.anchor,
                             heading=section.heading, start=number, end=number, lead=lead)
        elif open_unit:
            open_unit["text"] += "\n" + line.strip()
            open_unit["end"] = number
        else:
            lead = line[: len(line) - len(line.lstrip())]
            open_unit = dict(key=section.next_key("p"), kind="paragraph", text=line.strip(), section=section.anchor,
                             heading=section.heading, start=number, end=number, lead=lead)
    close()
    return found


def _wording_units(block, section: _Section) -> list[Unit]:
    """The words of an entitlement block; its facts (ages, state, dates) are not translated."""
    try:
        data = yaml_load(block.text) or {}  # libyaml: this runs for every page
    except yaml.YAMLError:
        return []  # the content checks name a broken block; there is nothing to translate in it
    if not isinstance(data, dict):
        return []
    ident = section.anchor
    where = dict(section=section.anchor, heading=section.heading, entitlement=ident,
                 start=block.line, end=block.end_line)
    found = [Unit(f"{ident}/{name}", name, data[name], **where)
             for name in WORDING_FIELDS if isinstance(data.get(name), str)]
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    found += [Unit(f"{ident}/step{n}", "step", str(step), **where) for n, step in enumerate(steps, 1)]
    return found


def split_row(line: str) -> list[str]:
    """A table row's cells; `\\|` inside a cell is not a border."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return re.split(r"(?<!\\)\|", inner)


def _front_matter_end(page: SourcePage, name: str) -> int:
    """The last line of a front matter field (a long value may run over several lines)."""
    start = page.line_of(name)
    later = [line for line in page.meta_lines.values() if line > start]
    return (min(later) if later else page.body_start_line - 1) - 1


def units_by_key(page: SourcePage, english: SourcePage | None = None) -> dict[str, Unit]:
    anchors = [h.anchor for h in english.headings()] if english is not None and english is not page else None
    return {unit.key: unit for unit in page_units(page, anchors)}

