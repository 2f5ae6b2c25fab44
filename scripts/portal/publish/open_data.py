"""offer.json: the offer as open data, one file per language (English at /offer.json, the others at
/<lang>/offer.json), described by schemas/offer.schema.json, which is published beside it.

Everything comes from the entitlement model and the record of what the build published; nothing
is re-read from Markdown. A planned entitlement keeps its state, and its state_label says, in the
file's language, to ask whether it is running now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..audio.library import AudioLibrary
from ..audio.lock import published_path
from ..content import languages, ui_strings
from ..content.entitlements import Entitlement
from ..content.pages import page_url
from ..render.entitlements import facts_from_text, state_text

SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "offer.schema.json"
FILE_NAME = "offer.json"
# The other two open data files, named here for the headers; their writers (services.py, feed.py) take
# the names from here, so the three writers import one way only.
SERVICES_FILE = "services.json"
FEED_FILE = "offer-changes.atom"
SCHEMA_ADDRESS = "schemas/offer.schema.json"


@dataclass(frozen=True)
class Audio:
    url: str
    covers: str  # "page": the page's own clip; "entitlement": a clip of this entitlement alone
    language: str


def prefix(build, lang: str) -> str:
    return "" if lang == build.site.default_language else f"{lang}/"


def absolute(build, path: str) -> str:
    return urljoin(build.site_url or "/", path)


def published_pages(build) -> dict[tuple[str, str], object]:
    """(language, page inside its language folder) -> the PublishedPage MkDocs wrote."""
    return {(p.lang, p.rel): p for p in build.pages}


def section_url(build, lang: str, entitlement: Entitlement, published: dict | None = None) -> str:
    """The entitlement's section on its page in `lang`, as MkDocs published it."""
    published = published_pages(build) if published is None else published
    page = published.get((lang, entitlement.rel)) or published.get((build.site.default_language, entitlement.rel))
    path = page.url if page else prefix(build, lang) + page_url(entitlement.rel)
    return absolute(build, path) + "#" + entitlement.id


def entitlement_audio(build, lang: str, entitlement: Entitlement, library: AudioLibrary) -> Audio | None:
    """The clip a listener in `lang` hears for this entitlement: its own clip where the build has
    one (asking publishes it), else its page's clip when the build published one (the English clip
    on a page not yet translated)."""
    own = build.audio.entitlement_clip(lang, entitlement.id) if build.audio is not None else None
    if own is not None:
        return Audio(absolute(build, own.path), "entitlement", languages.get(own.voice_lang).tag)
    translated = entitlement.rel in build.content.pages.get(lang, {})
    voices = [lang] if translated else [build.site.default_language]
    for voice in voices:
        entry = library.lock.get(f"{voice}/{entitlement.rel}")
        if entry is not None and entry.clip in build.clips:
            return Audio(absolute(build, published_path(entry.clip)), "page", languages.get(voice).tag)
    return None


def page_checked(build, entitlement: Entitlement) -> str | None:
    """The day staff last checked the whole English page the entitlement is on (its last_reviewed)."""
    page = build.content.english().get(entitlement.rel)
    reviewed = page.meta.get("last_reviewed") if page is not None else None
    return reviewed.isoformat() if hasattr(reviewed, "isoformat") else None


def offer_document(build, lang: str, library: AudioLibrary) -> dict:
    words = ui_strings.strings(lang)
    entitlements = build.content.offer.entitlements(lang)
    names = {p.lang: p.site_name for p in build.pages}
    published = published_pages(build)
    items = []
    for entitlement in entitlements:
        facts = entitlement.facts
        audio = entitlement_audio(build, lang, entitlement, library)
        items.append({
            "id": entitlement.id,
            "title": entitlement.title,
            "summary": entitlement.words.summary,
            "words_language": languages.get(entitlement.lang).tag,
            "state": facts.state,
            "state_label": state_text(entitlement, lang, words),
            "facts": {
                "audience": list(facts.audience),
                "ages": {"from": facts.ages[0], "to": facts.ages[1]} if facts.ages else None,
                "conditions": list(facts.conditions),
                "cost": entitlement.words.cost,
                "state": facts.state,
                "as_of": str(facts.as_of),
                "source": facts.source,
                "verified": facts.verified.isoformat() if facts.verified else None,
                "steps": list(entitlement.words.steps),
            },
            "page": section_url(build, lang, entitlement, published),
            "audio": None if audio is None else {"url": audio.url, "covers": audio.covers, "language": audio.language},
            # Two dates, never one for the other: the source's month, and the day staff checked the page.
            "facts_from": {"source": facts.source, "as_of": str(facts.as_of),
                           "label": facts_from_text(entitlement, lang, words)},
            "page_checked": page_checked(build, entitlement),
        })
    verified = max((e.facts.verified for e in entitlements if e.facts.verified), default=None)
    return {
        "language": languages.get(lang).tag,
        "name": names.get(lang, build.site_name),
        "address": absolute(build, prefix(build, lang) + FILE_NAME),
        "schema": absolute(build, SCHEMA_ADDRESS),
        "last_verified": verified.isoformat() if verified else None,
        "entitlements": items,
    }


def write(build) -> None:
    library = AudioLibrary(build.site.audio_dir)
    for lang in build.site.language_codes:
        target = build.site_dir / prefix(build, lang) / FILE_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        document = offer_document(build, lang, library)
        target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    schema = build.site_dir / SCHEMA_ADDRESS
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")


def header_rules(build) -> str:
    """_headers rules for the open data: any site may read it (it is public, and no cookie exists to
    send), and the feed is served as Atom. The security headers writer appends these to /* ."""
    paths = [prefix(build, lang) + FILE_NAME for lang in build.site.language_codes]
    paths += [SCHEMA_ADDRESS, SERVICES_FILE, FEED_FILE]
    rules = []
    for path in paths:
        rules.append(f"/{path}")
        if path == FEED_FILE:
            rules.append("  Content-Type: application/atom+xml; charset=utf-8")
        rules.append("  Access-Control-Allow-Origin: *")
    return "\n".join(rules) + "\n"
