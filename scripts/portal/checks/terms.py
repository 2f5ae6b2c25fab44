"""Protected terms: names that stay as they are, or are written one agreed way, in every
language (content/terms/en.yml lists them; content/terms/<language>.yml gives agreed forms).

"City of London" translated word for word reads as "London city", which a reader takes to
mean all of London: a translation of a page that names it must use the agreed form."""

from __future__ import annotations

import re
from pathlib import Path

from ..content.errors import Problem
from ..content.pages import Content, SourcePage
from ..content.terms import (
    TERMS_DIR,
    agreed_forms,
    ordinary_words,
    protected_terms,
    terms_used,
)


def page_text(page: SourcePage) -> str:
    return "\n".join([str(page.meta.get("title", "")), str(page.meta.get("description", "")), page.body])


def check_terms(content: Content, terms_dir: Path = TERMS_DIR) -> list[Problem]:
    terms = protected_terms(terms_dir)
    problems = []
    for lang in content.site.translated_languages:
        forms = agreed_forms(lang, terms_dir)
        for rel, page in content.pages.get(lang, {}).items():
            english = content.english().get(rel)
            if english is None or page.problems:
                continue
            text = page_text(page)
            for term in terms_used(page_text(english), terms):
                if forms[term] not in text:
                    problems.append(Problem(
                        page.display_path, 1, "protected term",
                        f"the English page names '{term}', but this translation does not write it as agreed: "
                        f"'{forms[term]}'. Use exactly that form (scripts/portal/content/terms/{lang}.yml "
                        "can set another agreed form for this language)"))
            problems += _ordinary_words(page, english, lang, terms, terms_dir)
    return problems


def _ordinary_words(page: SourcePage, english: SourcePage, lang: str, terms: tuple[str, ...],
                    terms_dir: Path) -> list[Problem]:
    """Where the English names a protected term (and never uses the everyday word itself), the
    translation must not use the everyday word for it: "the City" is not "the city". Only as far as
    terms/<lang>.yml lists the everyday words, each as a whole word."""
    english_text = page_text(english)
    used = terms_used(english_text, terms)
    problems = []
    for term, words in ordinary_words(lang, terms_dir).items():
        if term not in used or re.search(rf"\b{re.escape(term.split()[-1].lower())}\b", english_text):
            continue
        for number, line in page.body_lines():
            for word in words:
                if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", line):
                    form = agreed_forms(lang, terms_dir)[term]
                    problems.append(Problem(
                        page.display_path, number, "protected term",
                        f"'{word}' is the everyday word for a city, but the English page means '{term}' (the City "
                        f"of London Corporation, as the home page defines it); write the agreed form '{form}'"))
    return problems
