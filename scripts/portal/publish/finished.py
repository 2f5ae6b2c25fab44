"""The last changes to each page as MkDocs writes it, and what the writers need from it: kept
between builds.

Every page goes through one chain (`finish`): phone numbers made tel: and sms: links, right-to-left isolation on
pages in a non-Latin script, full hreflang addresses, a name for the search dialog, Material's script deferred,
the content security policy, and the templates' indentation taken out. While the page is in memory the chain also notes what the writers would
otherwise read every page back for: the policy's script hashes, the class and id values (the
stylesheet trimmer) and the addresses of the files the page loads (the offline manifest).

Each step depends only on the page's text, the settings in `PageSettings` and this package's code.
So the result is kept in .cache/pages/ under a hash of all three: an unchanged page costs one hash
and one read, not six passes over its text, and any change makes it afresh. A page the chain
refuses (an inline script no template emits) is never kept, so it stops every build.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..content.files import atomic_write
from ..fingerprint import package_fingerprint
from ..render.bidi import isolate
from ..render.html import absolute_alternates, collapse_whitespace, name_search_dialog
from ..render.phone_links import link_phone_numbers
from .deferred_scripts import defer_bundle
from .headers import ScriptAllowlist, harden
from .stylesheet import attribute_values

# What a page loads: stylesheets, scripts, images and the clip of its player.
# (data-bundle: Material's script, which assets/portal.js loads on the first interaction.)
# Two patterns, each starting with plain text, which the regular expression engine searches for as
# text: one pattern with both alternatives was eight times slower over a page.
REFERENCE = re.compile(r'<(?:link\s[^>]*\brel="stylesheet"[^>]*\bhref|(?:script|img|source|audio)\s[^>]*\bsrc)="([^"]+)"')
BUNDLE_REFERENCE = re.compile(r'data-bundle="([^"]+)"')


def page_addresses(html: str) -> list[str]:
    """The addresses of the files a page loads, as the page writes them (for the offline manifest)."""
    return [*REFERENCE.findall(html), *BUNDLE_REFERENCE.findall(html)]


@dataclass(frozen=True)
class PageSettings:
    """Everything besides the page's text that its last changes depend on."""

    address: str  # the page's full address (canonical URL), which alternates are resolved against
    where: str  # the page's source, for messages
    site_url: str
    allowed: ScriptAllowlist  # the inline scripts the theme's templates emit
    direction: str | None = None  # "rtl" or "ltr" for a page in a non-Latin script: isolate its English

    def key(self) -> bytes:
        return json.dumps([self.address, self.where, self.site_url, _allowed_key(self.allowed), self.direction,
                           package_fingerprint()]).encode("utf-8")


@lru_cache(maxsize=4)
def _allowed_key(allowed: ScriptAllowlist) -> str:
    material = [sorted(allowed.hashes), [shape.pattern for shape in allowed.shapes]]
    return hashlib.sha256(json.dumps(material).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FinishedPage:
    html: str
    script_hashes: list[str]
    attribute_values: list[str]  # every class attribute's value and every id
    addresses: list[str]  # of the files the page loads, as written in it (page_addresses)


def finish(html: str, settings: PageSettings) -> FinishedPage:
    html = link_phone_numbers(html)  # before isolation, which keeps each number's digits together
    if settings.direction:
        # Whole page: English navigation titles of untranslated pages need marking too.
        html = isolate(html, settings.direction)
    html = absolute_alternates(name_search_dialog(html), settings.address)
    html, hashes = harden(defer_bundle(html, settings.where), settings.site_url, where=settings.where,
                          allowed=settings.allowed)
    html = collapse_whitespace(html)  # last, after the steps that add indented lines too; scripts stay as hashed
    return FinishedPage(html, hashes, sorted(attribute_values(html)), page_addresses(html))


class FinishedPages:
    """finish(), kept in `folder` (None: kept nowhere) under the page's text, its settings and the code."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: set[str] = set()

    def finish(self, html: str, settings: PageSettings) -> FinishedPage:
        if self.folder is None:
            return finish(html, settings)
        digest = hashlib.sha256(settings.key() + b"\0")
        digest.update(html.encode("utf-8"))
        key = digest.hexdigest()[:32]
        self.used.add(key)
        path = self.folder / f"{key}.page"
        try:  # what the writers need, as one line of JSON, then the page itself: no escaping to undo
            noted, _, html_bytes = path.read_bytes().partition(b"\n")
            return FinishedPage(html_bytes.decode("utf-8"), **json.loads(noted))
        except (OSError, ValueError, TypeError):
            pass  # not kept, or damaged: make it again
        finished = finish(html, settings)
        noted = {name: value for name, value in asdict(finished).items() if name != "html"}
        atomic_write(path, json.dumps(noted, ensure_ascii=False).encode("utf-8") + b"\n" +
                     finished.html.encode("utf-8"))
        return finished

    def prune(self) -> None:
        """After a whole build: drop what it did not use, which only an older build of a page can need
        (the folder is this cache's own: anything else in it is left over from an older portal)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.is_file() and (path.suffix != ".page" or path.stem not in self.used):
                path.unlink(missing_ok=True)

