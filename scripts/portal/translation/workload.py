"""What translators must do, unit by unit, and how many English words that is: for a quote."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.pages import Content
from ..content.translation_records import (
    CHANGED,
    CURRENT,
    MISSING,
    NEW,
    UnitState,
    unit_states,
)
from .contact_words import contact_states


@dataclass
class LanguageWork:
    lang: str
    to_translate: list[UnitState] = field(default_factory=list)  # no translation yet (new unit or page)
    to_update: list[UnitState] = field(default_factory=list)  # the English changed since it was translated
    to_review: list[UnitState] = field(default_factory=list)  # translated, up to date, not yet reviewed
    unrecorded: list[str] = field(default_factory=list)  # pages with no unit record (stamp them)

    @staticmethod
    def words(states: list[UnitState]) -> int:
        return sum(s.unit.words for s in states)

    def as_json(self) -> dict:
        def units(states):
            return [{"page": s.page, "unit": s.unit.key, "state": s.state, "words": s.unit.words} for s in states]
        return {
            "language": self.lang,
            "words_to_translate": self.words(self.to_translate),
            "words_to_update": self.words(self.to_update),
            "words_to_review": self.words(self.to_review),
            "units_to_translate": units(self.to_translate),
            "units_to_update": units(self.to_update),
            "unrecorded_pages": self.unrecorded,
        }


def workload(content: Content) -> list[LanguageWork]:
    found = []
    for lang in content.site.translated_languages:
        work = LanguageWork(lang)
        pages = [(rel, unit_states(content, lang, rel)) for rel in sorted(content.english())]
        pages.append(("contacts", contact_states(content.site, lang)))  # the contacts' words, in strings
        for rel, states in pages:
            if states is None:
                work.unrecorded.append(rel)
                continue
            for state in states:
                if state.state in (NEW, MISSING):
                    work.to_translate.append(state)
                elif state.state == CHANGED:
                    work.to_update.append(state)
                elif state.state == CURRENT and not state.reviewed_by:
                    work.to_review.append(state)
        found.append(work)
    return found


def report(found: list[LanguageWork]) -> str:
    lines = ["Words for a quote (English words in the units concerned):",
             f"{'language':10}{'translate':>11}{'update':>9}{'review':>9}"]
    for work in found:
        lines.append(f"{work.lang:10}{work.words(work.to_translate):>11}{work.words(work.to_update):>9}"
                     f"{work.words(work.to_review):>9}")
    for work in found:
        changed = work.to_translate + work.to_update
        if changed:
            lines += ["", f"{work.lang}: {len(changed)} unit(s) to translate or update, "
                          f"{work.words(changed)} word(s):"]
            lines += [f"  {s.page}  {s.unit.key}  {s.state}, {s.unit.words} word(s)" for s in changed]
        if work.unrecorded:
            lines += ["", f"{work.lang}: no unit record for {', '.join(work.unrecorded)}; "
                          "record them with `make translations-stamp LANG=" + work.lang + " PAGE=<page>`"]
    return "\n".join(lines)
