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
# Only questions that change the answer: the health card is for care leavers in work or with no
# recourse to public funds (content brief, Health), so "work" counts once this one is asked too.
# (There was a London question: no entitlement depends on where someone lives, so it was removed;
# an old address with london=... is read as if the key were not there.)
NRPF = {
    "yes": (),
    "no": ("no-recourse-to-public-funds",),
    NOT_SURE: (),
}
# What each answer says is true, so a card is not said to be shown "because of Not sure".
HAS = {
    "work": {"working": ("in-work",), "studying": ("in-education",), "both": ("in-work", "in-education")},
    "nrpf": {"yes": ("no-recourse-to-public-funds",)},
}
# Which conditions each question asks about.
ASKS = {"work": ("in-work", "in-education"), "nrpf": ("no-recourse-to-public-funds",)}
FIELDS = ("who", "helping", "age", "work", "nrpf")


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
    nrpf: str = NOT_SURE

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
            nrpf=_known(values.get("nrpf"), NRPF),
        )

    def query(self) -> str:
        """The query string for these answers, leaving out what is "not sure"."""
        pairs = [("who", self.who), ("helping", self.helping if self.who == PROFESSIONAL else NOT_SURE),
                 ("age", "" if self.age is None else str(self.age)), ("work", self.work), ("nrpf", self.nrpf)]
        return urlencode([(k, v) for k, v in pairs if v not in (NOT_SURE, "")])

    @property
    def audience(self) -> str | None:
        chosen = self.helping if self.who == PROFESSIONAL else self.who
        return chosen if chosen in AUDIENCES else None

    @property
    def lacks(self) -> frozenset[str]:
        return frozenset(WORK[self.work]) | frozenset(NRPF[self.nrpf])

    @property
    def has(self) -> frozenset[str]:
        """The conditions the answers say are true."""
        return frozenset(HAS["work"].get(self.work, ())) | frozenset(HAS["nrpf"].get(self.nrpf, ()))

    def unsure(self, entitlement: Entitlement) -> tuple[str, ...]:
        """Why a card that fits is shown: the questions answered "Not sure" that could have ruled it
        out ("who", "age", "conditions"), in that order; empty when the answers show it fits."""
        facts = entitlement.facts
        found = []
        if self.audience is None and set(facts.audience) != set(AUDIENCES):
            found.append("who")
        if self.age is None and facts.ages:
            found.append("age")
        conditions = set(facts.conditions)
        if conditions and not conditions & self.has and any(
                getattr(self, question) == NOT_SURE and conditions & set(asks) for question, asks in ASKS.items()):
            found.append("conditions")
        return tuple(found)

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
        "nrpf": {k: list(v) for k, v in NRPF.items()},
        "has": {q: {k: list(v) for k, v in answers.items()} for q, answers in HAS.items()},
        "asks": {q: list(v) for q, v in ASKS.items()},
    }
