"""Printable booklets: one fixture build (en, ar, vi), then the PDFs it wrote are read back."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_fixture_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.publish.booklets import Shelf
from portal.publish.booklets import pdf as booklet_pdf
from portal.render.booklets import file_size
from portal.render.entitlements import state_text
from portal.render.page import RenderContext

pytestmark = pytest.mark.build

TAGS = {"en": "en-GB", "ar": "ar", "vi": "vi"}
PREFIX = {"en": "", "ar": "ar/", "vi": "vi/"}
AUDIENCES = ("care-leavers", "children-in-care", "kinship-carers")

PAGE = """---
title: {title}
description: A page for the booklet tests.
audience: [care-leavers]
last_reviewed: 2026-01-10
review_every_months: 24
owner: Leaving care team
status: draft
---

{body}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The fixture site with a page for each audience, the help-now page and [[booklets]] placed."""
    root = copy_fixture_site(tmp_path_factory.mktemp("booklets") / "project")
    docs = root / "docs"
    (docs / "en/pledge.md").write_text(PAGE.format(title="Our pledge", body="We promise to listen to you."))
    (docs / "en/kinship.md").write_text(PAGE.format(title="Kinship care", body="Help for family and friends."))
    (docs / "en/help-now.md").write_text(PAGE.format(title="If you need help now", body="Call 999 in an emergency."))
    for lang in ("en", "ar", "vi"):
        index = docs / lang / "index.md"
        index.write_text(index.read_text(encoding="utf-8").rstrip("\n") + "\n\n[[booklets]]\n", encoding="utf-8")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    return root


def booklet(project: Path, lang: str, audience: str = "care-leavers") -> Path:
    return project / "site" / PREFIX[lang] / "booklets" / f"{audience}.pdf"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.parametrize("lang", TAGS)
def test_every_audience_has_a_booklet_in_every_language(project, lang):
    for audience in AUDIENCES:
        size = booklet(project, lang, audience).stat().st_size
        assert 5_000 < size <= 1_500_000


@pytest.mark.parametrize("lang", TAGS)
def test_entitlement_titles_and_states_in_the_language_and_in_page_order(project, lang):
    content = load_content(load_site(project))
    words = strings(lang)
    text = pdf_text(booklet(project, lang))
    entitlements = content.offer.entitlements(lang)
    assert len(entitlements) == 2
    positions = []
    for entitlement in entitlements:
        assert flat(entitlement.title) in text  # Arabic: logical order, as a screen reader reads it
        positions.append(text.index(flat(entitlement.title)))
        # Up to the year: extractors place a number inside right-to-left text by where it is drawn.
        assert re.split(r"\d", flat(state_text(entitlement, lang, words)))[0].strip() in text
    assert positions == sorted(positions)
    if lang == "ar":
        assert "السفر المجاني بالحافلة والترام" in text and "Free bus and tram" not in text


def test_planned_entitlement_is_printed_as_planned(project):
    text = pdf_text(booklet(project, "en"))
    classes = text.index("English classes")
    assert text.index("Planned in March 2024", classes) < text.index("English classes for young people", classes)


@pytest.mark.parametrize("lang", TAGS)
def test_every_qr_code_decodes_to_the_live_page(project, lang):
    import pypdfium2
    import zxingcpp

    found = []
    document = pypdfium2.PdfDocument(booklet(project, lang))
    for page in document:
        image = page.render(scale=2).to_pil().convert("L")
        found += [code.text for code in zxingcpp.read_barcodes(image)]
    canonical = {}
    for page in ("offer/travel/", "help-now/"):
        built = (project / "site" / PREFIX[lang] / page / "index.html").read_text(encoding="utf-8")
        canonical[page] = html.unescape(re.search(r'<link rel="canonical" href="([^"]+)"', built).group(1))
    assert found == [canonical["offer/travel/"], canonical["help-now/"]]
    assert found[0] == f"http://localhost:8000/{PREFIX[lang]}offer/travel/"


@pytest.mark.parametrize("lang", TAGS)
def test_fonts_embedded_language_set_and_tagged(project, lang):
    from pypdf import PdfReader

    reader = PdfReader(booklet(project, lang))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == TAGS[lang]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert {"/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    expected = {"en": "PortalLatn", "ar": "PortalArab", "vi": "PortalLatn"}[lang]
    assert expected in fonts and not any("DejaVu" in name for name in fonts)


def structure(node, found: dict) -> dict:
    """Structure types of a tagged PDF, with each figure's alternative text."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            structure(kid, found)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            found.setdefault(str(node["/S"]), []).append(node.get("/Alt"))
        if "/K" in node:
            structure(node["/K"], found)
    return found


@pytest.mark.parametrize("lang", TAGS)
def test_headings_lists_links_and_qr_codes_are_tagged(project, lang):
    from pypdf import PdfReader

    reader = PdfReader(booklet(project, lang, "kinship-carers"))
    found = structure(reader.trailer["/Root"]["/StructTreeRoot"], {})
    assert len(found["/H1"]) == 1 and found["/H2"] and found["/L"] and found["/Link"]
    words = strings(lang)
    assert found["/Figure"] == [words["booklet_qr_alt"].format(url=f"http://localhost:8000/{PREFIX[lang]}{page}/")
                                for page in ("kinship", "help-now")]
    assert reader.metadata["/Title"] == words["booklet_kinship-carers"]


