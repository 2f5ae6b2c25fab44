"""Which English words each translated unit was made from: one file per language, translations/<lang>.yml.

Why a file per language beside docs/, not the page's front matter: a page has 20 to 60 units,
so the record would bury the title and description a translator edits; here one changed unit is
one changed line in one file, and staff never need to open it. Each line reads

    offer/travel.md:
      free-bus-and-tram/summary: {from: 1a2b3c4d}
      free-bus-and-tram/step1: {from: 5e6f7a8b, reviewed_by: "professional translator"}

`from` is the hash of the English unit the translation translates (units.text_hash);
`reviewed_by` is the role of the reviewer who approved it (a role, never a person's name).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import PortalError, Problem
from .files import atomic_write, read_text
from .kept import Kept, code_of, key_of
from .pages import Content, SourcePage
from .translation_units import Unit, units_by_key
from .yaml_loader import load as yaml_load
from .yaml_loader import yaml_problem

FOLDER = "translations"
PLAIN_KEY = re.compile(r"^[\w./-]+$")
# Unit states for one language
CURRENT, CHANGED, NEW, MISSING = "current", "changed", "new", "missing"


@dataclass(frozen=True)
class Record:
    made_from: str
    reviewed_by: str = ""


@dataclass(frozen=True)
class UnitState:
    page: str
    lang: str
    unit: Unit  # the English unit
    state: str  # current, changed (English edited since), new (never translated), missing (no page)
    reviewed_by: str = ""

    @property
    def needs_work(self) -> bool:
        return self.state != CURRENT


def record_path(content: Content, lang: str) -> Path:
    return content.site.root / FOLDER / f"{lang}.yml"


def paste_heading(lang: str) -> str:
    """The heading of a pull request comment's lines for one record file; the check's message names it."""
    return f"Lines to add to {FOLDER}/{lang}.yml"


def load_records(content: Content, lang: str) -> dict[str, dict[str, Record]]:
    """page -> unit key -> record; read once per language and kept on the content."""
    cache = content.__dict__.setdefault("_translation_records", {})  # one read per run, not per page
    if lang not in cache:
        cache[lang] = _read(content, lang)
    return cache[lang]


def _read(content: Content, lang: str) -> dict[str, dict[str, Record]]:
    path = record_path(content, lang)
    if not path.is_file():
        return {}
    shown = content.site.display(path)
    text = read_text(path, content.site.root, shown)
    # Parsing the eight records' YAML took about 50 ms of CPU a build, reading them back as JSON under 2 ms: an
    # unchanged file's records are read back from .cache/, keyed by its text and this module's code.
    kept = Kept(content.site.root, "translation-records", lang, key_of(text, code_of(__file__)))
    found = kept.get()
    if isinstance(found, dict):
        return {page: {key: Record(*value) for key, value in units.items()} for page, units in found.items()}
    try:
        data = yaml_load(text) or {}
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fix="restore it with `git checkout` and record the pages again with "
                                                "`make translations-stamp`")
        raise PortalError.from_problems("The translation record cannot be read.", [Problem(
            shown, line, "translation record", message)]) from None
    records: dict[str, dict[str, Record]] = {}
    for page, units in data.items() if isinstance(data, dict) else ():
        for key, value in (units or {}).items():
            value = value if isinstance(value, dict) else {}
            records.setdefault(str(page), {})[str(key)] = Record(str(value.get("from", "")),
                                                                   str(value.get("reviewed_by") or ""))
    kept.put({page: {key: [record.made_from, record.reviewed_by] for key, record in units.items()}
              for page, units in records.items()})
    return records


def save_records(content: Content, lang: str, records: dict[str, dict[str, Record]]) -> Path:
    path = record_path(content, lang)
    lines = [f"# Which English words each unit of the {lang} pages was translated from. Written by",
             "# `make translations-import` and `make translations-stamp`; see CONTRIBUTING.md, 'Ask for a translation'."]
    for page in sorted(records):
        lines += page_record_lines(page, records[page])
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))
    content.__dict__.setdefault("_translation_records", {})[lang] = records
    content.__dict__.pop("_unit_states", None)  # worked out from the records just replaced
    return path


def page_record_lines(page: str, units: dict[str, Record]) -> list[str]:
    """One page's lines in translations/<lang>.yml: what `make translations-stamp` writes, and what a
    pull request's comment gives staff to paste (a page's block may go anywhere in the file)."""
    lines = [f"{_key(page)}:"]
    for key, record in units.items():
        review = f", reviewed_by: {json.dumps(record.reviewed_by, ensure_ascii=False)}" if record.reviewed_by else ""
        lines.append(f"  {_key(key)}: {{from: {json.dumps(record.made_from)}{review}}}")
    return lines


def unrecorded_pages(content: Content, lang: str) -> list[str]:
    """Translated pages of a language that keeps a record (translations/<lang>.yml exists) but not of
    them: a later English edit could not be shown on them unit by unit, so `make check` refuses them.
    A language without the file (a new one, or a site that tracks whole pages) is not asked."""
    if not record_path(content, lang).is_file():
        return []
    recorded = load_records(content, lang)
    return [rel for rel, page in sorted(content.pages.get(lang, {}).items())
            if rel not in recorded and rel in content.english() and not page.problems]


def _key(text: str) -> str:
    return text if PLAIN_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def english_units(content: Content, rel: str) -> dict[str, Unit]:
    cache = content.__dict__.setdefault("_english_units", {})  # the checks, notices and reports share them
    if rel not in cache:
        cache[rel] = units_by_key(content.english()[rel])
    return cache[rel]


def unit_states(content: Content, lang: str, rel: str) -> list[UnitState] | None:
    """The state of every English unit in this language; None when the page has no record yet.
    Worked out once per page and language: the notices, the page's status and the checks all ask."""
    cache = content.__dict__.setdefault("_unit_states", {})
    if (lang, rel) not in cache:
        cache[(lang, rel)] = _unit_states(content, lang, rel)
    return cache[(lang, rel)]


