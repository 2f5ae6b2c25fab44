"""Hostile booklets: a page that tries every way to make WeasyPrint read a file of the build
machine or ask the network for something. The booklet embeds no file, asks nothing of a trap
server on 127.0.0.1, and the build stops naming the page, the line and the address. The checks
refuse the same page before any build (checks/test_hostile_fetch.py); these tests render without
them, as a build would if a check were ever missed. Also: a word too long for a line stays on the page."""

from __future__ import annotations

import base64
import urllib.parse
from pathlib import Path

import pytest
from conftest import copy_fixture_site
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.pages import load_content
from portal.publish.booklets import Shelf
from portal.publish.booklets import pdf as booklet_pdf
from portal.render.page import RenderContext
from support.trap import Trap

pytestmark = pytest.mark.build

SECRET = "/etc/hostname"  # readable by any build user, and not part of the portal


def svg_data(inner: str, encoded: str = "base64") -> str:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{inner}</svg>'
    if encoded == "base64":
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return "data:image/svg+xml," + urllib.parse.quote(svg)


def css_data(css: str) -> str:
    return "data:text/css," + urllib.parse.quote(css)


def hostile(origin: str) -> dict[str, tuple[str, str]]:
    """name: (raw HTML for a page, the address the booklet must refuse)."""
    return {
        "http image": (f'<p><img src="{origin}/image.png" alt="x"></p>', f"{origin}/image.png"),
        "file image": (f'<p><img src="file://{SECRET}" alt="x"></p>', f"file://{SECRET}"),
        "svg in data: loading http": (f'<p><img src="{svg_data(f"<image href={chr(34)}{origin}/svg.png{chr(34)}/>")}"'
                                      ' alt="x"></p>', "data:image/svg+xml;base64,"),
        "svg in data: with css url()": (
            f'<p><img src="{svg_data(f"<style>rect{{fill:url({origin}/fill.svg#a)}}</style><rect/>", "quoted")}"'
            ' alt="x"></p>', "data:image/svg+xml,"),
        "http stylesheet": (f'<link rel="stylesheet" href="{origin}/sheet.css">', f"{origin}/sheet.css"),
        "@import in a data: stylesheet": (
            f'<link rel="stylesheet" href="{css_data(f"@import url({origin}/import.css);")}">', "data:text/css,"),
        "@import in <style>": (f'<style>@import url("{origin}/style-import.css");</style>',
                               f"{origin}/style-import.css"),
        "url() in a style attribute": (f'<p style="background-image: url({origin}/inline.png)">x</p>',
                                       f"{origin}/inline.png"),
        "object": (f'<object data="{origin}/object.svg" type="image/svg+xml"></object>', f"{origin}/object.svg"),
        "embed": (f'<embed src="{origin}/embed.svg" type="image/svg+xml">', f"{origin}/embed.svg"),
        "inline svg image": (f'<svg width="10" height="10"><image href="{origin}/inline-svg.png" width="10" '
                             'height="10"/></svg>', f"{origin}/inline-svg.png"),
        "a rel=attachment, a file": (f'<p><a rel="attachment" href="file://{SECRET}">notes</a></p>',
                                     f"file://{SECRET}"),
        "a rel=attachment, http": (f'<p><a rel="nofollow Attachment" href="{origin}/attach.txt">more</a></p>',
                                   f"{origin}/attach.txt"),
        "link rel=attachment": ('<link rel="attachment" href="file:///proc/self/environ">', "file:///proc/self/environ"),
        "base pointing at the disk": ('<base href="file:///etc/"><p><img src="hostname" alt="x"></p>',
                                      f"file://{SECRET}"),
    }


def with_body(tmp_path: Path, lang: str, extra: str) -> Path:
    """A copy of the fixture site whose travel page in `lang` ends with `extra`."""
    root = copy_fixture_site(tmp_path / "project")
    page = root / "docs" / lang / "offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + extra + "\n", encoding="utf-8")
    return root


def shelf_of(root: Path) -> Shelf:
    site = load_site(root)
    return Shelf(RenderContext(load_content(site), site_url=site.site_url), root / ".cache")


def travel_booklet(shelf: Shelf, lang: str):
    return next(b for b in shelf.booklets(lang) if b.audience == "care-leavers")


