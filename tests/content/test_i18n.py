"""Languages: bidirectional isolation, per-language search, translation status."""

from __future__ import annotations

import pytest
from portal.configuration import load_site
from portal.content import languages
from portal.content.pages import load_content
from portal.content.ui_strings import STRINGS_DIR, missing_keys
from portal.publish.search_index import split_index
from portal.render.bidi import isolate
from portal.translation import status as translations

REPO_SITE = load_site(STRINGS_DIR.parents[3])


@pytest.mark.parametrize("html, expected", [
    # Protected English names are marked English; other Latin-script runs get a direction only.
    ("<p>بطاقة (Transport for London, TfL) هنا</p>",
     '<p>بطاقة (<span lang="en" dir="ltr">Transport for London, TfL</span>) هنا</p>'),
    ("<p>اتصل 020 7946 0000</p>", '<p>اتصل <bdi dir="ltr">020 7946 0000</bdi></p>'),
    ("<p>£800 و 999</p>", "<p>£800 و 999</p>"),
    ("<p>(MP3، 498 KB، 2 دقيقة)</p>",
     '<p>(<span dir="ltr">MP3</span>، <span dir="ltr">498 KB</span>، 2 دقيقة)</p>'),
    ('<p><a href="../glossary/#tfl">TfL</a></p>',
     '<p><a href="../glossary/#tfl"><span lang="en" dir="ltr">TfL</span></a></p>'),
    ("<p>&amp; <code>make build</code></p>", "<p>&amp; <code>make build</code></p>"),
    ('<p><span lang="en" dir="ltr"><strong>Emergency</strong> services</span></p>',
     '<p><span lang="en" dir="ltr"><strong>Emergency</strong> services</span></p>'),
    # The sentence's full stop stays outside, where a right-to-left sentence ends.
    ("<p>انظر موقع Transport for London.</p>", '<p>انظر موقع <span lang="en" dir="ltr">Transport for London</span>.</p>'),
    ("<p>gov.uk و e.g. هنا</p>", '<p><span dir="ltr">gov.uk</span> و <span dir="ltr">e.g</span>. هنا</p>'),
    # Comments, raw elements (nested too) and elements with their own language (nested same-name ones
    # too) are left alone; the page's own <html lang> is not such an element.
    ("<p>أ <!-- TfL --> TfL</p>", '<p>أ <!-- TfL --> <span lang="en" dir="ltr">TfL</span></p>'),
    ("<pre><code>make</code> build</pre> Shout", '<pre><code>make</code> build</pre> <span lang="en" dir="ltr">Shout</span>'),
    ('<div lang="en">A <div>B</div> C</div> D', '<div lang="en">A <div>B</div> C</div> <span dir="ltr">D</span>'),
    ('<img lang="en" alt="x"> NHS <br/> GP', '<img lang="en" alt="x"> <span dir="ltr">NHS</span> '
     '<br/> <span dir="ltr">GP</span>'),
    ('<svg><text>Icon</text></svg><script>if (a > b) x()</script>ب', '<svg><text>Icon</text></svg><script>if (a > b) x()</script>ب'),
    ("TfL <p>ب</p> NHS", '<span lang="en" dir="ltr">TfL</span> <p>ب</p> <span dir="ltr">NHS</span>'),
    ("<p>أ > Samaritans</p>", '<p>أ > <span lang="en" dir="ltr">Samaritans</span></p>'),
    ('<html lang="ar"><body dir="rtl"><p>أ Childline</p></body></html>',
     '<html lang="ar"><body dir="rtl"><p>أ <span lang="en" dir="ltr">Childline</span></p></body></html>'),
    # Each language's name in the chooser keeps the language its link declares, whole.
    ('<a href="/sq/" hreflang="sq" lang="sq" dir="ltr">Shqip</a>', '<a href="/sq/" hreflang="sq" lang="sq" dir="ltr">Shqip</a>'),
    ('<a href="/vi/" hreflang="vi" lang="vi" dir="ltr">Tiếng Việt</a>',
     '<a href="/vi/" hreflang="vi" lang="vi" dir="ltr">Tiếng Việt</a>'),
    # A Latin word with diacritics or combining marks is never cut.
    ("<p>بالألبانية Shqip و Tiếng Việt</p>", '<p>بالألبانية <span dir="ltr">Shqip</span> و <span dir="ltr">Tiếng Việt</span></p>'),
    ("<p>و Tie\u0302\u0301ng Vie\u0323\u0302t</p>", '<p>و <span dir="ltr">Tie\u0302\u0301ng Vie\u0323\u0302t</span></p>'),
    ("<p>و Përkthim paraprak</p>", '<p>و <span dir="ltr">Përkthim paraprak</span></p>'),
])
def test_latin_runs_and_spaced_numbers_are_isolated_in_rtl_text(html, expected):
    assert isolate(html, "rtl") == expected


def test_ethiopic_text_marks_english_names_but_needs_no_number_isolation():
    assert isolate("<p>ስልክ 020 7946 0000 TfL</p>", "ltr") == \
        '<p>ስልክ 020 7946 0000 <span lang="en" dir="ltr">TfL</span></p>'


def test_each_language_gets_its_own_search_index_with_english_for_untranslated_pages():
    index = {"config": {"lang": ["en", "ar"]}, "docs": [
        {"location": "", "title": "Home", "text": "home"},
        {"location": "offer/travel/#free-bus-and-tram", "title": "Free bus", "text": "bus"},
        {"location": "ar/", "title": "الرئيسية", "text": "ar home"},
    ]}
    split = split_index(index, ["en", "ar", "vi"], "en", {"ar": {""}, "vi": set()})
    assert [d["location"] for d in split["en"]["docs"]] == ["", "offer/travel/#free-bus-and-tram"]
    assert [d["title"] for d in split["ar"]["docs"]] == ["الرئيسية", "Free bus"]
    assert split["ar"]["config"]["lang"] == ["ar"] and split["ar"]["config"]["pipeline"] == []
    assert [d["title"] for d in split["vi"]["docs"]] == ["Home", "Free bus"]


def test_translation_status_reviewed_draft_stale_missing(fixture_site):
    content = load_content(load_site(fixture_site))
    got = {(s.lang, s.page): s.status for s in translations.all_statuses(content)}
    assert got == {("ar", "index.md"): "draft", ("ar", "offer/travel.md"): "stale",
                   ("vi", "index.md"): "reviewed", ("vi", "offer/travel.md"): "missing"}


def test_editing_english_makes_its_translations_stale(fixture_site):
    page = fixture_site / "docs/en/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("You can travel free.", "You travel free."),
                    encoding="utf-8")
    content = load_content(load_site(fixture_site))
    got = {(s.lang, s.page): s.status for s in translations.all_statuses(content)}
    assert got[("ar", "index.md")] == "stale" and got[("vi", "index.md")] == "stale"


def test_mkdocs_languages_match_the_portal_language_table():
    assert REPO_SITE.language_codes == [language.code for language in languages.LANGUAGES]


@pytest.mark.parametrize("code", [language.code for language in languages.LANGUAGES[1:]])
def test_every_language_has_every_portal_string_translated(code):
    assert missing_keys(code) == []


@pytest.mark.parametrize("code", ["ps", "ti", "am"])
def test_languages_material_lacks_have_full_interface_strings(code):
    partial = (STRINGS_DIR.parents[3] / "overrides/partials/languages" / f"{code}.html").read_text(encoding="utf-8")
    for key in ("action.skip", "search.placeholder", "select.language", "footer.next", "nav", "toc", "top"):
        assert f'"{key}"' in partial, key
