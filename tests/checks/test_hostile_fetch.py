"""Hostile input that would make the build read a file or fetch an address: file: addresses,
rel="attachment" (WeasyPrint embeds the file in the booklet) and files written into the page as
data: addresses. `make check` refuses them in every language, and so does the import of a
translator's PO file, with the same rule (checks/safety.py). What the booklet renderer does if one
got through anyway: publish/test_booklets_hostile.py."""

from __future__ import annotations

import polib
import pytest
from portal.checks import check_all
from portal.checks.safety import check_unsafe_html
from portal.configuration import load_site
from portal.content.errors import ERROR, PortalError
from portal.content.pages import load_content, parse_page
from portal.translation.exchange import export_po, import_po
from support.translations import stamp_all

FRONT = "---\ntitle: Money\ndescription: Help with money.\n---\n"  # the body starts on line 5
PNG = "data:image/png;base64,iVBORw0KGgo="
SVG = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="


def unsafe(text: str, rel: str = "x.md", lang: str = "en"):
    return check_unsafe_html(parse_page(f"docs/{lang}/{rel}", lang, rel, text))


EMBEDDED = [
    ("markdown link to a file", "[notes](file:///etc/hostname)", 5, "points to a file on the computer"),
    ("reference link to a file", "See [notes][n].\n\n[n]: file:///etc/hostname", 7, "points to a file"),
    ("a tag to a file", '<a href="file:///etc/hostname">notes</a>', 5, "points to a file"),
    ("upper case, no slashes", "[notes](FILE:etc/hostname)", 5, "points to a file"),
    ("entity-encoded scheme", '<a href="&#102;ile:///etc/hostname">notes</a>', 5, "points to a file"),
    ("image from a file", '<img src="file:///home/runner/.git/config" alt="">', 5, "points to a file"),
    ("file in srcset", '<img src="a.png" srcset="file:///etc/hostname 2x" alt="">', 5, "points to a file"),
    ("svg image from a file", '<svg><image href="file:///etc/hostname"/></svg>', 5, "points to a file"),
    ("rel attachment", '<a rel="attachment" href="https://www.gov.uk/form">form</a>', 5, 'Remove rel="attachment"'),
    ("rel attachment among others", 'Hi\n\n<a rel="nofollow ATTACHMENT" href="x.md">y</a>', 7,
     'Remove rel="attachment"'),
    ("attribute list attachment", "[form](https://www.gov.uk/form){: rel=\"attachment\" }", 5,
     'Remove rel="attachment"'),
    ("data image", f'<img src="{PNG}" alt="">', 5, "holds a whole file in a data: address"),
    ("markdown data image", f"![Logo]({SVG})", 5, "data: address"),
    ("data in srcset", f'<img src="a.png" srcset="{PNG} 2x" alt="">', 5, "data: address"),
    ("data link", '<a href="data:text/html;base64,PHA+aGk8L3A+">open</a>', 5, "data: address"),
    ("data video poster", f'<video src="v.mp4" poster="{PNG}"></video>', 5, "data: address"),
    ("svg image in data", f'<svg><image href="{SVG}"/></svg>', 5, "data: address"),
    ("second image, data", f'<p><img src="a.png" alt=""></p>\n\n<img src="{SVG}" alt="">', 7, "data: address"),
]


@pytest.mark.parametrize("case, body, line, words", EMBEDDED, ids=[c[0] for c in EMBEDDED])
def test_a_file_attachment_or_data_address_in_content_is_an_error(case, body, line, words):
    found = [p for p in unsafe(FRONT + body + "\n") if p.field == "embedded file"]
    assert found and found[0].line == line and words in found[0].message, found
    assert all(p.severity == ERROR and p.path == "docs/en/x.md" for p in found)


HARMLESS = [
    "[GOV.UK](https://www.gov.uk/) and [travel](offer/travel.md#free-bus-and-tram)",
    "Profile: your file: a data: point. File: the form.",  # words, not addresses
    "```\n[notes](file:///etc/hostname)\n```",
    "Write `<a rel=\"attachment\" href=\"data:x\">` to break the rules.",
    '<a rel="nofollow noopener" href="https://www.gov.uk/">GOV.UK</a>',
    "![Map](../assets/map.png)",
]


def test_only_the_address_is_named_not_ordinary_links_words_or_code():
    body = "\n\n".join(HARMLESS) + "\n\n[notes](file:///etc/hostname)\n"
    found = [p for p in unsafe(FRONT + body) if p.field == "embedded file"]
    assert [p.line for p in found] == [FRONT.count("\n") + body.count("\n")], found


def test_the_check_refuses_them_in_a_translation(fixture_site, write_page):
    write_page("ar/offer/travel.md", '---\ntitle: السفر\ndescription: سفر.\ntranslation:\n'
                                     '  source_hash: "000000000000"\n  status: draft\n---\n'
                                     'مرحبا\n\n<a rel="attachment" href="file:///etc/hostname">ملاحظات</a>\n')
    found = [p for p in check_all(load_content(load_site(fixture_site)))
             if p.path == "docs/ar/offer/travel.md" and p.field == "embedded file"]
    assert [p.line for p in found] == [10, 10], found
    assert {"points to a file" in p.message or 'Remove rel="attachment"' in p.message for p in found} == {True}


# --- A translator's PO file -------------------------------------------------------------------

PO_UNITS = [
    ("#top/p1", 'التنقل في لندن. <a rel="attachment" href="file:///etc/hostname">ملاحظات</a>',
     'Remove rel="attachment"'),
    ("#top/p1", f"التنقل في لندن. ![شعار]({PNG})", "data: address"),
    ("#top/p1", "التنقل في لندن. [ملاحظات](file:///home/runner/work/portal/.git/config)", "points to a file"),
    ("#top/p1", '<link rel="stylesheet" href="data:text/css,@import url(https://evil.example/x.css)">',
     "`<link>` is not allowed"),
    ("#top/p1", '<iframe src="file:///etc/hostname"></iframe>', "`<iframe>` is not allowed"),
    ("free-bus-and-tram/step1", '<img src="http://127.0.0.1:8000/t.png" alt="">', "loads an image"),
    ("#title", "السفر <img src=x onerror=alert(1)>", "`onerror=` is not allowed"),
]


@pytest.mark.parametrize("unit, translation, words", PO_UNITS, ids=[f"{u} {w}" for u, _, w in PO_UNITS])
def test_a_po_unit_with_what_check_refuses_is_not_imported(fixture_site, tmp_path, unit, translation, words):
    stamp_all(fixture_site)
    po = export_po(load_content(load_site(fixture_site)), "ar", ["offer/travel.md"])
    entry = next(e for e in po if e.msgctxt.endswith(unit))
    entry.msgstr = translation
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    po.save(str(tmp_path / "ar.po"))
    page = fixture_site / "docs/ar/offer/travel.md"
    before = page.read_text(encoding="utf-8")
    with pytest.raises(PortalError) as refused:
        import_po(load_content(load_site(fixture_site)), tmp_path / "ar.po")
    assert page.read_text(encoding="utf-8") == before
    line = next(e.linenum for e in polib.pofile(str(tmp_path / "ar.po")) if e.msgctxt == entry.msgctxt)
    named = [p for p in refused.value.problems if words in p.message]
    assert named and named[0].field == f"unit {entry.msgctxt}" and named[0].line == line, refused.value.problems
    assert str(named[0]).startswith(f"{tmp_path / 'ar.po'}:{line}: unit offer/travel.md")
