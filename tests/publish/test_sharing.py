"""Links social workers can share: short links, redirect pages, QR codes and og:locale.
(The link-preview images: test_previews.py.)"""

from __future__ import annotations

import io
import posixpath
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import cairosvg
import pytest
import zxingcpp
from conftest import REPO
from PIL import Image
from portal.configuration import load_site
from portal.content import languages
from portal.content.errors import PortalError
from portal.content.languages import og_locale_alternates
from portal.content.pages import load_content
from portal.content.short_links import ShortLinkError
from portal.publish import short_links
from portal.publish.qr import qr_svg, write_qr
from portal.publish.short_links import (
    redirect_html,
    redirect_pages,
    short_link_pages,
)

ALL = ["en", "ar", "fa", "ps", "ku", "ti", "am", "sq", "vi"]
CONFIG = {
    "bus": "offer/travel.md#free-bus-and-tram",
    "health": "offer/health.md",
    "pledge": "pledge.md",
    "offer": "offer/index.md",
    "home": "index.md",
}

# --------------------------------------------------------------------------------------------
# Short links


@pytest.mark.parametrize(
    ("lang", "name", "path", "target", "lands_on"),
    [
        ("en", "bus", "go/bus/index.html", "../../offer/travel/#free-bus-and-tram", "offer/travel"),
        ("ar", "bus", "ar/go/bus/index.html", "../../offer/travel/#free-bus-and-tram", "ar/offer/travel"),
        ("ku", "bus", "ku/go/bus/index.html", "../../offer/travel/#free-bus-and-tram", "ku/offer/travel"),
        ("en", "health", "go/health/index.html", "../../offer/health/", "offer/health"),
        ("am", "health", "am/go/health/index.html", "../../offer/health/", "am/offer/health"),
        ("en", "pledge", "go/pledge/index.html", "../../pledge/", "pledge"),
        ("vi", "pledge", "vi/go/pledge/index.html", "../../pledge/", "vi/pledge"),
        ("en", "offer", "go/offer/index.html", "../../offer/", "offer"),
        ("fa", "offer", "fa/go/offer/index.html", "../../offer/", "fa/offer"),
        ("en", "home", "go/home/index.html", "../../", "."),
        ("ti", "home", "ti/go/home/index.html", "../../", "ti"),
    ],
)
def test_short_link_paths_and_relative_targets(lang, name, path, target, lands_on):
    pages = short_link_pages(CONFIG, ALL)
    assert pages[path] == target
    # the relative address, resolved from the redirect page's folder, is the page in the same language
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
    assert resolved == lands_on


def test_short_links_cover_every_language_and_name():
    lands = {"bus": "offer/travel", "health": "offer/health", "pledge": "pledge", "offer": "offer", "home": ""}
    pages = short_link_pages(CONFIG, ALL)
    assert len(pages) == len(ALL) * len(CONFIG)
    for lang in ALL:
        prefix = "" if lang == "en" else f"{lang}/"
        for name, page in lands.items():
            path = f"{prefix}go/{name}/index.html"
            target = pages[path]
            assert not target.startswith("/"), "relative, so the site works in any folder of its host"
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
            assert resolved == posixpath.normpath(prefix + page or ".")


def test_the_first_language_is_the_one_without_a_prefix():
    pages = short_link_pages({"bus": "offer/travel.md"}, ["ar", "en"])
    assert pages == {"go/bus/index.html": "../../offer/travel/", "en/go/bus/index.html": "../../offer/travel/"}


def test_no_short_links_configured_gives_no_pages():
    assert short_link_pages(None, ALL) == {}
    assert short_link_pages({}, ALL) == {}


@pytest.fixture
def english_pages(fixture_site):
    return short_links.pages_from_content(load_content(load_site(fixture_site)))


def test_short_links_are_checked_against_the_real_pages(english_pages):
    pages = short_link_pages({"bus": "offer/travel.md#free-bus-and-tram"}, ["en", "ar", "vi"], pages=english_pages)
    assert pages["vi/go/bus/index.html"] == "../../offer/travel/#free-bus-and-tram"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"bus": "offer/travl.md"}, ["short_links.bus:", "no page 'offer/travl.md'", "did you mean offer/travel.md?"]),
        ({"bus": "offer/travel.md#free-bus"}, ["short_links.bus:", "no heading with the id 'free-bus'",
                                              "did you mean #free-bus-and-tram?"]),
        ({"Bus Pass": "offer/travel.md"}, ["short_links.Bus Pass:", "lower-case letters", "'bus-pass'"]),
        ({"tfl": "https://tfl.gov.uk/"}, ["short_links.tfl:", "not a page of this site", "offer/travel.md"]),
        ({"bus": "/offer/travel.md"}, ["short_links.bus:", "not a page of this site"]),
        ({"bus": "../offer/travel.md"}, ["short_links.bus:", "not a page of this site"]),
        ({"bus": "offer/travel/"}, ["short_links.bus:", "not a page of this site"]),
        ({"bus": None}, ["short_links.bus:", "give the page it leads to"]),
        (["bus"], ["short_links: must list lines", "bus: offer/travel.md"]),
    ],
)
def test_bad_short_links_are_explained(english_pages, config, expected):
    with pytest.raises(ShortLinkError) as caught:
        short_link_pages(config, ["en", "ar"], pages=english_pages)
    for words in expected:
        assert words in str(caught.value)


