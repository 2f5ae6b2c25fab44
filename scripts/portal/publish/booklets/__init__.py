"""Printable PDF booklets, one per language and audience: site/booklets/<audience>.pdf in English,
site/<lang>/booklets/<audience>.pdf in the others.

The home and professionals pages give each booklet's size, so the size must be known before those
pages render: the `Shelf` makes a booklet's HTML (cheap) and its PDF (slow, cached by content
hash) on first ask, while the pages render; the writer then copies the same cached files into
site/. An unchanged booklet costs its HTML and one hash, never a WeasyPrint run; and when a build
knows the fingerprint of all its inputs (portal.fingerprint), a build with the same fingerprint
takes every booklet from the last one's index without making any HTML at all.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path

from ...content.errors import PortalError
from ...content.files import atomic_write, publish_copy
from ...render.page import RenderContext
from .document import (
    AUDIENCES,
    HELP_NOW,
    Audience,
    audience_pages,
    booklet_html,
    language_prefix,
)
from .pdf import MAX_BYTES, Locate, cached_pdf


@dataclass(frozen=True)
class Booklet:
    lang: str
    audience: str
    site_path: str  # inside site/, e.g. ar/booklets/care-leavers.pdf
    html: str


@dataclass(frozen=True)
class MadeBooklet:
    booklet: Booklet
    cached: Path  # the PDF in .cache/booklets/
    size: int  # bytes
    rendered: bool  # False when the cache already held it


class Shelf:
    """Every booklet of one build, made once, on first ask; `rendered` counts WeasyPrint runs."""

    def __init__(self, context: RenderContext, cache_dir: Path, fingerprint: str | None = None):
        """`fingerprint`: of every input of the build (portal.fingerprint.inputs_fingerprint)."""
        self.context = context
        self.cache_dir = Path(cache_dir) / "booklets"
        self.qr_cache = Path(cache_dir) / "qr"  # shared with the pages' codes: same inputs, same file
        self.rendered = 0
        self._booklets: dict[str, list[Booklet]] = {}
        self._made: dict[str, MadeBooklet] = {}
        self.index = None
        if fingerprint is not None:
            key = hashlib.sha256(f"{fingerprint}\0{context.site_url}".encode()).hexdigest()[:32]
            self.index = self.cache_dir / f"index-{key}.json"
            self._take_index()

    def _take_index(self) -> None:
        """The last build's booklets, if it had the same inputs and its files are all still there."""
        try:
            rows = json.loads(self.index.read_text(encoding="utf-8"))
            found = [(lang, audience, site_path, self.cache_dir / name, int(size))
                     for lang, audience, site_path, name, size in rows]
        except (OSError, ValueError, TypeError):
            return  # none yet, or damaged: make the booklets' HTML as usual
        if not all(cached.is_file() and cached.stat().st_size == size for *_, cached, size in found):
            return
        for lang, audience, site_path, cached, size in found:
            booklet = Booklet(lang, audience, site_path, "")  # its HTML is not needed: the PDF is known
            self._booklets.setdefault(lang, []).append(booklet)
            self._made[site_path] = MadeBooklet(booklet, cached, size, False)
        for lang in self.context.content.site.language_codes:
            self._booklets.setdefault(lang, [])

    def save_index(self, made: list[MadeBooklet]) -> None:
        if self.index is None:
            return
        rows = [[m.booklet.lang, m.booklet.audience, m.booklet.site_path, m.cached.name, m.size] for m in made]
        atomic_write(self.index, json.dumps(rows).encode("utf-8"))
        for old in self.cache_dir.glob("index-*.json"):
            if old != self.index:
                old.unlink(missing_ok=True)

    def booklets(self, lang: str) -> list[Booklet]:
        if lang not in self._booklets:
            content = self.context.content
            made = []
            for audience in AUDIENCES:
                html = booklet_html(content, self.context, audience, lang, self.qr_cache)
                if html is not None:
                    made.append(Booklet(lang, audience.code, site_path(content, lang, audience), html))
            self._booklets[lang] = made
        return self._booklets[lang]

    def made(self, booklet: Booklet) -> MadeBooklet:
        if booklet.site_path not in self._made:
            path, rendered = cached_pdf(booklet.html, booklet.lang, self.cache_dir,
                                        locate=locator(self.context.content, booklet))
            size = path.stat().st_size
            if size > MAX_BYTES:
                path.unlink()  # never copied, never cached: the next build tries again
                raise PortalError(f"{booklet.site_path}: the booklet is {size / 1e6:.1f} MB, over the "
                                  f"{MAX_BYTES / 1e6:.1f} MB limit; shorten its pages or split the audience "
                                  "in scripts/portal/publish/booklets/document.py")
            self.rendered += rendered
            self._made[booklet.site_path] = MadeBooklet(booklet, path, size, rendered)
        return self._made[booklet.site_path]

    def all_made(self) -> list[MadeBooklet]:
        return [self.made(b) for lang in self.context.content.site.language_codes for b in self.booklets(lang)]


def locator(content, booklet: Booklet) -> Locate:
    """Where an address in a booklet is written: the first line of its pages (as the reader gets
    them: the translation, else the English) that holds it; else the booklet itself."""
    audience = next(a for a in AUDIENCES if a.code == booklet.audience)
    pages = [content.resolve(booklet.lang, rel) for rel in [*audience_pages(content, audience), HELP_NOW]]

    def locate(url: str) -> tuple[str, int]:
        exact = {url, html.escape(url), html.escape(url, quote=False), url[:60]}  # a data: address: its start
        folder = {url.rsplit("/", 1)[0] + "/"}  # a relative address resolved against a <base href>
        for forms in (exact, folder):
            for page in filter(None, pages):
                for offset, text in enumerate(page.body.splitlines()):
                    if any(form in text for form in forms):
                        return page.display_path, page.body_start_line + offset
        return booklet.site_path, 1

    return locate


def site_path(content, lang: str, audience: Audience) -> str:
    return f"{language_prefix(content, lang)}booklets/{audience.code}.pdf"


def shelf_for(build) -> Shelf:
    """The shelf the pages already filled, when the build kept one; else a new one."""
    context = getattr(build, "render_context", None)
    shelf = getattr(context, "booklets", None) if context else None
    if isinstance(shelf, Shelf):
        return shelf
    return Shelf(RenderContext(build.content, site_url=build.site_url), build.cache_dir)


def write(build) -> None:
    """Copy each booklet from the cache into site/; render only those no page asked for yet. Then
    forget booklets no page of this site makes any more, so the cache does not grow with each edit."""
    shelf = shelf_for(build)
    made = shelf.all_made()
    for booklet in made:
        publish_copy(booklet.cached, build.site_dir / booklet.booklet.site_path)
    shelf.save_index(made)
    keep = {booklet.cached.name for booklet in made}
    for old in shelf.cache_dir.glob("*.pdf"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
