"""The offer as data: each entitlement is a heading with a fixed id and, under it, a fenced
```entitlement block of facts that staff write in the page's Markdown.

The English block holds the facts (who, ages, conditions, state, source, dates) and the words
(summary, cost, steps). A translation's block holds only the words: it inherits the facts from
English by id, so a fact is changed once. The block is validated by a JSON Schema
(entitlement.schema.json beside this file) with the jsonschema library.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .errors import Problem
from .kept import Kept, code_of, key_of
from .syntax import FencedBlock, fenced_blocks
from .yaml_loader import FAST_SAFE_LOADER, node_and_data, yaml_problem

if TYPE_CHECKING:
    import jsonschema

BLOCK = "entitlement"
SCHEMA_FILE = Path(__file__).resolve().parent / "entitlement.schema.json"
STATES = ("available", "planned", "pilot", "aim", "ended")
AUDIENCES = ("care-leavers", "children-in-care", "kinship-carers")
CONDITIONS = ("in-work", "in-education", "no-recourse-to-public-funds", "english-second-language",
              "lives-in-london", "lives-outside-london")
WORD_FIELDS = ("summary", "cost", "steps")
FACT_FIELDS = ("audience", "ages", "conditions", "state", "as_of", "source", "verified")
# A state that is not "available" is never shown as something a young person can get now.
ASK_WHETHER_RUNNING = ("planned", "pilot", "aim")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        return cls(int(year), int(month))

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Facts:
    """What does not depend on the language: written once, on the English page."""

    audience: tuple[str, ...]
    ages: tuple[int, int] | None
    conditions: tuple[str, ...]
    state: str
    as_of: Month
    source: str
    verified: dt.date | None  # when staff confirmed the facts with the service; None: not yet


@dataclass(frozen=True)
class Wording:
    """What a translator translates."""

    summary: str
    cost: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Entitlement:
    id: str
    title: str
    rel: str  # the page inside its language folder, e.g. offer/travel.md
    lang: str  # the language of the title and words
    line: int  # the heading's line, for messages
    facts: Facts
    words: Wording
    # field -> its line in the English page, for messages about a fact
    fact_lines: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def needs_asking(self) -> bool:
        return self.facts.state in ASK_WHETHER_RUNNING

    def fits(self, audience: str | None = None, age: int | None = None,
             conditions: set[str] | None = None, lacks: frozenset[str] | set[str] = frozenset()) -> bool:
        """Whether someone could get it; None means "not sure" and rules nothing out.

        `conditions` is every condition true for the person (all others are false); `lacks` is only
        the conditions the person said are false, the rest unknown, as the finder asks about some
        conditions and not others. An entitlement with conditions needs at least one of them."""
        if audience is not None and audience not in self.facts.audience:
            return False
        if age is not None and self.facts.ages and not self.facts.ages[0] <= age <= self.facts.ages[1]:
            return False
        if conditions is not None and self.facts.conditions and not set(self.facts.conditions) & conditions:
            return False
        if lacks and self.facts.conditions and set(self.facts.conditions) <= set(lacks):
            return False
        return True


@dataclass(frozen=True)
class Block:
    """A parsed ```entitlement block, tied to the heading above it."""

    id: str
    title: str
    heading_line: int
    fence: FencedBlock | None
    data: dict
    lines: dict  # field -> line number in the file


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def blocks_of(page) -> tuple[list[Block], list[Problem]]:
    """Every entitlement heading of a page (a content.pages.SourcePage) with its facts block."""
    problems: list[Problem] = []
    fences = fenced_blocks(page.body, page.body_start_line)
    headings = page.headings()
    found: list[Block] = []
    for index, heading in enumerate(headings):
        if not heading.is_entitlement:
            continue
        end = headings[index + 1].line if index + 1 < len(headings) else 10**9
        own = [f for f in fences if f.info == BLOCK and heading.line < f.line < end]
        fence = own[0] if own else None
        for extra in own[1:]:
            problems.append(Problem(page.display_path, extra.line, f"entitlement {heading.anchor}",
                                    "has a second ```entitlement block; keep one block under each heading"))
        data, lines = {}, {}
        if fence is not None:
            data, lines, bad = _load_block(page.display_path, heading.anchor, fence)
            problems += bad
        found.append(Block(heading.anchor, heading.text, heading.line, fence, data, lines))
    for fence in fences:
        if fence.info == BLOCK and not any(b.fence == fence for b in found):
            problems.append(Problem(page.display_path, fence.line, "entitlement",
                                    "this ```entitlement block is not under an entitlement heading; put it "
                                    "directly under a heading such as '## Title {#some-id .entitlement}'"))
    return found, problems


