"""Translation records and edits for tests of the translators' round trip, and a new translated page
as staff add one in the browser, with the lines the pull request's comment gives pasted in."""

from __future__ import annotations

import re
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


NEW_ENGLISH = """---
title: More help
description: Where to find more help from the fixture council.
audience: [care-leavers]
last_reviewed: 2026-01-10
review_every_months: 24
owner: Leaving care team
status: approved
approved_by: Head of Service
approved_on: 2026-01-10
---

Ask your personal adviser for help.

## Help

[[contacts]]
"""
ARABIC_TOP = "---\ntitle: مزيد من المساعدة\ndescription: أين تجد المزيد من المساعدة.\n"
ARABIC_BODY = "---\n\nاطلب المساعدة من مستشارك الشخصي.\n\n## مساعدة\n\n[[contacts]]\n"
# A translator's draft copies another page's front matter: its source_hash is that page's.
STALE_BLOCK = 'translation:\n  source_hash: "6ad4409f2ace"\n  status: draft\n'


def forget(project: Path, lang: str, rel: str) -> None:
    """The record as it was before the page existed: its lines gone from translations/<lang>.yml."""
    content = load_content(load_site(project))
    kept = {page: units for page, units in records.load_records(content, lang).items() if page != rel}
    records.save_records(content, lang, kept)


def new_page(project: Path, arabic: str) -> None:
    (project / "docs/en/more.md").write_text(NEW_ENGLISH, encoding="utf-8")
    (project / "docs/ar/more.md").write_text(arabic, encoding="utf-8")


def paste(project: Path, comment: str) -> None:
    """What a member of staff does with the comment in GitHub's editor: each "Lines to add to <file>"
    block at the very end of that file; a page's `translation:` lines in place of its own."""
    for file, lines in re.findall(r"^## Lines to add to (\S+)\n.*?```yaml\n(.*?)```", comment, re.S | re.M):
        record = project / file
        text = record.read_text(encoding="utf-8")
        record.write_text(text + ("" if text.endswith("\n") else "\n") + lines, encoding="utf-8")
    for page, block in re.findall(r"^At the top of `(\S+)`.*?```yaml\n(.*?)```", comment, re.S | re.M):
        path = project / page
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        head = re.sub(r"\ntranslation:\n(?:  .*\n?)+", "\n", head + "\n").rstrip("\n")
        path.write_text(f"{head}\n{block}---\n{body}", encoding="utf-8")
