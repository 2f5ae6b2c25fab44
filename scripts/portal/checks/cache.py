"""Results of the per-page style and safety checks, kept between builds under .cache/checks/.

A page's problems depend only on its own text, the rules (the code and data of the checks and of
everything they read: content/, its parsers, terms and words), the contacts, the style settings
and the glossary: the key holds all of them, so an unchanged page is not checked again and any
change to one of them checks it afresh."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from ..content.errors import Problem
from ..content.files import atomic_write

# The checks read only content/ (the floors keep it so): a change to either is a change to the rules.
RULES = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "content")


def rule_files() -> list[Path]:
    return sorted(path for folder in RULES for path in folder.rglob("*")
                  if path.is_file() and path.suffix in (".py", ".yml", ".txt", ".json", ".csv"))


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in rule_files():
        digest.update(path.relative_to(RULES[0].parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def page_key(page, context: list) -> str:
    material = [rules_fingerprint(), page.display_path, page.lang, page.meta, page.body, page.body_start_line,
                page.meta_lines, context]
    return hashlib.sha256(json.dumps(material, default=str, sort_keys=True).encode("utf-8")).hexdigest()[:32]


class CheckCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str) -> list[Problem] | None:
        if self.folder is None:
            return None
        path = self.folder / f"{key}.json"
        try:
            return [Problem(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            return None  # missing or damaged: check the page again

    def put(self, key: str, problems: list[Problem]) -> None:
        if self.folder is not None:
            data = json.dumps([dataclasses.asdict(p) for p in problems], ensure_ascii=False)
            atomic_write(self.folder / f"{key}.json", data.encode("utf-8"))