def _load_block(path: str, ident: str, fence: FencedBlock) -> tuple[dict, dict, list[Problem]]:
    field = f"entitlement {ident}"
    if not fence.closed or any(line.lstrip().startswith(("```", "~~~")) for line in fence.text.splitlines()):
        return {}, {}, [Problem(path, fence.line, field, "the block is not closed; add a line ``` after its last field")]
    try:
        node, data = node_and_data(fence.text, FAST_SAFE_LOADER)
    except ValueError as error:  # YAML reads 2026-02-30 as a date and fails
        return {}, {}, [Problem(path, fence.line, field, f"holds an impossible date ({error}); write a real date "
                                                         "as YYYY-MM-DD")]
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fence.line + 1, "check the colon after each field name and put text "
                                                            "that contains a colon in quotes")
        return {}, {}, [Problem(path, line, field, message)]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}, [Problem(path, fence.line, field, "the block must be a list of 'field: value' lines")]
    lines = {str(key.value): fence.line + 1 + key.start_mark.line for key, _ in node.value}
    return data, lines, []


class PassedBlocks:
    """Blocks the schema has passed before, kept between runs (content/kept.py) under the schema, this
    module's code and the installed validator's version: an unchanged block is not validated again, and
    a build that changed no block does not import jsonschema at all (about 60 ms of CPU, with its
    dependencies). Only passes are kept; a block with a problem is validated, and named, every run."""

    def __init__(self, root: Path | None):
        self.kept = Kept(root, "checks", "passed-entitlement-blocks",
                         key_of(SCHEMA_FILE.read_bytes(), code_of(__file__), _validator_version())
                         ) if root is not None else None
        self.before = set(self.kept.get() or []) if self.kept else set()
        self.now: set[str] = set()

    @staticmethod
    def key(block: Block, english: bool) -> str:
        # A value JSON has no type for is keyed with its type: a date in a list is not the text of that date.
        return key_of(str(english), json.dumps(_jsonable(block.data), sort_keys=True,
                                               default=lambda value: f"{type(value).__name__}:{value!r}"))

    def passed(self, block: Block, english: bool) -> bool:
        return self.key(block, english) in self.before

    def add(self, block: Block, english: bool) -> None:
        self.now.add(self.key(block, english))

    def save(self) -> None:
        """Keeps this run's passes only, so the file does not grow with every edit ever made."""
        if self.kept is not None and self.now != self.before:
            self.kept.put(sorted(self.now))


@lru_cache(maxsize=1)  # what is installed does not change while the process runs
def _validator_version() -> str:
    """The installed jsonschema's name and version, from its dist-info folders, without importing it."""
    spec = importlib.util.find_spec("jsonschema")
    packages = Path(spec.origin).parents[1] if spec and spec.origin else None
    return ",".join(sorted(path.name for path in packages.glob("jsonschema*.dist-info"))) if packages else ""


def validate(path: str, block: Block, english: bool, passed: PassedBlocks | None = None) -> list[Problem]:
    """Every problem with one block's fields, by the JSON Schema; words only on a translation."""
    field = f"entitlement {block.id}"
    if block.fence is None:
        what = "the facts and the words" if english else "the translated summary, cost and steps"
        return [Problem(path, block.heading_line, field,
                        f"has no ```entitlement block; add one under the heading with {what} "
                        "(CONTRIBUTING.md, 'Add an entitlement', has an example)")]
    passed = passed or PassedBlocks(None)
    problems = [] if passed.passed(block, english) else _schema_problems(path, block, english)
    if not problems:
        passed.add(block, english)
    if english and not problems:
        problems += _senseless_facts(path, block)
    return problems