def test_every_bad_short_link_is_reported_at_once(english_pages):
    config = {"bus": "offer/travl.md", "health": "offer/health.md", "Pledge": "pledge.md"}
    with pytest.raises(ShortLinkError) as caught:
        short_link_pages(config, ["en"], pages=english_pages)
    assert len(caught.value.problems) == 3  # offer/health.md is not in the small fixture site either
    assert [p.split(":")[0].rsplit(".", 1)[1] for p in caught.value.problems] == ["bus", "health", "Pledge"]


def test_the_real_site_short_links_example_is_valid():
    site = load_site(REPO)
    pages = short_links.pages_from_content(load_content(site))
    result = short_link_pages(CONFIG, site.language_codes, pages=pages)
    assert result["ar/go/bus/index.html"] == "../../offer/travel/#free-bus-and-tram"


# --------------------------------------------------------------------------------------------
# Redirect pages


class _Page(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.text: dict[str, str] = {}
        self.doctype = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        if self.open and data.strip():
            self.text[self.open[-1]] = self.text.get(self.open[-1], "") + data

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.open == [], "every element is closed"
    return parser


@pytest.mark.parametrize(("tag", "direction"), [("en-GB", "ltr"), ("ar", "rtl"), ("ckb", "rtl"), ("am", "ltr")])
def test_redirect_page_refreshes_links_and_names_its_language(tag, direction):
    target = "../../offer/travel/#free-bus-and-tram"
    page = parse(redirect_html(target, tag, direction, "Free bus and tram travel", "Go to free bus and tram travel"))
    assert page.doctype.lower() == "doctype html"
    assert page.find("html") == [{"lang": tag, "dir": direction}]
    assert page.find("meta", charset="utf-8")
    assert page.find("meta", **{"http-equiv": "refresh", "content": f"0; url={target}"})
    assert page.find("link", rel="canonical", href="../../offer/travel/")
    assert page.find("meta", name="robots", content="noindex")
    assert page.find("a", href=target)
    assert page.text["a"] == "Go to free bus and tram travel"
    assert page.text["title"] == "Free bus and tram travel"
    assert not page.find("script")


def test_redirect_page_escapes_what_it_is_given():
    target = '../../offer/travel/?a=1&b="2"'
    html = redirect_html(target, "en-GB", "ltr", "Fish & <chips>", "Tea & <cake>")
    page = parse(html)
    assert page.find("a", href=target)
    assert page.text["title"] == "Fish & <chips>" and page.text["a"] == "Tea & <cake>"
    assert "<chips>" not in html and "<cake>" not in html


def test_redirect_page_refuses_a_wrong_direction():
    with pytest.raises(PortalError, match="direction"):
        redirect_html("../../", "ar", "right-to-left", "t", "l")


def test_redirect_pages_for_every_language():
    texts = {"en": ("Free travel", "Go to free travel"), "ar": ("السفر المجاني", "اذهب إلى السفر المجاني"),
             "ku": ("گەشتی بێبەرامبەر", "بڕۆ بۆ گەشتی بێبەرامبەر")}
    pages = redirect_pages({"bus": "offer/travel.md#free-bus-and-tram"}, ["en", "ar", "ku"],
                           text=lambda lang, link: texts[lang], site_url="https://example.org/leavers/")
    assert set(pages) == {"go/bus/index.html", "ar/go/bus/index.html", "ku/go/bus/index.html"}
    arabic = parse(pages["ar/go/bus/index.html"])
    assert arabic.find("html") == [{"lang": "ar", "dir": "rtl"}]
    assert arabic.find("link", rel="canonical", href="https://example.org/leavers/ar/offer/travel/")
    assert arabic.text["a"] == "اذهب إلى السفر المجاني"
    sorani = parse(pages["ku/go/bus/index.html"])
    assert sorani.find("html") == [{"lang": "ckb", "dir": "rtl"}]
    english = parse(pages["go/bus/index.html"])
    assert english.find("html") == [{"lang": "en-GB", "dir": "ltr"}]
    assert english.find("link", rel="canonical", href="https://example.org/leavers/offer/travel/")


# --------------------------------------------------------------------------------------------
# QR codes: decoded from the SVG we ship, drawn by a real SVG renderer, read by a real decoder


def decode_svg(svg: str, width: int = 480) -> list:
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, output_height=width)
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/go/bus/",
        "https://www.cityoflondon.gov.uk/care-leavers/ar/go/health/",
        "https://www.cityoflondon.gov.uk/care-leavers/ku/offer/travel/#free-bus-and-tram",
        "http://localhost:8000/vi/offer/money/?utm_source=leaflet&utm_medium=print",
    ],
)
def test_qr_code_decodes_to_the_url(url):
    found = decode_svg(qr_svg(url))
    assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, url)]


