"""The finder's questions and what each answer means for Entitlement.fits.

The answers live in the page's address (`?who=care-leavers&age=19&work=working`), so an adviser
can send a result. finder.js reads the same tables from the page's JSON data block, so the page
filters exactly as `Answers.matches` does; any value it does not know counts as "not sure".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from .entitlements import AUDIENCES, Entitlement

NOT_SURE = "not-sure"
PROFESSIONAL = "professional"
# Who is asking: one of the audiences, or someone helping one of them, who then says whom.
WHO = (*AUDIENCES, PROFESSIONAL, NOT_SURE)
HELPING = (*AUDIENCES, NOT_SURE)
# Each answer -> the conditions it rules out; a condition it does not name stays unknown.
WORK = {
    "working": ("in-education",),
    "studying": ("in-work",),
    "both": (),
    "neither": ("in-work", "in-education"),
    NOT_SURE: (),
}
LONDON = {
    "yes": ("lives-outside-london",),
    "no": ("lives-in-london",),
    NOT_SURE: (),
}
FIELDS = ("who", "helping", "age", "work", "london")


def age_choices(entitlements: Iterable[Entitlement]) -> tuple[int, int] | None:
    """(youngest, oldest) ages the question lists: one below the lowest limit stands for "under",
    one above the highest for "or older". Any real age gives the same results as its choice,
    since no limit lies between them. None when no entitlement has an age limit."""
    limits = [e.facts.ages for e in entitlements if e.facts.ages]
    if not limits:
        return None
    return max(0, min(low for low, _ in limits) - 1), max(high for _, high in limits) + 1


@dataclass(frozen=True)
class Answers:
    who: str = NOT_SURE
    helping: str = NOT_SURE
    age: int | None = None
    work: str = NOT_SURE
    london: str = NOT_SURE

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> Answers:
        """From an address's query string; an unknown or missing value means "not sure"."""
        values = dict(parse_qsl(query.lstrip("?"))) if isinstance(query, str) else dict(query)
        age = values.get("age", "")
        return cls(
            who=_known(values.get("who"), WHO),
            helping=_known(values.get("helping"), HELPING),
            age=int(age) if age.isascii() and age.isdigit() and len(age) <= 3 else None,
            work=_known(values.get("work"), WORK),
            london=_known(values.get("london"), LONDON),
        )

    def query(self) -> str:
        """The query string for these answers, leaving out what is "not sure"."""
        pairs = [("who", self.who), ("helping", self.helping if self.who == PROFESSIONAL else NOT_SURE),
                 ("age", "" if self.age is None else str(self.age)), ("work", self.work), ("london", self.london)]
        return urlencode([(k, v) for k, v in pairs if v not in (NOT_SURE, "")])

    @property
    def audience(self) -> str | None:
        chosen = self.helping if self.who == PROFESSIONAL else self.who
        return chosen if chosen in AUDIENCES else None

    @property
    def lacks(self) -> frozenset[str]:
        return frozenset(WORK[self.work]) | frozenset(LONDON[self.london])

    def matches(self, entitlements: Iterable[Entitlement]) -> list[Entitlement]:
        return [e for e in entitlements if e.fits(self.audience, self.age, lacks=self.lacks)]


def _known(value: str | None, allowed) -> str:
    return value if value in allowed else NOT_SURE


def data(entitlements: Iterable[Entitlement]) -> dict:
    """What finder.js needs to filter as `Answers.matches` does: each entitlement's facts and
    what each answer rules out."""
    return {
        "entitlements": [{"id": e.id, "audience": list(e.facts.audience),
                          "ages": list(e.facts.ages) if e.facts.ages else None,
                          "conditions": list(e.facts.conditions)} for e in entitlements],
        "audiences": list(AUDIENCES),
        "professional": PROFESSIONAL,
        "work": {k: list(v) for k, v in WORK.items()},
        "london": {k: list(v) for k, v in LONDON.items()},
    }
