"""Each page's last changes (publish.finished): what they do, and that the kept result is exactly
what the chain makes, made again whenever the page, a setting or the code changes."""

from __future__ import annotations

import pytest
from portal.publish import finished
from portal.publish.finished import FinishedPages, PageSettings, finish
from portal.publish.headers import ScriptAllowlist, UnknownScriptError, script_hash
from portal.render.html import collapse_whitespace

THEME_SCRIPT = "var theme = 1;"
ALLOWED = ScriptAllowlist(frozenset({script_hash(THEME_SCRIPT)}), ())
PAGE = f"""<html><head><meta charset="utf-8">
<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">
<link rel="alternate" href="../../vi/page/" hreflang="vi"></head>
<body><div class="md-search" data-md-component="search" role="dialog">
<input class="md-search__input" name="query" aria-label="ابحث"></div>
<h1 id="title" class="md-title">الحافلة Transport for London</h1>
<a href="https://www.tfl.gov.uk/">TfL</a><img src="../assets/images/logo.png">
<script>{THEME_SCRIPT}</script>
<script src="../assets/javascripts/bundle.1234abcd.min.js"></script>
<script src="../assets/portal.js"></script></body></html>"""


def settings(**changes) -> PageSettings:
    values = {"address": "https://example.org/ar/page/", "where": "ar/page.md", "site_url": "https://example.org/",
              "allowed": ALLOWED, "direction": "rtl"}
    return PageSettings(**{**values, **changes})


def test_the_chain_makes_every_last_change_and_notes_what_the_writers_need():
    page = finish(PAGE, settings())
    assert '<span lang="en" dir="ltr">Transport for London</span>' in page.html
    assert 'href="https://example.org/vi/page/" hreflang="vi"' in page.html
    assert 'role="dialog" aria-label="ابحث">' in page.html
    assert "Content-Security-Policy" in page.html and script_hash(THEME_SCRIPT) in page.html
    assert '<a rel="noopener noreferrer" href="https://www.tfl.gov.uk/">' in page.html
    assert 'data-bundle="../assets/javascripts/bundle.1234abcd.min.js"' in page.html
    assert page.script_hashes == [script_hash(THEME_SCRIPT)]
    assert {"md-title", "title", "md-search__input"} <= set(page.attribute_values)
    assert page.addresses == ["../assets/stylesheets/main.0123abcd.min.css", "../assets/images/logo.png",
                              "../assets/portal.js", "../assets/javascripts/bundle.1234abcd.min.js"]


def test_the_templates_indentation_goes_and_what_shows_stays():
    page = ("<html>\n  <head>\n    <title>\n      Travel\n    </title>\n"
            '    <script>\n  var a = 1;\n\n  var b = 2;\n    </script>\n  </head>\n  <body>\n\n\n'
            '    <p>One\n      <a href="x">two</a>\n\n      three\u00a0\n\u00a0four</p>\n'
            '    <pre>  kept\n\n    as written</pre>\n    <p title="a\n   b">Code: <code>x\n    y</code></p>\n'
            "    <textarea>\n  typed\n</textarea>\n  </body>\n</html>\n")
    assert collapse_whitespace(page) == (
        "<html>\n<head>\n<title>\nTravel\n</title>\n"
        '<script>\n  var a = 1;\n\n  var b = 2;\n    </script>\n</head>\n<body>\n'
        '<p>One\n<a href="x">two</a>\nthree\u00a0\n\u00a0four</p>\n'
        '<pre>  kept\n\n    as written</pre>\n<p title="a\n   b">Code: <code>x\n    y</code></p>\n'
        "<textarea>\n  typed\n</textarea>\n</body>\n</html>\n")
    assert collapse_whitespace("no tags\n   at all ") == "no tags\nat all "
    assert "\n    " not in finish(PAGE.replace("\n", "\n    "), settings()).html.split("<script>")[0]


def test_a_page_in_latin_script_is_not_isolated():
    assert "<span lang=" not in finish(PAGE, settings(direction=None)).html


def test_a_kept_page_is_what_the_chain_makes_and_is_not_made_twice(tmp_path, monkeypatch):
    made = []
    monkeypatch.setattr(finished, "finish", lambda html, s: made.append(html) or finish(html, s))
    first = FinishedPages(tmp_path).finish(PAGE, settings())
    again = FinishedPages(tmp_path).finish(PAGE, settings())
    assert again == first == finish(PAGE, settings())
    assert len(made) == 1, "the second build read the kept page"


@pytest.mark.parametrize("change", [
    {"html": PAGE.replace("TfL", "Transport")},
    {"direction": None},
    {"address": "https://example.org/ar/other/"},
    {"site_url": "https://www.tfl.gov.uk/"},
    {"allowed": ScriptAllowlist(frozenset({script_hash(THEME_SCRIPT), script_hash("x")}), ())},
    {"code": "another fingerprint"},
], ids=["page", "direction", "address", "site address", "allowed scripts", "code"])
def test_any_change_makes_the_page_again(tmp_path, monkeypatch, change):
    FinishedPages(tmp_path).finish(PAGE, settings())
    html = change.pop("html", PAGE)
    if "code" in change:
        code = change.pop("code")
        monkeypatch.setattr(finished, "package_fingerprint", lambda: code)
    made = []
    monkeypatch.setattr(finished, "finish", lambda h, s: made.append(h) or finish(h, s))
    result = FinishedPages(tmp_path).finish(html, settings(**change))
    assert made == [html]
    assert result == finish(html, settings(**change))


def test_a_damaged_kept_page_is_made_again(tmp_path):
    FinishedPages(tmp_path).finish(PAGE, settings())
    (kept,) = tmp_path.glob("*.page")
    kept.write_bytes(b"not json\n<p>half")
    assert FinishedPages(tmp_path).finish(PAGE, settings()) == finish(PAGE, settings())


def test_a_refused_page_is_never_kept_and_stops_every_build(tmp_path):
    bad = PAGE.replace(THEME_SCRIPT, "alert(1)")
    for _ in range(2):
        with pytest.raises(UnknownScriptError, match="ar/page.md"):
            FinishedPages(tmp_path).finish(bad, settings())
    assert not list(tmp_path.glob("*.page"))


def test_prune_keeps_only_what_this_build_used(tmp_path):
    FinishedPages(tmp_path).finish(PAGE, settings())
    FinishedPages(tmp_path).finish(PAGE, settings(direction=None))
    assert len(list(tmp_path.glob("*.page"))) == 2
    (tmp_path / "0123.json").write_text("{}", encoding="utf-8")  # left by an older portal
    latest = FinishedPages(tmp_path)
    latest.finish(PAGE, settings(direction=None))
    latest.prune()
    assert not (tmp_path / "0123.json").exists()
    (kept,) = tmp_path.glob("*.page")
    assert FinishedPages(tmp_path).finish(PAGE, settings(direction=None)) == finish(PAGE, settings(direction=None))
    assert list(tmp_path.glob("*.page")) == [kept]
