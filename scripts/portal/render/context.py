"""What the templates say about a page, as typed values built from the content model.

The MkDocs layer passes in plain facts about the page (its path inside the language folder,
its address, its title) and hands the result to the templates as `portal`; a template reads
`portal.audio.url`, never a key that may or may not be there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..content import languages, ui_strings
from ..content.pages import Content, page_url
from ..translation.notices import changed_sections, mark_changed_sections
from ..translation.status import MISSING, status_of
from .html import root_path

HELP_NOW = "help-now.md"


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Share:
    url: str
    preview_url: str
    preview_alt: str
    og_locale: str
    og_alternates: list[str]


@dataclass(frozen=True)
class Clip:
    url: str
    english: bool  # an untranslated page plays the English clip, marked as English
    download: str  # "Download the audio (MP3, 240 KB, 1 min 12 s)" in the reader's language
    voice: str = ""  # "Read by a computer voice." or "Recorded by a personal adviser."
    listen: str = ""  # the compact player's label, "Listen · 3 min" (render.players.listen_label)


@dataclass(frozen=True)
class PageView:
    t: dict[str, str]  # the interface words in the reader's language
    help_now: Link | None
    content_page: bool = False  # False for pages that are not content, such as 404
    english_url: str = ""
    fallback: bool = False  # the page is not translated yet, so it is shown in English
    translation: str | None = None  # draft, reviewed or stale; None on English pages
    translation_reviewed: bool = False
    stale_by_part: bool = False  # the changed sections carry their own notice (translation/notices.py)
    draft: bool = False
    last_reviewed: str = ""
    last_reviewed_iso: str = ""
    missing_notice: str = ""
    share: Share | None = None
    audio: Clip | None = None
    audio_unavailable: str = ""


@dataclass(frozen=True)
class PageFacts:
    """What MkDocs knows about a page, as plain values."""

    rel: str  # inside the language folder, e.g. offer/travel.md
    url: str  # from the site root, e.g. ar/offer/travel/
    address: str  # the full canonical address
    title: str


def english_url(page: PageFacts, lang: str) -> str:
    """The English page's URL, relative to this page."""
    url = page.url[len(lang) + 1:] if lang != languages.DEFAULT.code and page.url.startswith(f"{lang}/") else page.url
    return root_path(page.url) + url if url else root_path(page.url) or "./"


def with_section_notices(markdown: str, content: Content, page: PageFacts, lang: str) -> str:
    """The page's Markdown with "the English for this part has changed" under each changed section."""
    words = ui_strings.strings(lang)
    return mark_changed_sections(markdown, content, lang, page.rel, words["translation_part_stale"],
                                 words["read_english_part"], english_url(page, lang))


def site_name(content: Content, lang: str, default: str) -> str:
    home = content.pages.get(lang, {}).get("index.md")
    return str(home.meta.get("title")) if home and lang != languages.DEFAULT.code else default


def page_view(content: Content, page: PageFacts, lang: str, default_site_name: str,
              clip: Callable[[str, str], Clip | None]) -> PageView:
    """`clip(voice_language, rel)` finds the published clip for the text the reader sees."""
    language = languages.get(lang)
    words = ui_strings.strings(lang)
    target = content.resolve(lang, HELP_NOW)
    prefix = "" if lang == languages.DEFAULT.code else f"{lang}/"
    help_now = Link(root_path(page.url) + prefix + page_url(HELP_NOW), str(target.meta.get("title", ""))) if target else None
    english = content.english().get(page.rel)
    if english is None:
        return PageView(t=words, help_now=help_now)
    status = status_of(content, lang, page.rel)
    fallback = status.status == MISSING
    share = Share(
        url=page.address,
        preview_url=page.address + "preview.png",
        preview_alt=words["preview_alt"].format(title=page.title,
                                                site_name=site_name(content, lang, default_site_name)),
        og_locale=language.og_locale,
        og_alternates=languages.og_locale_alternates(lang, content.site.language_codes),
    )
    return PageView(
        t=words,
        help_now=help_now,
        content_page=True,
        english_url=english_url(page, lang),
        fallback=fallback,
        translation=status.status if lang != languages.DEFAULT.code else None,
        translation_reviewed=status.reviewed,
        stale_by_part=changed_sections(content, lang, page.rel) is not None,
        draft=english.meta.get("status") == "draft",
        last_reviewed=ui_strings.long_date(english.meta["last_reviewed"], language.babel_locale),
        last_reviewed_iso=english.meta["last_reviewed"].isoformat(),
        missing_notice=words["translation_missing"].format(language=language.name),
        share=share,
        audio=clip(languages.DEFAULT.code if fallback else lang, page.rel),
        audio_unavailable=words["audio_unavailable"].format(language=language.name),
    )
