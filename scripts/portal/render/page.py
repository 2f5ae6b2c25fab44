"""A page's Markdown as a reader gets it: each placeholder and each ```entitlement block replaced
by what it stands for, in the reader's language. The MkDocs layer and the speech text both call
this, so what is heard is what is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..content import languages
from ..content.pages import HEADING, HEADING_ATTRS, Content
from ..content.syntax import Placeholder, replace_fenced_blocks, replace_placeholders
from ..content.ui_strings import strings
from .booklets import booklets_markdown
from .contacts import contacts_markdown
from .directory import directory_html
from .entitlements import facts_html, facts_markdown
from .finder import entitlement_clip, finder_html
from .open_data import open_data_html
from .site_status import site_status_markdown

ENTITLEMENT_ID = re.compile(r"#([\w-]+)")


@dataclass(frozen=True)
class RenderContext:
    content: Content
    audio_languages: frozenset[str] = field(default_factory=frozenset)
    site_url: str = ""
    # (language, entitlement id) -> the entitlement's own clip, for the finder's cards.
    entitlement_clip: Callable[[str, str], object] = entitlement_clip
    booklets: object | None = None  # publish.booklets.Shelf, for [[booklets]]; None: the section is left out
    # lang -> {"percent", "kinds"} from the last `make audio` (audio/coverage.json), for [[site-status]]
    audio_coverage: dict = field(default_factory=dict)


STASHED = re.compile(r'<div data-portal-stash="([\w-]+)"></div>')
# Blocks that list the whole site (the finder's cards, every page in every language): put back only
# after Material's search has read the page, so a search answers with an entitlement's own section,
# not its copy on the finder page, and does not read thousands of addresses.
UNSEARCHED = ("finder", "page-links")


def render_markdown(markdown: str, lang: str, page_path: str, context: RenderContext,
                    for_speech: bool = False, stash: dict[str, str] | None = None) -> str:
    """`page_path` is the page's address inside the site, e.g. 'ar/offer/travel/'.

    With `stash`, blocks that are finished HTML (entitlements' facts, the directory, the finder, the open data links)
    are kept there and only a marker goes through Markdown, which `restore_stashed` replaces in
    the page's HTML: Python-Markdown parses raw HTML slowly, and these blocks have nothing for it."""
    words = strings(lang)
    content = context.content

    def kept(name: str, made: str) -> str:
        if stash is None or for_speech:
            return made
        key = f"{name}-{len(stash)}"
        stash[key] = made
        return f'\n<div data-portal-stash="{key}"></div>\n'

    def placeholder(found: Placeholder) -> str | None:
        if found.name == "contacts":
            return contacts_markdown(content.site.contacts, found.argument or "local", words,
                                     lang != content.site.default_language)
        if found.name == "site-status":
            return site_status_markdown(content, set(context.audio_languages), lang, words,
                                        {} if for_speech else context.audio_coverage)
        if found.name == "page-links":
            return "" if for_speech else kept("page-links", directory_html(content, context.site_url, page_path, words))
        if found.name == "open-data":
            default = content.site.default_language
            return "" if for_speech else kept("open-data", open_data_html(lang, default, context.site_url, page_path, words))
        if found.name == "finder":
            return kept("finder", finder_html(content.offer, lang, page_path, context.site_url, words,
                                              context.entitlement_clip, for_speech))
        if found.name == "booklets":
            return "" if for_speech else booklets_markdown(context.booklets, lang, page_path, words)
        return None

    markdown = replace_placeholders(markdown, placeholder)
    ids = _entitlement_ids_by_line(markdown)

    def entitlement(block) -> str:
        ident = ids.get(block.line)
        found = content.offer.get(lang, ident) if ident else None
        if found is None:
            return ""
        return facts_markdown(found, lang, words) if stash is None or for_speech else \
            kept("facts", facts_html(found, lang, words))

    return replace_fenced_blocks(markdown, "entitlement", entitlement)


def restore_stashed(page_html: str, stash: dict[str, str], searched: bool | None = None) -> str:
    """Put back the blocks render_markdown kept out of Markdown (Markdown may wrap the marker in <p>).
    `searched`: only the blocks search may read (True), only the others (False), or all (None)."""
    if searched is not None:
        stash = {key: made for key, made in stash.items() if is_searched(key) == searched}
    if not stash:
        return page_html
    page_html = re.sub(r'<p>(<div data-portal-stash="[\w-]+"></div>)</p>', r"\1", page_html)
    return STASHED.sub(lambda m: stash.get(m.group(1), m.group(0)), page_html)


def is_searched(key: str) -> bool:
    return key.rsplit("-", 1)[0] not in UNSEARCHED


def _entitlement_ids_by_line(markdown: str) -> dict[int, str]:
    """For each line, the id of the entitlement heading above it, if that heading is the last one."""
    result, current = {}, None
    for number, line in enumerate(markdown.splitlines(), 1):
        heading = HEADING.match(line)
        if heading:
            attrs = HEADING_ATTRS.match(heading.group(2))
            current = None
            if attrs and ".entitlement" in attrs.group(2).split():
                match = ENTITLEMENT_ID.search(attrs.group(2))
                current = match.group(1) if match else None
        result[number] = current
    return result


def voiced_languages(content: Content, recordings_dir) -> frozenset[str]:
    """Languages that have audio: a generated voice, or human recordings."""
    found = set()
    for code in content.site.language_codes:
        language = languages.get(code)
        if language.gtts or language.espeak or any((recordings_dir / code).glob("**/*.mp3")):
            found.add(code)
    return frozenset(found)