def test_qr_code_is_small_accessible_and_prints_at_4_cm():
    url = "https://www.cityoflondon.gov.uk/care-leavers/go/bus/"
    svg = qr_svg(url, title="QR code for free bus and tram travel")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("width") == root.get("height") == "40mm"
    assert root.get("role") == "img"
    title = root.find(f"{ns}title")
    assert title is not None and title.text == "QR code for free bus and tram travel"
    assert root.get("aria-labelledby") == title.get("id")
    modules = float(root.get("viewBox").split()[2])
    assert 40 / modules >= 0.8, "modules of at least 0.8 mm scan from paper"
    assert len(svg.encode()) < 5000
    assert "<script" not in svg and "http://www.w3.org/1999/xlink" not in svg
    # the default title names the address
    assert url in ET.fromstring(qr_svg(url)).find(f"{ns}title").text


def test_qr_code_still_decodes_small_on_screen():
    url = "https://example.org/go/bus/"
    assert [r.text for r in decode_svg(qr_svg(url), width=160)] == [url]


def test_write_qr_writes_the_file_whole(tmp_path):
    url = "https://example.org/go/pledge/"
    path = write_qr(url, tmp_path / "qr" / "pledge.svg")
    assert [r.text for r in decode_svg(path.read_text(encoding="utf-8"))] == [url]
    assert sorted(p.name for p in path.parent.iterdir()) == ["pledge.svg"], "no temporary file left behind"


def test_qr_code_needs_an_address():
    with pytest.raises(PortalError, match="it was empty"):
        qr_svg(" ")



# --------------------------------------------------------------------------------------------
# Open Graph locales


@pytest.mark.parametrize(
    ("code", "locale"),
    [("en", "en_GB"), ("ar", "ar_AR"), ("fa", "fa_IR"), ("ps", "ps_AF"), ("ku", "cb_IQ"), ("ti", "ti_ER"),
     ("am", "am_ET"), ("sq", "sq_AL"), ("vi", "vi_VN")],
)
def test_og_locale(code, locale):
    assert languages.get(code).og_locale == locale


def test_og_locale_alternates_are_the_other_languages():
    assert og_locale_alternates("ar", ALL) == ["en_GB", "fa_IR", "ps_AF", "cb_IQ", "ti_ER", "am_ET", "sq_AL", "vi_VN"]
    assert og_locale_alternates("en", ["en", "ar"]) == ["ar_AR"]


def test_og_locale_refuses_an_unknown_language():
    with pytest.raises(PortalError, match="unknown language code 'de'"):
        languages.get("de")


def test_every_language_has_an_og_locale():
    from portal.content.languages import LANGUAGES

    for language in LANGUAGES:
        locale = language.og_locale
        assert len(locale.split("_")) == 2 and locale.split("_")[1].isupper()


# --------------------------------------------------------------------------------------------


def test_the_core_does_not_import_mkdocs():
    code = "import sys, portal.cli, portal.publish.previews; print(sorted(m for m in sys.modules if m.startswith('mkdocs')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO / "scripts", capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_a_qr_code_is_encoded_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    from portal.publish import qr

    cache = tmp_path / "cache"
    first = write_qr("https://example.org/offer/", tmp_path / "a" / "qr.svg", cache_dir=cache)
    monkeypatch.setattr(qr, "qr_svg", lambda *a, **k: pytest.fail("encoded again"))
    second = write_qr("https://example.org/offer/", tmp_path / "b" / "qr.svg", cache_dir=cache)
    assert first.read_bytes() == second.read_bytes() and len(list(cache.iterdir())) == 1


@pytest.mark.parametrize("page", ["https://example.org/", "https://example.org/ar/offer/money/",
                                  "https://example.org/a/b.html", "http://127.0.0.1:8000/vi/", "offer/travel/",
                                  "https://example.org/finder/?who=care-leavers"])
@pytest.mark.parametrize("href", ["", ".", "..", "./", "../", "../../../../x/", "a/./b/../c/", "?q=1", "#top",
                                  "x?y#z", "/abs/path", "/", "//host/x", "mailto:a@b.org", "tel:020", "a//b",
                                  "../a/b.pdf", "./a", "https://other.example/x", "../offer/travel/#free-bus-and-tram"])
def test_print_addresses_are_what_urljoin_makes(page, href):
    from urllib.parse import urljoin

    from portal.render.html import AddressResolver

    assert AddressResolver(page)(href) == urljoin(page, href)
