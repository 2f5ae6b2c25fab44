"""Translated pages tracked unit by unit must keep the English page's parts, in order: otherwise an
English edit is reported against the wrong part, and an import cannot place a translation. And a
language that keeps a record must keep one for every page: an unrecorded page would hide later
English edits from its readers (unit_states has nothing to compare)."""

from __future__ import annotations

from ..content.errors import WARNING, Problem
from ..content.pages import Content
from ..content.translation_records import (
    FOLDER,
    english_units,
    load_records,
    paste_heading,
    translated_units,
    unrecorded_pages,
)


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
        problems += [unrecorded(content.pages[lang][rel].display_path, lang, rel)
                     for rel in unrecorded_pages(content, lang)]
    return problems


def unrecorded(path: str, lang: str, rel: str) -> Problem:
    # Staff who edit in the browser cannot run make: the pull request's comment (make pr-check, which
    # runs translations-stamp --suggest) gives them the very lines the command would write.
    return Problem(path, 1, "translation record",
                   f"this page is not recorded in {FOLDER}/{lang}.yml, so a later change to the English page "
                   "could not be shown on it part by part. In the browser: open the pull request's comment, copy "
                   f"the lines under '{paste_heading(lang)}' to the very end of that file, and commit. With a "
                   f"terminal: run `make translations-stamp PAGE={rel} LANG={lang}`")
