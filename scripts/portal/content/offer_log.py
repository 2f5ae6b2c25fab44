"""The offer's history: a committed, reviewable record of each time an entitlement was added,
changed state, had its facts changed, or left the offer. The Atom feed is made from it.

A build cannot know history by itself, so the record is a file staff commit: offer-changes.yml,
newest entry last. `python -m portal offer-log` compares the offer with the last recorded facts
of each entitlement and appends what changed, dated the day it ran; `make check` fails, naming
the entitlement and this command, while the offer and the record disagree. The first run seeds the
record with one "added" entry per entitlement, dated the day its facts were last verified, never
an invented earlier event.

A hand edit is checked like a page (entry_problems): each entry names an id from entitlements.yml
and that id's page, its facts have the values the entitlement schema allows, its dates are dates,
and its words are plain text, so the feed made from it is always valid Atom about a real entitlement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .entitlements import Entitlement, schema
from .errors import Problem
from .files import link_problem, read_text
from .yaml_loader import PortalLoader, node_and_data, yaml_problem

LOG_FILE = "offer-changes.yml"
COMMAND = "python -m portal offer-log"
CHANGES = ("added", "state", "facts", "removed")
# Compared with the record: a change to any of these is news to a professional. `verified` is
# recorded but not compared: checking a fact again without changing it is not a change.
TRACKED = ("title", "page", "state", "as_of", "audience", "ages", "conditions", "cost", "source")
RECORDED = TRACKED + ("verified",)
HEADER = f"""\
# The offer's history, published as the Atom feed offer-changes.atom. Newest entry last.
# Do not edit by hand: after changing an entitlement, run `{COMMAND}` (or `make offer-log`),
# read the entries it added, and commit this file with the page. `make check` fails until then.
"""


@dataclass(frozen=True)
class Change:
    """One entry of the record: what an entitlement's facts were after the change."""

    date: dt.date
    id: str
    change: str
    facts: dict  # RECORDED field -> value, as written in the file
    line: int = 0

    def as_yaml(self) -> dict:
        return {"date": self.date, "id": self.id, "change": self.change, **self.facts}


def snapshot(entitlement: Entitlement) -> dict:
    """The English entitlement's recorded fields, in the form the file keeps them."""
    facts = entitlement.facts
    return {
        "title": entitlement.title,
        "page": entitlement.rel,
        "state": facts.state,
        "as_of": str(facts.as_of),
        "audience": list(facts.audience),
        "ages": f"{facts.ages[0]}-{facts.ages[1]}" if facts.ages else None,
        "conditions": list(facts.conditions),
        "cost": entitlement.words.cost,
        "source": facts.source,
        "verified": facts.verified.isoformat() if facts.verified else None,
    }


def read_log(path: Path, shown: str) -> tuple[list[Change], list[Problem]]:
    """Every entry of the record, with its line; a missing file is an empty record."""
    if not path.exists() and not path.is_symlink():
        return [], []
    if refused := link_problem(path, shown):
        return [], [refused]
    text = read_text(path, shown=shown)
    try:
        node, data = node_and_data(text, PortalLoader)  # 2026-02-30 stays text, named by entry_problems
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fix=f"restore it with `git checkout {LOG_FILE}` and run `{COMMAND}` again")
        return [], [Problem(shown, line, "", message)]
    if data is None:
        return [], []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return [], [Problem(shown, 1, "", f"must be a list of entries; restore it from git and run `{COMMAND}`")]
    changes, problems = [], []
    for item, item_node in zip(data, node.value):
        line = item_node.start_mark.line + 1
        bad = _entry_problem(item)
        if bad:
            problems.append(Problem(shown, line, "entry", f"{bad}; restore it from git and run `{COMMAND}`"))
            continue
        facts = {k: _plain(item.get(k)) for k in RECORDED}
        changes.append(Change(item["date"], str(item["id"]), item["change"], facts, line))
    return changes, problems


def _entry_problem(item) -> str:
    if not isinstance(item, dict):
        return "is not a list of 'field: value' lines"
    if not isinstance(item.get("date"), dt.date) or isinstance(item.get("date"), dt.datetime):
        return "has no 'date:' as YYYY-MM-DD"
    if not item.get("id"):
        return "has no 'id:'"
    if item.get("change") not in CHANGES:
        return f"its 'change:' must be one of {', '.join(CHANGES)}"
    missing = [k for k in RECORDED if k not in item]
    return f"lacks {', '.join(missing)}" if missing and item["change"] != "removed" else ""


