"""Check results kept between builds under .cache/checks/, at two grains.

- A page's style and safety problems depend only on its own text, the rules (the code and data of
  the checks and of everything they read: content/, its parsers, terms and words), the contacts,
  the style settings and the glossary: the key holds all of them, so an unchanged page is not
  checked again and any change to one of them checks it afresh.
- The whole run's problems depend on the rules, the day (reviews fall due), the settings and the
  files the content is read from: docs/, translations/ and the project's YAML files. A no-change
  build finds them under one key and checks nothing; any change to any of them checks everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
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


# What the checks read besides the settings: the pages and their files, the translators' records, and
# the project's own YAML (mkdocs.yml's contacts, the registry, the offer log, the services list).
RUN_FOLDERS = ("translations",)
RUN_FILES = ("mkdocs.yml", "entitlements.yml", "offer-changes.yml", "services.yml", "requirements.lock")


def run_key(content, today: str) -> str:
    """Of everything a whole run of the checks reads (see the module's docstring), and of the pages as
    loaded, which a caller may have changed after reading them. requirements.lock stands for the
    libraries' versions, and sys.version for Python's."""
    site = content.site
    digest = hashlib.sha256()
    for lang in sorted(content.pages):
        for rel, page in sorted(content.pages[lang].items()):
            material = [lang, rel, page.meta, page.body, page.body_start_line, page.meta_lines]
            digest.update(json.dumps(material, default=str, sort_keys=True).encode("utf-8"))
    settings = [rules_fingerprint(), today, sys.version, site.language_codes, site.contacts, site.extra,
                site.settings, site.site_url]
    digest.update(json.dumps(settings, default=repr, sort_keys=True).encode("utf-8"))
    folders = [site.docs_dir, *(site.root / name for name in RUN_FOLDERS)]
    files = [path for folder in folders for path in sorted(folder.rglob("*"))]
    for path in [*files, *(site.root / name for name in RUN_FILES)]:
        if path.is_file() or path.is_symlink():  # a link is named by where it points, never followed here
            body = path.read_bytes() if not path.is_symlink() else str(path.readlink()).encode()
            digest.update(path.as_posix().encode() + b"\0" + hashlib.sha256(body).digest())
    return "run-" + digest.hexdigest()[:32]


def keep_only_run(folder: Path | None, key: str) -> None:
    """One run's results are kept: an older run's key can never match again."""
    for old in folder.glob("run-*.json") if folder is not None and folder.is_dir() else []:
        if old.stem != key:
            old.unlink(missing_ok=True)
