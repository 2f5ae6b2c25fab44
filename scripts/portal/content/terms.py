"""Protected terms: names that stay as they are, or are written one agreed way, in every language.

terms/en.yml lists them; terms/<language>.yml gives each language's agreed form. The checks hold
translations to them and the translators' files and term base carry them as notes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .files import PACKAGE_DIR, read_text
from .yaml_loader import load as yaml_load

TERMS_DIR = Path(__file__).resolve().parent / "terms"


@lru_cache(maxsize=None)
def protected_terms(terms_dir: Path = TERMS_DIR) -> tuple[str, ...]:
    """Longest first, so "City of London Corporation" is matched before "City of London"."""
    terms = yaml_load(read_text(terms_dir / "en.yml", PACKAGE_DIR)) or []
    return tuple(sorted((str(t) for t in terms), key=len, reverse=True))


@lru_cache(maxsize=None)
def agreed_forms(lang: str, terms_dir: Path = TERMS_DIR) -> dict[str, str]:
    path = terms_dir / f"{lang}.yml"
    own = (yaml_load(read_text(path, PACKAGE_DIR)) or {}) if path.exists() else {}
    return {term: str(own.get(term) or term) for term in protected_terms(terms_dir)}


@lru_cache(maxsize=None)
def ordinary_words(lang: str, terms_dir: Path = TERMS_DIR) -> dict[str, tuple[str, ...]]:
    """term -> the ordinary words of `lang` that must not stand where that term belongs (under
    `ordinary words:` in terms/<lang>.yml), such as the everyday word for a city for "the City"."""
    path = terms_dir / f"{lang}.yml"
    own = (yaml_load(read_text(path, PACKAGE_DIR)) or {}) if path.exists() else {}
    listed = own.get("ordinary words") if isinstance(own, dict) else None
    if not isinstance(listed, dict):
        return {}
    return {str(term): tuple(str(w) for w in words) for term, words in listed.items() if isinstance(words, list)}


def terms_used(text: str, terms: tuple[str, ...]) -> list[str]:
    """The terms in a text, each counted once, a shorter term only outside a longer one."""
    found = []
    for term in terms:
        if term in text:
            found.append(term)
            text = text.replace(term, " ")
    return found