@pytest.mark.parametrize("lang", TAGS)
def test_page_counts_are_sensible(project, lang):
    from pypdf import PdfReader

    # cover, contents, then the travel page, the contacts and the help-now page, each from a new page
    assert 5 <= len(PdfReader(booklet(project, lang)).pages) <= 8
    assert 5 <= len(PdfReader(booklet(project, lang, "kinship-carers")).pages) <= 6


@pytest.mark.parametrize("lang", TAGS)
def test_home_page_links_each_booklet_with_its_real_size(project, lang):
    page = (project / "site" / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
    words = strings(lang)
    for audience in AUDIENCES:
        size = file_size(booklet(project, lang, audience).stat().st_size)
        text = words["booklet_link"].format(title=words[f"booklet_{audience}"], size=size)
        links = re.findall(rf'<a [^>]*href="booklets/{audience}\.pdf" type="application/pdf">(.*?)</a>', page)
        assert [html.unescape(re.sub(r"<[^>]+>", "", link)) for link in links] == [text]


def test_unchanged_booklets_are_copied_not_rendered(project):
    site = load_site(project)
    shelf = Shelf(RenderContext(load_content(site), site_url=site.site_url), project / ".cache")
    made = shelf.all_made()
    assert len(made) == 9 and shelf.rendered == 0
    assert sorted(p.name for p in (project / ".cache/booklets").glob("*.pdf")) == sorted(m.cached.name for m in made)
    assert all(m.cached.read_bytes() == booklet(project, m.booklet.lang, m.booklet.audience).read_bytes()
               for m in made)


def test_a_changed_page_renders_only_its_booklets(project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site"))
    kinship = root / "docs/en/kinship.md"
    kinship.write_text(kinship.read_text().replace("family and friends", "family members and friends"))
    site = load_site(root)
    shelf = Shelf(RenderContext(load_content(site), site_url=site.site_url), root / ".cache")
    shelf.all_made()
    assert shelf.rendered == 3  # kinship carers in en, ar and vi (both fall back to the English page)


def test_a_build_with_the_same_inputs_takes_the_booklets_from_the_index_without_making_html(project, tmp_path,
                                                                                          monkeypatch):
    from portal.fingerprint import inputs_fingerprint
    from portal.publish.booklets import document

    root = tmp_path / "project"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site"))
    site = load_site(root)
    content = load_content(site)
    fingerprint = inputs_fingerprint(content)
    first = Shelf(RenderContext(content, site_url=site.site_url), root / ".cache", fingerprint)
    made = first.all_made()
    first.save_index(made)
    made_html = []
    real = document.booklet_html
    monkeypatch.setattr("portal.publish.booklets.booklet_html", lambda *a, **k: made_html.append(1) or real(*a, **k))
    again = Shelf(RenderContext(content, site_url=site.site_url), root / ".cache", fingerprint)
    assert [(m.booklet.site_path, m.size) for m in again.all_made()] == [(m.booklet.site_path, m.size) for m in made]
    assert made_html == [] and again.rendered == 0
    # Another address for the site is another booklet (its QR codes): the index is not used.
    other = Shelf(RenderContext(content, site_url="https://elsewhere.example/"), root / ".cache", fingerprint)
    other.booklets("en")
    assert made_html
    # A cached PDF gone: the index is not trusted, the booklets are made again.
    made_html.clear()
    made[0].cached.unlink()
    gone = Shelf(RenderContext(content, site_url=site.site_url), root / ".cache", fingerprint)
    gone.all_made()
    assert made_html and gone.rendered == 1


def test_a_booklet_over_the_limit_is_an_error_naming_it(project, tmp_path, monkeypatch):
    shutil.copytree(project / ".cache" / "booklets", tmp_path / "booklets")
    monkeypatch.setattr("portal.publish.booklets.MAX_BYTES", 1000)
    site = load_site(project)
    shelf = Shelf(RenderContext(load_content(site), site_url=site.site_url), tmp_path)
    with pytest.raises(PortalError, match=r"booklets/care-leavers\.pdf: the booklet is .* over the 0\.0 MB limit"):
        shelf.made(shelf.booklets("en")[0])


def test_missing_font_names_the_debian_package(tmp_path):
    with pytest.raises(PortalError, match="fonts-noto-core"):
        booklet_pdf.fonts_digest(tmp_path)


def test_without_a_site_address_there_is_no_qr_code(project):
    site = load_site(project)
    shelf = Shelf(RenderContext(load_content(site), site_url=""), project / ".cache")
    booklet_html = shelf.booklets("en")[0].html
    assert "data:image/svg+xml" not in booklet_html and 'id="page-offer-travel"' in booklet_html


def test_an_untranslated_page_is_printed_in_english_and_marked_so(project):
    site = load_site(project)
    shelf = Shelf(RenderContext(load_content(site), site_url=site.site_url), project / ".cache")
    kinship = next(b for b in shelf.booklets("ar") if b.audience == "kinship-carers").html
    assert '<html lang="ar" dir="rtl">' in kinship
    assert '<section class="page" id="page-kinship" lang="en-GB" dir="ltr">' in kinship
    assert '<section class="page" id="page-offer-travel">' in next(b for b in shelf.booklets("ar")).html
