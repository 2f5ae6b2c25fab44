"""Full builds of the fixture site into tmp_path, asserting the output in every language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from portal.content.ui_strings import strings
from support.builds import build_site, out

pytestmark = pytest.mark.build

LANGS = {"en": ("en-GB", "ltr"), "ar": ("ar", "rtl"), "vi": ("vi", "ltr")}
PAGES = ["index.html", "offer/travel/index.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import copy_fixture_site

    return build_site(copy_fixture_site(tmp_path_factory.mktemp("build") / "project"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_every_language_with_lang_and_dir(built, lang, page):
    html = out(built, lang, page)
    assert re.search(r'<body[^>]* dir="%s"' % LANGS[lang][1], html)
    assert '<meta name="description" content="' in html
    assert 'class="portal-reviewed"' in html and '<time datetime="2026-01-10">' in html


def test_meta_description_comes_from_front_matter(built):
    assert '<meta name="description" content="Free bus and tram travel for care leavers.">' in out(built, "en", PAGES[1])
    assert '<meta name="description" content="سفر مجاني بالحافلة والترام.">' in out(built, "ar", PAGES[1])


def test_draft_page_says_it_awaits_sign_off_and_approved_page_does_not(built):
    assert "portal-notice--draft\"" in out(built, "en", PAGES[1])
    assert "portal-notice--draft\"" not in out(built, "en", PAGES[0])


def test_translation_notices(built):
    assert "portal-notice--draft-translation" in out(built, "ar", "index.html")
    assert "portal-notice--stale" in out(built, "ar", "offer/travel/index.html")
    vi_home = out(built, "vi", "index.html")
    assert "portal-notice--" not in vi_home.replace("portal-notice--draft\"", "")


def test_missing_translation_is_english_marked_as_english(built):
    html = out(built, "vi", "offer/travel/index.html")
    assert "portal-notice--missing" in html
    fallback = html.split('<div lang="en" dir="ltr" class="portal-fallback">', 1)
    assert len(fallback) == 2 and "<h1>Travel</h1>" in fallback[1]


def test_entitlement_anchor_is_the_same_in_every_language(built):
    for lang in LANGS:
        assert 'id="free-bus-and-tram"' in out(built, lang, "offer/travel/index.html")


def test_contacts_come_from_configuration(built):
    html = out(built, "en", "index.html")
    assert '<a href="tel:999" dir="ltr">999</a>' in html
    assert "[[contacts]]" not in html


def test_strict_build_of_bad_content_fails_and_keeps_the_old_site(fixture_site):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "portal", "--root", str(fixture_site), "build"]
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    marker = fixture_site / "site" / "index.html"
    before = marker.read_text(encoding="utf-8")
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace("status: draft", "status: pubished"), encoding="utf-8")
    second = subprocess.run(command, env=env, capture_output=True, text=True)
    assert second.returncode == 1
    assert "docs/en/offer/travel.md:8: status: 'pubished' is not a status" in second.stderr
    assert marker.read_text(encoding="utf-8") == before
    assert not list(fixture_site.glob(".site-building-*"))


@pytest.fixture(scope="module")
def built_with_audio(tmp_path_factory) -> Path:
    from conftest import copy_fixture_site
    from portal.audio.generator import make_generator
    from portal.configuration import load_site
    from portal.content.pages import load_content
    from support.audio import FakeEngine, mp3_of_silence

    scratch = tmp_path_factory.mktemp("audio")
    project = copy_fixture_site(scratch / "project")
    clip = mp3_of_silence(scratch / "clip.mp3", 1.0)  # the fake engine keeps its clips beside this one
    site = load_site(project)
    engines = {"gtts": FakeEngine("gtts", set(), clip), "espeak-ng": FakeEngine("espeak-ng", {"en", "ar"}, clip)}
    make_generator(site, engines).generate(load_content(site))
    return build_site(project)


def test_player_is_labelled_preload_none_with_download_size_and_duration(built_with_audio):
    html = out(built_with_audio, "en", "offer/travel/index.html")
    player = re.search(r'<audio controls preload="none" src="([^"]+)" aria-label="Audio version of this page"', html)
    assert player and "autoplay" not in html
    assert (built_with_audio / "offer/travel" / player.group(1)).resolve().is_file()
    from portal.audio.library import AudioLibrary

    entry = AudioLibrary(built_with_audio.parent / "audio").lock["en/offer/travel.md"]
    minutes, seconds = divmod(round(entry.duration), 60)
    assert f'download type="audio/mpeg">Download the audio (MP3, {round(entry.bytes / 1000)} KB, ' \
           f'{minutes} min {seconds} s)</a>' in html


def test_untranslated_page_plays_the_english_clip_marked_english(built_with_audio):
    html = out(built_with_audio, "vi", "offer/travel/index.html")
    assert re.search(r'<audio controls preload="none" src="[^"]+" aria-label="[^"]+"\s+lang="en">', html)
    english = re.search(r'<audio[^>]+src="[^"]*/(audio/[^"]+)"', out(built_with_audio, "en", "offer/travel/index.html"))
    assert english.group(1) in html


def test_page_without_audio_says_so_and_has_no_player(built_with_audio):
    html = out(built_with_audio, "vi", "index.html")
    assert "<audio" not in html
    assert 'class="portal-audio portal-audio--none"' in html


def test_hreflang_alternates_for_every_language_and_x_default(built):
    html = out(built, "ar", "offer/travel/index.html")
    links = re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
    assert sorted(lang for _, lang in links) == ["ar", "en-GB", "vi", "x-default"]
    assert [href for href, lang in links if lang == "x-default"] == ["http://localhost:8000/offer/travel/"]
    assert ("http://localhost:8000/vi/offer/travel/", "vi") in links


def test_sitemap_lists_alternates_with_language_tags(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    entry = sitemap.split("<loc>http://localhost:8000/ar/offer/travel/</loc>")[1].split("</url>")[0]
    assert 'hreflang="en-GB" href="http://localhost:8000/offer/travel/"' in entry
    assert 'hreflang="x-default" href="http://localhost:8000/offer/travel/"' in entry
    assert 'hreflang="vi" href="http://localhost:8000/vi/offer/travel/"' in entry


def test_language_chooser_names_languages_in_their_own_script_on_the_same_page(built):
    html = out(built, "en", "offer/travel/index.html")
    assert '<a href="../../ar/offer/travel/" hreflang="ar" lang="ar" dir="rtl"' in html
    assert re.search(r'lang="en-GB" dir="ltr"\s+class="md-select__link" aria-current="page">English</a>', html)
    assert ">العربية</a>" in html and ">Tiếng Việt</a>" in html


def test_pages_do_not_fetch_sitemaps_on_every_view(built):
    bundle = next((built / "assets/javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert not re.search(r"(?<!function )\bui\(\{document\$:\w+\}\)", bundle)
    assert "link[rel=alternate]" in bundle, "only the call is removed, not the function"


def test_each_language_searches_its_own_index(built):
    import json

    arabic = json.loads((built / "ar/search/search_index.json").read_text(encoding="utf-8"))
    english = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    assert {d["title"] for d in arabic["docs"]} >= {"مرحبا", "السفر"}
    assert not any(d["location"].startswith(("ar/", "vi/")) for d in english["docs"])
    assert '"base": "../.."' in out(built, "ar", "offer/travel/index.html")


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_entitlements_by_their_facts_not_by_their_share_links(built, lang):
    import json

    prefix = "" if lang == "en" else f"{lang}/"
    docs = json.loads((built / prefix / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    words = strings(lang)
    sections = [d for d in docs if d["location"].endswith("offer/travel/#free-bus-and-tram")]
    assert sections, [d["location"] for d in docs]
    assert "<ol>" in sections[0]["text"], "the facts, with the steps, are searched"
    html = out(built, lang, "offer/travel/index.html")
    assert words["share_entitlement"] in html, "the page has its share links"
    for doc in docs:
        assert words["share_entitlement"] not in doc["text"], doc["location"]


def test_english_words_in_arabic_text_are_isolated(built):
    html = out(built, "ar", "index.html")
    assert '<span dir="ltr">personal adviser</span>' in html  # isolated, without claiming a language


@pytest.mark.parametrize("lang", LANGS)
def test_link_previews_in_every_language(built, lang):
    html = out(built, lang, "offer/travel/index.html")
    prefix = "" if lang == "en" else f"{lang}/"
    url = f"http://localhost:8000/{prefix}offer/travel/"
    meta = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', html))
    assert meta["og:url"] == url and meta["og:image"] == url + "preview.png"
    assert meta["og:description"] and meta["og:title"] and meta["twitter:card"] == "summary_large_image"
    assert meta["og:locale"] == {"en": "en_GB", "ar": "ar_AR", "vi": "vi_VN"}[lang]
    alternates = re.findall(r'<meta property="og:locale:alternate" content="([^"]+)">', html)
    assert sorted(alternates) == sorted({"en_GB", "ar_AR", "vi_VN"} - {meta["og:locale"]})
    from PIL import Image

    with Image.open(built / prefix / "offer/travel/preview.png") as image:
        assert image.size == (1200, 630)


def test_short_links_redirect_in_every_language(built):
    for lang, prefix in (("en", ""), ("ar", "ar/"), ("vi", "vi/")):
        page = (built / prefix / "go/bus/index.html").read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh" content="0; url=../../offer/travel/#free-bus-and-tram">' in page
        target = (built / prefix / "go/bus" / "../../offer/travel/index.html").resolve()
        assert target.is_file() and target == (built / prefix / "offer/travel/index.html").resolve()


@pytest.mark.parametrize("lang", LANGS)
def test_qr_code_of_every_page_decodes_to_its_address(built, lang):
    import cairosvg
    import zxingcpp
    from PIL import Image

    prefix = "" if lang == "en" else f"{lang}/"
    for page in ("", "offer/travel/"):
        svg = (built / prefix / page / "qr.svg").read_bytes()
        png = cairosvg.svg2png(bytestring=svg, output_width=400, output_height=400)
        import io

        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert [d.text for d in decoded] == [f"http://localhost:8000/{prefix}{page}"]


def test_share_controls_work_without_javascript(built):
    html = out(built, "ar", "offer/travel/index.html")
    assert re.search(r'<p class="portal-share"><a href="http://localhost:8000/ar/offer/travel/#free-bus-and-tram" '
                     r'data-portal-share class="portal-share__link">[^<]+</a></p>', html)
    assert re.search(r'<a href="http://localhost:8000/ar/offer/travel/" data-portal-share', html)
    assert 'id="portal-share-status" class="portal-share__status" role="status" aria-live="polite"' in html
    assert re.search(r'<script src="\.\./\.\./\.\./assets/portal\.js"[^>]*></script>', html)


def test_print_stylesheet_and_printed_qr_code(built):
    css = (built / "assets/portal.css").read_text(encoding="utf-8")
    assert "@media print" in css and "attr(data-print)" in css
    html = out(built, "en", "offer/travel/index.html")
    printed = html.split('<div class="portal-print">')[1]
    assert '<img class="portal-print__qr" src="qr.svg" alt="" width="151" height="151" loading="lazy">' in printed
    assert (built / "offer/travel/qr.svg").is_file()
    assert 'data-print="http://localhost:8000/" href="../../"' in html


def test_edit_link_points_at_the_source_file_in_the_page_language(built):
    assert 'href="https://github.com/example/portal/edit/main/docs/ar/index.md" rel="nofollow">' in out(built, "ar", "index.html")
    assert 'href="https://github.com/example/portal/edit/main/docs/en/offer/travel.md"' in out(built, "vi", "offer/travel/index.html")


def test_search_dialog_has_an_accessible_name_in_the_page_language(built):
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="بحث">' in out(built, "ar", "index.html")
