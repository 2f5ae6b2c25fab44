"""Translated pages tracked unit by unit must keep the English page's parts, in order: otherwise an
English edit is reported against the wrong part, and an import cannot place a translation."""

from __future__ import annotations

from ..content.errors import WARNING, Problem
from ..content.pages import Content
from ..content.translation_records import english_units, load_records, translated_units


def check_translation_units(content: Content) -> list[Problem]:
    problems = []
    for lang in content.site.translated_languages:
        recorded = load_records(content, lang)
        for rel, page in sorted(content.pages.get(lang, {}).items()):
            if rel not in recorded or rel not in content.english() or page.problems:
                continue
            english, mine = english_units(content, rel), translated_units(content, lang, rel)
            missing = [unit for key, unit in english.items() if key not in mine]
            extra = [unit for key, unit in mine.items() if key not in english]
            if missing:
                first = missing[0]
                problems.append(Problem(page.display_path, 1, "translation",
                                        f"has no {first.kind} for the English {first.key} "
                                        f"({content.english()[rel].display_path}:{first.start}); give the "
                                        "translation the same headings, paragraphs and list items as the English "
                                        "page, in English as a stand-in where no translation exists yet", WARNING))
            if extra:
                problems.append(Problem(page.display_path, extra[0].start, "translation",
                                        f"this {extra[0].kind} has no English counterpart; remove it, or add the "
                                        "English to the English page first", WARNING))
    return problems
