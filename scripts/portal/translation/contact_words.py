"""The contacts' words (name, hours, cost, note, instead: mkdocs.yml, extra.contacts) as translation
work: each language gives them in its strings file as contact_<id>_<field>. A word not given there
is shown in English, marked as English, and counts here as a unit to translate; one given while the
language's contacts_translation is "draft" counts as a unit to review."""

from __future__ import annotations

from ..content.settings import CONTACT_WORDS as WORDS
from ..content.settings import Site
from ..content.translation_records import CURRENT, NEW, UnitState
from ..content.translation_units import Unit
from ..content.ui_strings import strings

PAGE = "mkdocs.yml (extra.contacts)"


def contact_units(site: Site) -> list[Unit]:
    """Every contact word staff wrote in English, as a unit keyed <contact id>/<field>."""
    found = []
    for contact in site.contacts:
        for field in WORDS:
            text = getattr(contact, field)
            if field == "instead" and contact.confirmed:
                continue
            if text:
                found.append(Unit(f"{contact.id}/{field}", "contact", str(text), "contacts", ""))
    return found


def contact_states(site: Site, lang: str) -> list[UnitState]:
    words = strings(lang)
    reviewed = words.get("contacts_translation") == "reviewed"
    states = []
    for unit in contact_units(site):
        ident, field = unit.key.split("/")
        given = words.get(f"contact_{ident}_{field}")
        states.append(UnitState(PAGE, lang, unit, CURRENT if given else NEW, "contacts" if given and reviewed else ""))
    return states