WORDS = ("title", "cost", "source")
# Characters XML 1.0 cannot hold (C0 controls but tab and newline, and the non-characters), the
# C1 controls and the bidirectional overrides, which would reorder the text a reader sees.
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?[A-Za-z0-9]+;|\]\s*\(")


def entry_problems(changes: list[Change], known: dict[str, str], shown: str) -> list[Problem]:
    """Every value a hand edit could get wrong, for each entry: `known` is entitlements.yml, id -> page."""
    english = schema()["$defs"]["english"]["properties"]
    problems = []
    for change in changes:
        where = f"entry {change.id}" if change.id in known else "id"
        for message in _entry_values(change, known, english):
            problems.append(Problem(shown, change.line, where, f"{message}; restore the entry from git and run "
                                                                f"`{COMMAND}`, or correct it by hand"))
    return problems


def _entry_values(change: Change, known: dict[str, str], english: dict) -> list[str]:
    if change.id not in known:
        return [f"{change.id!r} is not an entitlement id in entitlements.yml, so the feed would announce an "
                "entitlement that does not exist"]
    facts = change.facts
    found = []
    if facts.get("page") != known[change.id]:
        found.append(f"page: {facts.get('page')!r} is not {change.id}'s page; entitlements.yml says "
                     f"{known[change.id]!r}")
    states = english["state"]["enum"]
    if facts.get("state") not in states:
        found.append(f"state: {facts.get('state')!r} is not one of {', '.join(states)}")
    for key in ("audience", "conditions"):
        allowed = english[key]["items"]["enum"]
        values = facts.get(key)
        if not isinstance(values, list) or any(v not in allowed for v in values):
            found.append(f"{key}: {values!r} must be a list of {', '.join(allowed)}")
    for key in ("as_of", "ages"):
        value = facts.get(key)
        if not (value is None and key == "ages") and not (isinstance(value, str) and
                                                          re.fullmatch(english[key]["pattern"], value)):
            found.append(f"{key}: {value!r} is not {'a month, YYYY-MM' if key == 'as_of' else 'ages such as 16-25'}")
    if facts.get("verified") is not None and not _is_date(facts.get("verified")):
        found.append(f"verified: {facts.get('verified')!r} is not a date, YYYY-MM-DD")
    for key in WORDS:
        value = facts.get(key)
        if not isinstance(value, str) or not value.strip():
            found.append(f"{key}: must be words, not {value!r}")
        elif NOT_TEXT.search(value):
            found.append(f"{key}: holds a control character ({NOT_TEXT.search(value).group()!r}); it is plain text")
        elif MARKUP.search(value):
            found.append(f"{key}: holds markup ({MARKUP.search(value).group()!r}); it is plain text")
    return found


def _is_date(value) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def latest(changes: list[Change]) -> dict[str, Change]:
    """Each entitlement's last entry, which holds its facts as last recorded."""
    last: dict[str, Change] = {}
    for change in changes:
        last[change.id] = change
    return last


def pending(changes: list[Change], offer: list[Entitlement], today: dt.date) -> list[Change]:
    """The entries the record lacks for the offer as it is now, in the offer's order.

    An empty record is seeded: each entitlement "added" on the day it was last verified."""
    seeding = not changes
    last = latest(changes)
    new: list[Change] = []
    for entitlement in offer:
        now = snapshot(entitlement)
        before = last.get(entitlement.id)
        if before is None or before.change == "removed":
            new.append(Change((entitlement.facts.verified or today) if seeding else today, entitlement.id, "added", now))
            continue
        differs = [k for k in TRACKED if before.facts.get(k) != now[k]]
        if differs:
            kind = "state" if "state" in differs else "facts"
            new.append(Change(today, entitlement.id, kind, now))
    present = {e.id for e in offer}
    for ident, before in last.items():
        if ident not in present and before.change != "removed":
            new.append(Change(today, ident, "removed", {**before.facts}))
    return new


def differences(before: dict | None, after: dict) -> list[tuple[str, object, object]]:
    """(field, old, new) for each tracked field that changed; everything is new when there was none."""
    return [(k, (before or {}).get(k), after.get(k)) for k in TRACKED if (before or {}).get(k) != after.get(k)]


def previous(changes: list[Change], index: int) -> Change | None:
    """The entry before changes[index] for the same entitlement."""
    ident = changes[index].id
    return next((c for c in reversed(changes[:index]) if c.id == ident), None)


class _Unaliased(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def entries_text(new: list[Change]) -> str:
    """The entries as lines of the record, to append (or to paste at its end)."""
    # Every value written out in full: entries added on one day share one date object, which
    # PyYAML would otherwise write as an anchor and aliases, and the record refuses those.
    return yaml.dump([c.as_yaml() for c in new], Dumper=_Unaliased, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=100)


def append(path: Path, new: list[Change]) -> None:
    """Add the entries at the end, keeping every earlier line as it was (the record is reviewed as a diff)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + entries_text(new), encoding="utf-8")


def paste_instructions(new: list[Change]) -> str:
    """For a pull request's comment: what staff who edit in the browser paste, and where."""
    return ("## Lines to add to offer-changes.yml\n\n"
            f"This change alters the offer. Open `{LOG_FILE}` in the pull request's branch (Edit), paste these "
            "lines at its very end, and commit:\n\n```yaml\n" + entries_text(new) + "```\n")