def _schema_problems(path: str, block: Block, english: bool) -> list[Problem]:
    field = f"entitlement {block.id}"
    problems = []
    for error in sorted(_validator(english).iter_errors(_jsonable(block.data)), key=lambda e: list(e.path)):
        key = str(error.path[0]) if error.path else _missing_key(error)
        line = block.lines.get(key, block.fence.line)
        where = f"{field}: {key}" if key else field
        problems.append(Problem(path, line, where, _message(error, key, english)))
    return problems


def _senseless_facts(path: str, block: Block) -> list[Problem]:
    """Facts that pass the schema one by one but make no sense together (dates: checks.entitlements)."""
    facts, field = facts_of(block), f"entitlement {block.id}"
    problems = []
    if facts.ages and facts.ages[0] > facts.ages[1]:
        problems.append(Problem(path, block.lines["ages"], f"{field}: ages",
                                f"runs from {facts.ages[0]} down to {facts.ages[1]}; write the youngest age first, "
                                f"as {facts.ages[1]}-{facts.ages[0]}"))
    return problems


@lru_cache(maxsize=2)
def _validator(english: bool):
    # Made once per kind of block: building a validator costs more than validating a block.
    import jsonschema  # only when a block is new or changed (PassedBlocks)

    rules = {**schema(), "$ref": "#/$defs/" + ("english" if english else "translation")}
    return jsonschema.Draft202012Validator(rules, format_checker=jsonschema.FormatChecker())


def _jsonable(data: dict) -> dict:
    """YAML reads 2024-03-01 as a date and 2024-03 as text; the schema checks the text."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def _missing_key(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        match = re.match(r"'([^']+)'", error.message)
        return match.group(1) if match else ""
    if error.validator == "additionalProperties":
        match = re.search(r"'([^']+)' was unexpected", error.message)
        return match.group(1) if match else ""
    return ""


HINTS = {
    "summary": "one plain sentence of at most 140 characters",
    "audience": f"a list such as [care-leavers]; choose from {', '.join(AUDIENCES)}",
    "ages": "the youngest and oldest age as 18-25",
    "conditions": f"[] or a list of any of: {', '.join(CONDITIONS)}",
    "cost": "what it costs the young person, in words, such as 'Free.'",
    "state": f"one of {', '.join(STATES)}, as the content brief marks the fact",
    "as_of": "the month the source reports this state, as YYYY-MM, such as 2024-03",
    "source": "the report it rests on, such as 'Self-evaluation report, March 2024 (item 10)'",
    "verified": "the date staff confirmed these facts with the service itself, as YYYY-MM-DD; leave it out until then",
    "steps": "a list of short steps, each on a line starting '  - '",
}


def _message(error: jsonschema.ValidationError, key: str, english: bool) -> str:
    if error.validator == "required":
        return f"is missing; add '{key}:' with {HINTS.get(key, 'a value')}"
    if error.validator == "additionalProperties":
        if not english and key in FACT_FIELDS:
            return ("is a fact, which a translation takes from the English page; remove it here and "
                    "change it on the English page if it is wrong")
        return f"is not a field of an entitlement; check the spelling. The fields are: {', '.join(HINTS)}"
    return f"{error.message}; write {HINTS.get(key, 'a valid value')}"


def facts_of(block: Block) -> Facts:
    """The facts of a block that passed `validate` as English."""
    data = _jsonable(block.data)
    ages = data.get("ages")
    low_high = tuple(int(x) for x in ages.split("-")) if ages else None
    return Facts(
        audience=tuple(data["audience"]),
        ages=low_high,
        conditions=tuple(data.get("conditions") or ()),
        state=data["state"],
        as_of=Month.parse(data["as_of"]),
        source=str(data["source"]),
        verified=dt.date.fromisoformat(data["verified"]) if data.get("verified") else None,
    )


def wording_of(block: Block) -> Wording:
    return Wording(str(block.data["summary"]).strip(), str(block.data["cost"]).strip(),
                   tuple(str(step).strip() for step in block.data["steps"]))
