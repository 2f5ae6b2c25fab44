"""Translation records and edits for tests of the translators' round trip."""

from __future__ import annotations

from pathlib import Path

from portal.configuration import load_site
from portal.content import translation_records as records
from portal.content.pages import load_content

PAGES = ["index.md", "offer/travel.md"]  # the fixture site's pages


def stamp_all(project: Path) -> None:
    content = load_content(load_site(project))
    for lang in content.site.translated_languages:
        found = {rel: records.stamp(content, lang, rel) for rel in PAGES if rel in content.pages[lang]}
        records.save_records(content, lang, found)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
