"""The offer: every entitlement of every page, in every language, built once per build from the
pages' ```entitlement blocks. Everything after the content model reads this, never the prose."""

from __future__ import annotations

from dataclasses import dataclass, field

from .entitlements import Block, Entitlement, PassedBlocks, blocks_of, facts_of, validate, wording_of
from .errors import Problem


@dataclass
class Offer:
    default_language: str
    # language -> entitlement id -> the entitlement as a reader of that language sees it
    by_language: dict[str, dict[str, Entitlement]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # page (inside docs/en/) -> its entitlement ids, in page order
    pages: dict[str, list[str]] = field(default_factory=dict)
    # English pages that could not be read (their own problems say why): their entitlements are missing
    unread: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        """Whether some entitlement could not be read: nothing may then be said to be missing."""
        return bool(self.problems or self.unread)

    def entitlements(self, lang: str) -> list[Entitlement]:
        """In page order: the pages in their English order, then the headings down each page."""
        # Per entitlement: a language with some pages translated still lists the whole offer.
        found = (self.get(lang, ident) for rel in self.pages for ident in self.pages[rel])
        return [e for e in found if e is not None]

    def get(self, lang: str, ident: str) -> Entitlement | None:
        own = self.by_language.get(lang, {})
        return own.get(ident) or self.by_language.get(self.default_language, {}).get(ident)

    def on_page(self, lang: str, rel: str) -> list[Entitlement]:
        return [e for e in (self.get(lang, i) for i in self.pages.get(rel, [])) if e is not None]


def build_offer(content) -> Offer:
    """From a content.pages.Content. A translation's block gives only the words; a translation
    without a valid block shows the English words until it has one."""
    site = content.site
    offer = Offer(site.default_language)
    english: dict[str, Entitlement] = {}
    passed = PassedBlocks(site.root)
    for rel, page in content.english().items():
        if page.problems:
            offer.unread.append(rel)
            continue
        blocks, problems = blocks_of(page)
        offer.problems += problems
        offer.pages[rel] = [b.id for b in blocks]
        for block in blocks:
            bad = validate(page.display_path, block, english=True, passed=passed)
            offer.problems += bad
            if not bad:
                english[block.id] = Entitlement(block.id, block.title, rel, site.default_language,
                                                block.heading_line, facts_of(block), wording_of(block),
                                                dict(block.lines))
    offer.by_language[site.default_language] = english
    for lang in site.translated_languages:
        own: dict[str, Entitlement] = {}
        for rel, page in content.pages.get(lang, {}).items():
            if page.problems:
                continue
            blocks, problems = blocks_of(page)
            offer.problems += problems
            for block in blocks:
                offer.problems += _translated(page, block, english, own, lang, passed)
        offer.by_language[lang] = own
    passed.save()
    return offer


def _translated(page, block: Block, english: dict[str, Entitlement], own: dict, lang: str,
                passed: PassedBlocks) -> list[Problem]:
    source = english.get(block.id)
    if source is None:
        return []  # the entitlement checks name an id that English does not have
    problems = validate(page.display_path, block, english=False, passed=passed)
    if block.fence is None or problems:
        # The reader still gets the facts, with the English words marked as English by the renderer.
        own[block.id] = Entitlement(block.id, block.title, page.rel, source.lang, block.heading_line,
                                    source.facts, source.words)
        return problems
    own[block.id] = Entitlement(block.id, block.title, page.rel, lang, block.heading_line, source.facts,
                                wording_of(block))
    return problems
