"""Protected terms: names that stay as they are, or are written one agreed way, in every
language (content/terms/en.yml lists them; content/terms/<language>.yml gives agreed forms).

"City of London" translated word for word reads as "London city", which a reader takes to
mean all of London: a translation of a page that names it must use the agreed form."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..content.errors import Problem
from ..content.pages import Content, SourcePage

TERMS_DIR = Path(__file__).resolve().parents[1] / "content" / "terms"


@lru_cache(maxsize=None)
def protected_terms(terms_dir: Path = TERMS_DIR) -> tuple[str, ...]:
    """Longest first, so "City of London Corporation" is matched before "City of London"."""
    terms = yaml.safe_load((terms_dir / "en.yml").read_text(encoding="utf-8")) or []
    return tuple(sorted((str(t) for t in terms), key=len, reverse=True))


@lru_cache(maxsize=None)
def agreed_forms(lang: str, terms_dir: Path = TERMS_DIR) -> dict[str, str]:
    path = terms_dir / f"{lang}.yml"
    own = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    return {term: str(own.get(term) or term) for term in protected_terms(terms_dir)}


def terms_used(text: str, terms: tuple[str, ...]) -> list[str]:
    """The terms in a text, each counted once, a shorter term only outside a longer one."""
    found = []
    for term in terms:
        if term in text:
            found.append(term)
            text = text.replace(term, " ")
    return found


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
