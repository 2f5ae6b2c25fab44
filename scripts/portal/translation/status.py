"""Translation status of every page in every language: reviewed, draft, stale or missing."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..content.pages import Content
from ..content.translation_records import CURRENT, unit_states

REVIEWED, DRAFT, STALE, MISSING = "reviewed", "draft", "stale", "missing"


@dataclass(frozen=True)
class TranslationStatus:
    page: str
    lang: str
    status: str
    source_hash: str  # the English version the translation was made from ("" when missing)
    english_hash: str  # the English version today
    reviewed: bool  # a translator checked it (even if the English has changed since)


def status_of(content: Content, lang: str, rel: str) -> TranslationStatus:
    english = content.english()[rel]
    current = english.source_hash()
    page = content.pages.get(lang, {}).get(rel)
    if lang == content.site.default_language:
        return TranslationStatus(rel, lang, REVIEWED, current, current, True)
    if page is None:
        return TranslationStatus(rel, lang, MISSING, "", current, False)
    record = page.meta.get("translation") if isinstance(page.meta.get("translation"), dict) else {}
    made_from = str(record.get("source_hash") or "")
    units = unit_states(content, lang, rel)
    if units is not None:
        # Recorded unit by unit (translations/<lang>.yml): stale while any unit is behind the English.
        reviewed = all(u.reviewed_by for u in units)
        behind = any(u.state != CURRENT for u in units)
        status = STALE if behind else REVIEWED if reviewed else DRAFT
        return TranslationStatus(rel, lang, status, made_from, current, reviewed)
    reviewed = record.get("status") == REVIEWED
    if made_from != current:
        status = STALE
    else:
        status = REVIEWED if reviewed else DRAFT
    return TranslationStatus(rel, lang, status, made_from, current, reviewed)


def all_statuses(content: Content) -> list[TranslationStatus]:
    return [
        status_of(content, lang, rel)
        for rel in sorted(content.english())
        for lang in content.site.translated_languages
    ]


def as_json(statuses: list[TranslationStatus]) -> list[dict]:
    return [asdict(s) for s in statuses]


def table(statuses: list[TranslationStatus], languages: list[str]) -> str:
    grid: dict[str, dict[str, str]] = {}
    for s in statuses:
        grid.setdefault(s.page, {})[s.lang] = s.status
    width = max([len("page")] + [len(p) for p in grid])
    lines = ["page".ljust(width) + "  " + "  ".join(lang.ljust(8) for lang in languages)]
    for page, row in grid.items():
        lines.append(page.ljust(width) + "  " + "  ".join(row.get(lang, "").ljust(8) for lang in languages))
    return "\n".join(lines)


def to_do(statuses: list[TranslationStatus]) -> dict[str, list[str]]:
    """For each language, the pages a translator must translate or update."""
    work: dict[str, list[str]] = {}
    for s in statuses:
        if s.status in (STALE, MISSING):
            work.setdefault(s.lang, []).append(f"{s.page} ({s.status}; English version {s.english_hash})")
    return work
