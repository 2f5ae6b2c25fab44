"""The portal's own interface words (notices, player, dates) in every language."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.dates import format_date

from .files import PACKAGE_DIR, read_text
from .yaml_loader import load as yaml_load

STRINGS_DIR = Path(__file__).resolve().parent / "strings"


@lru_cache(maxsize=None)
def strings(code: str, strings_dir: Path = STRINGS_DIR) -> dict[str, str]:
    """A language's strings, falling back to English for any key not yet translated."""
    english = _load(strings_dir / "en.yml")
    path = strings_dir / f"{code}.yml"
    own = _load(path) if path.exists() else {}
    return {**english, **own}


def missing_keys(code: str, strings_dir: Path = STRINGS_DIR) -> list[str]:
    english = _load(strings_dir / "en.yml")
    path = strings_dir / f"{code}.yml"
    own = _load(path) if path.exists() else {}
    return sorted(k for k in english if not own.get(k))


def _load(path: Path) -> dict[str, str]:
    data = yaml_load(read_text(path, PACKAGE_DIR)) or {}
    return {str(k): str(v) for k, v in data.items()}


def long_date(day: dt.date, tag: str) -> str:
    """A date as a reader of that language writes it; ISO where Babel has no such locale."""
    try:
        return format_date(day, format="long", locale=tag.replace("-", "_"))
    except UnknownLocaleError:
        return day.isoformat()