def attached_files(pdf: bytes) -> list[str]:
    """Every file a PDF embeds: in the catalogue's /EmbeddedFiles, or as a /FileAttachment annotation."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = list((reader.trailer["/Root"].get("/Names") or {}).get("/EmbeddedFiles", {}).get("/Names", []))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append(str(annotation.get_object().get("/FS")))
    return [str(item) for item in found]


def font_names(pdf: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    return {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf)).pages
            for font in page["/Resources"]["/Font"].values()}


def test_every_way_at_once_reads_nothing_embeds_nothing_and_stops_the_build(tmp_path):
    with Trap() as trap:
        cases = hostile(trap.origin)
        root = with_body(tmp_path, "en", "\n\n".join(body for body, _ in cases.values()))
        shelf = shelf_of(root)
        with pytest.raises(PortalError) as refused:
            shelf.made(travel_booklet(shelf, "en"))
    assert trap.requests == []
    assert not list((root / ".cache/booklets").glob("*.pdf")), "a refused booklet is neither cached nor published"
    named = "\n".join(str(p) for p in refused.value.problems)
    for name, (_, address) in cases.items():
        assert address in named, name
    assert all(p.path == "docs/en/offer/travel.md" and p.field == "booklet" for p in refused.value.problems), named


def test_the_fetcher_refuses_every_address_and_the_pdf_carries_no_file(tmp_path):
    """The PDF WeasyPrint makes with the portal's fetcher, before the refusals stop the build."""
    from portal.publish.booklets.fetcher import BookletFetcher

    with Trap() as trap:
        cases = hostile(trap.origin)
        root = with_body(tmp_path, "en", "\n\n".join(body for body, _ in cases.values()))
        html = travel_booklet(shelf_of(root), "en").html
        fetcher = BookletFetcher([booklet_pdf.FONT_DIR])
        pdf = booklet_pdf.render_with(html, booklet_pdf.stylesheet("en"), fetcher)
    assert trap.requests == []
    assert attached_files(pdf) == []
    assert pdf.count(b"/EmbeddedFile") == 0 and pdf.count(b"/FileAttachment") == 0
    refused = "\n".join(url for url, _ in fetcher.refused)
    for name, (_, address) in cases.items():
        assert address in refused, name
    assert any("PortalLatn" in name for name in font_names(pdf)), "the booklet's own fonts are still served"


@pytest.mark.parametrize("name", list(hostile("http://127.0.0.1:1")))
def test_each_way_alone_is_refused_naming_the_page_line_and_address(tmp_path, name):
    with Trap() as trap:
        body, address = hostile(trap.origin)[name]
        root = with_body(tmp_path, "en", body)
        shelf = shelf_of(root)
        with pytest.raises(PortalError) as refused:
            shelf.made(travel_booklet(shelf, "en"))
    assert trap.requests == []
    line = len((root / "docs/en/offer/travel.md").read_text(encoding="utf-8").splitlines())
    problems = refused.value.problems
    assert problems and all(p.path == "docs/en/offer/travel.md" and p.line == line for p in problems), problems
    assert any(address in p.message for p in problems), problems
    assert "Remove the address" in str(refused.value)


def test_a_translated_page_is_named_in_its_own_language(tmp_path):
    root = with_body(tmp_path, "ar", f'<p><a rel="attachment" href="file://{SECRET}">ملاحظات</a></p>')
    shelf = shelf_of(root)
    with pytest.raises(PortalError, match=r"docs/ar/offer/travel\.md:\d+: booklet: `file:///etc/hostname` would "
                                          r"be embedded in the PDF"):
        shelf.made(travel_booklet(shelf, "ar"))
    english = shelf_of(root)
    assert english.made(travel_booklet(english, "en")).size > 5_000  # the English booklet is unaffected


def test_a_booklet_cached_before_the_fetcher_was_narrowed_is_made_again(monkeypatch):
    before = booklet_pdf.cache_key("<p>x</p>", "p {}")
    monkeypatch.setattr(booklet_pdf, "FETCHING", "any address")
    assert booklet_pdf.cache_key("<p>x</p>", "p {}") != before


# --- A word too long for a line ---------------------------------------------------------------

def test_a_5000_character_word_is_broken_and_stays_inside_the_page_margins(tmp_path):
    import re

    import pypdfium2

    word = "Long" * 1250
    root = with_body(tmp_path, "en", word)
    shelf = shelf_of(root)
    document = pypdfium2.PdfDocument(shelf.made(travel_booklet(shelf, "en")).cached)
    margin = 18 / 25.4 * 72 - 1  # booklet.css: 18 mm either side; 1 pt for rounding
    drawn, text = 0, ""
    for page in document:
        width, _ = page.get_size()
        letters = page.get_textpage()
        for index in range(letters.count_chars()):
            left, _, right, _ = letters.get_charbox(index)
            if right > left:  # a drawn character, not a line break
                drawn += 1
                assert margin <= left and right <= width - margin, (index, left, right, width)
        text += letters.get_text_range()
    assert drawn > len(word)
    pieces = [line for line in text.splitlines() if re.fullmatch(r"(?:Long|ong|ng|g)?(?:Long)+(?:L|Lo|Lon)?", line)]
    assert len(pieces) > 30, "the word is broken across many lines"
    # Letters only: page numbers, line ends and a full stop pdfium reads at one line break are not the word.
    assert re.sub(r"[^A-Za-z]", "", text).count(word) == 1, "and none of it is lost"
