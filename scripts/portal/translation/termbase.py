"""The term base translators load into their tool: the glossary's terms and the protected terms, as CSV.

One row a term, one column a language (CSV is what CAT tools such as memoQ, Trados' MultiTerm
Convert and Phrase import as a term base; the first row names each column's language code).

Translators open the file in a spreadsheet too, so no cell is ever a formula: one that starts
with =, +, -, @, a tab or a carriage return is written after a single quote (OWASP's advice on CSV
injection), which a spreadsheet shows as text.
"""

from __future__ import annotations

import csv
import io

from ..content.pages import Content
from ..content.terms import agreed_forms, protected_terms
from ..content.translation_records import english_units, translated_units

GLOSSARY = "glossary.md"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def termbase_rows(content: Content) -> list[list[str]]:
    langs = content.site.translated_languages
    header = [content.site.default_language, *langs, "type", "definition (en)", "note"]
    rows = [header]
    forms = {lang: agreed_forms(lang) for lang in langs}
    for term in sorted(protected_terms(), key=str.lower):
        rows.append([term, *(forms[lang].get(term, term) for lang in langs), "protected", "",
                     "a name: write it exactly like this (do not translate unless a form is given)"])
    if GLOSSARY in content.english():
        english = english_units(content, GLOSSARY)
        translated = {lang: translated_units(content, lang, GLOSSARY) for lang in langs}
        for key, unit in english.items():
            if unit.kind != "heading":
                continue
            definition = english.get(f"{unit.section}/p1")
            rows.append([unit.heading, *(_heading(translated[lang].get(key)) for lang in langs), "glossary",
                         definition.text if definition else "", f"glossary.md#{unit.section}"])
    return rows


def _heading(unit) -> str:
    return unit.heading if unit is not None else ""


def inert(cell: str) -> str:
    """The cell as a spreadsheet shows text, never as a formula it would run."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def termbase_csv(content: Content) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([inert(cell) for cell in row] for row in termbase_rows(content))
    return out.getvalue()