def _unit_states(content: Content, lang: str, rel: str) -> list[UnitState] | None:
    english = english_units(content, rel)
    if rel not in content.pages.get(lang, {}):
        return [UnitState(rel, lang, unit, MISSING) for unit in english.values()]
    recorded = load_records(content, lang).get(rel)
    if recorded is None:
        return None
    states = []
    for key, unit in english.items():
        record = recorded.get(key)
        if record is None:
            states.append(UnitState(rel, lang, unit, NEW))
        else:
            state = CURRENT if record.made_from == unit.hash else CHANGED
            states.append(UnitState(rel, lang, unit, state, record.reviewed_by))
    return states


def stamp(content: Content, lang: str, rel: str, keep_reviews: bool = True) -> dict[str, Record]:
    """Record that the translated page translates today's English, unit by unit: as drafts, unless
    a unit was reviewed from these very words before, or the front matter records a review of
    today's English page."""
    old = load_records(content, lang).get(rel, {})
    page = content.pages.get(lang, {}).get(rel)
    front = page.meta.get("translation") if page and isinstance(page.meta.get("translation"), dict) else {}
    page_review = (str(front.get("reviewed_by") or "") if front.get("status") == "reviewed"
                   and front.get("source_hash") == content.english()[rel].source_hash() else "")
    fresh = {}
    for key, unit in english_units(content, rel).items():
        before = old.get(key)
        reviewed = before.reviewed_by if keep_reviews and before and before.made_from == unit.hash else ""
        fresh[key] = Record(unit.hash, reviewed or page_review)
    return fresh


def translated_units(content: Content, lang: str, rel: str) -> dict[str, Unit]:
    page: SourcePage | None = content.pages.get(lang, {}).get(rel)
    return units_by_key(page, content.english()[rel]) if page is not None else {}
