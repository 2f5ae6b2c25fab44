"""The label above an entitlement's details follows its state, in every language: "What you get:"
only for an entitlement that is available; "What was planned:", "What the aim is:", "What the trial
is:" or "What there was:" for the others (strings: label_<state>). A plan, an aim or something that
ended is never labelled as something a young person can get now."""

from __future__ import annotations

import re

from ..content.entitlements import STATES
from ..content.errors import Problem
from ..content.pages import Content, SourcePage
from ..content.ui_strings import strings

LABEL = re.compile(r"^\s*\*\*(?P<text>[^*]+?)\*\*\s*$")


def _norm(text: str) -> str:
    """A label as compared: without its closing colon (":", "：", "፦", "፡") and spaces, case folded."""
    return re.sub(r"[\s:：፦፡]+$", "", text.strip()).casefold()


def state_labels(lang: str, default: str) -> dict[str, str]:
    """Normalised label -> the state it belongs to, in `lang` and in the default language (a
    translation may still carry the English label)."""
    found: dict[str, str] = {}
    for code in (default, lang):
        words = strings(code)
        for state in STATES:
            found[_norm(words[f"label_{state}"])] = state
    return found


def _sections(page: SourcePage) -> list[tuple[str, int, int]]:
    """(entitlement id, first line, last line) of each entitlement's section: its heading down to
    the next heading of its level or above."""
    headings = page.headings()
    found = []
    for index, heading in enumerate(headings):
        if not heading.is_entitlement:
            continue
        end = next((h.line for h in headings[index + 1:] if h.level <= heading.level), 10**9)
        found.append((heading.anchor, heading.line, end - 1))
    return found


def check_state_labels(content: Content) -> list[Problem]:
    site = content.site
    default = site.default_language
    problems = []
    for lang, pages in content.pages.items():
        labels = state_labels(lang, default)
        words = strings(lang)
        for page in pages.values():
            if page.problems:
                continue
            sections = _sections(page)
            if not sections:
                continue
            lines = dict(page.body_lines())
            for ident, first, last in sections:
                entitlement = content.offer.get(default, ident)
                if entitlement is None:
                    continue  # the entitlement checks name it
                state = entitlement.facts.state
                for number in range(first, min(last, max(lines, default=0)) + 1):
                    match = LABEL.match(lines.get(number, ""))
                    said = labels.get(_norm(match.group("text"))) if match else None
                    if said is None or said == state:
                        continue
                    problems.append(Problem(
                        page.display_path, number, f"entitlement {ident}: label",
                        f"'{match.group('text').strip()}' is the label for an entitlement that is {said}, but this "
                        f"one is {state}" + (": a young person cannot get it now" if said == "available" else "")
                        + f". Write **{words[f'label_{state}']}** instead"))
    return problems
