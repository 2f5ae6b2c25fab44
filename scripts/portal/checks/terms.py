"""Protected terms: names that stay as they are, or are written one agreed way, in every
language (content/terms/en.yml lists them; content/terms/<language>.yml gives agreed forms).

"City of London" translated word for word reads as "London city", which a reader takes to
mean all of London: a translation of a page that names it must use the agreed form."""

from __future__ import annotations

from pathlib import Path

from ..content.errors import Problem
from ..content.pages import Content, SourcePage
from ..content.terms import TERMS_DIR, agreed_forms, protected_terms, terms_used


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
    return problems
