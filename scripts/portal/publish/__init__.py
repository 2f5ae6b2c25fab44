"""Publish: every file the portal adds to site/, one writer per family of files, run in one loop.

MkDocs renders the pages; while it does, the build records what it wrote (`PublishedPage`) and
which clips and inline scripts the pages use. After the last language, `write_all` hands that
record to each writer in `WRITERS`. A new kind of output file is a new module here with a
`write(build)` function, added to the list; no writer re-parses Markdown or re-computes speech.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..audio.published import PublishedAudio
from ..content.errors import PortalError
from ..content.pages import Content
from ..content.settings import Site
from ..render.page import RenderContext
from .finished import FinishedPages, PageSettings
from .stylesheet import SheetName


@dataclass(frozen=True)
class PublishedPage:
    """One page MkDocs wrote: `url` is relative to the site root (`ar/offer/money/`)."""

    lang: str
    rel: str
    url: str
    canonical_url: str
    title: str
    site_name: str  # in the page's language, as its link preview shows it


@dataclass
class Build:
    """What one build made, for the writers: read-only to them except the files they write."""

    content: Content
    site: Site
    site_dir: Path
    site_url: str
    site_name: str
    pages: list[PublishedPage] = field(default_factory=list)
    clips: set[str] = field(default_factory=set)
    script_hashes: set[str] = field(default_factory=set)
    extra_files: dict[str, str] = field(default_factory=dict)  # site path -> text the pages' build kept
    # `audio.entitlement_clip(lang, id)` for writers such as the open data; asking publishes the clip,
    # so a writer that asks runs before the "audio clips" writer. Both are set by the MkDocs layer
    # once the render context exists (the shelf of booklets needs the Build's cache folder first).
    audio: PublishedAudio | None = None
    render_context: RenderContext | None = None  # the context the pages used (its booklet shelf)
    # Noted by finish_page while each page is in memory, so no writer reads every page back for them:
    attribute_values: set[str] = field(default_factory=set)  # class and id values (the stylesheet trimmer)
    page_addresses: dict[str, list[str]] = field(default_factory=dict)  # page url -> what it loads (offline)
    noted_files: set[Path] = field(default_factory=set)
    sheet_name: SheetName = field(init=False)  # the trimmed stylesheet's name, as the last build made it
    finished: FinishedPages = field(init=False)

    def __post_init__(self):
        self.sheet_name = SheetName(self.cache_dir / "stylesheet")
        self.finished = FinishedPages(self.cache_dir / "pages")

    def finish_html(self, html: str) -> str:
        """A page or template MkDocs is about to write, pointed at the trimmed stylesheet."""
        return self.sheet_name.in_page(html)

    def finish_page(self, page: PublishedPage, html: str, settings: PageSettings) -> str:
        """A page MkDocs is about to write: its last changes made (publish.finished), what the writers
        need from it noted, and returned as it is to be written."""
        finished = self.finished.finish(html, settings)
        self.pages.append(page)
        self.script_hashes.update(finished.script_hashes)
        self.attribute_values.update(finished.attribute_values)
        self.page_addresses[page.url] = [self.finish_html(address) for address in finished.addresses]
        self.noted_files.add(page_file(self.site_dir, page.url))
        return self.finish_html(finished.html)

    @property
    def cache_dir(self) -> Path:
        return self.site.root / ".cache"


Writer = Callable[[Build], None]


def site_path(url: str) -> str:
    """The file of a page address, as a path from the site root ("" is the home page)."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def page_file(site_dir: Path, url: str) -> Path:
    """The file of a page address relative to the site root ("" is the home page)."""
    return site_dir / site_path(url)


def writers() -> list[tuple[str, Writer]]:
    """The writers in the order they run; imported here so that each module stays independent."""
    from . import (
        assets,
        booklets,
        clips,
        feed,
        finder,
        headers,
        offline,
        open_data,
        previews,
        qr,
        search_index,
        services,
        short_links,
        stylesheet,
    )

    return [
        ("qr codes", qr.write),
        ("link previews", previews.write),
        ("search index", search_index.write),
        ("short links", short_links.write),
        ("booklets", booklets.write),
        ("offer as open data", open_data.write),
        ("services (Open Referral UK)", services.write),
        ("feed of changes to the offer", feed.write),
        # After every writer that may publish a clip (the open data links each entitlement's).
        ("audio clips", clips.write),
        ("theme assets", assets.write),
        ("finder script", finder.write),
        ("trimmed stylesheet", stylesheet.write),
        ("security headers", headers.write),
        # Last: it hashes the files the others wrote or changed, and fills sizes into the pages.
        ("offline use", offline.write),
    ]


def write_all(build: Build) -> list[str]:
    """Run every writer once; return their names in the order they ran. Whatever stops a writer
    reaches staff as one PortalError naming the writer, the file where there is one, and the fix."""
    ran = []
    for name, write in writers():
        try:
            write(build)
        except PortalError:
            raise
        except OSError as error:
            where = build.site.display(Path(error.filename)) if error.filename else str(build.site_dir)
            raise PortalError(f"{where}:1: {name}: could not be written ({error.strerror or error}); check that the "
                              "disk has space and the folder may be written to, then build again") from error
        except Exception as error:
            if os.environ.get("PORTAL_DEBUG"):
                raise
            raise PortalError(f"{build.site.display(build.site_dir)}:1: {name}: stopped ({type(error).__name__}: "
                              f"{error}); nothing was published. Build again with PORTAL_DEBUG=1 to see where, and "
                              "report it with the output") from None
        ran.append(name)
    return ran
