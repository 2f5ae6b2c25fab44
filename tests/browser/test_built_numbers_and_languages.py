"""Every built page, read back as HTML: each phone number is a tel: or sms: link, and on every
right-to-left page no non-English text is marked English and no word is cut across elements. Over
the real site (the build the browser tests use) and the small fixture site."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from portal.content.phones import find_numbers
from portal.content.terms import protected_terms
from support.builds import build_site

LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"
RTL = ("ar", "fa", "ps", "ku")
SILENT = {"script", "style", "title", "code", "pre", "textarea", "svg"}
# Parts that are English by construction: an untranslated page, a contact's words, an English clip's note.
# English on purpose: an untranslated page, the contacts' English words, and a fact's source (the English
# title of a committee report).
ENGLISH_PARTS = ("portal-fallback", "portal-contacts", "portal-source")


class Reader(HTMLParser):
    """Text runs with what encloses them: the links, the language marks and the classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.runs: list[tuple[str, list[tuple[str, dict]]]] = []
        self.boundaries: list[str] = []  # the text on each side of an inline element's edge

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append((tag, dict(attrs)))
        self.boundaries.append("|")

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        self.boundaries.append("|")

    def handle_data(self, data):
        self.runs.append((data, list(self.stack)))
        self.boundaries.append(data)


def read(path: Path) -> Reader:
    reader = Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.glob("**/index.html")) if "/go/" not in p.as_posix() and "__test__" not in p.parts]


def unlinked_numbers(site: Path) -> list[str]:
    found = []
    for path in pages(site):
        for text, stack in read(path).runs:
            tags = [tag for tag, _ in stack]
            if "body" not in tags or SILENT & set(tags) or "header" in tags:
                continue
            links = [attrs.get("href", "") for tag, attrs in stack if tag == "a"]
            for number in find_numbers(text):
                # "NHS 111 online", a link to 111.nhs.uk, names the service's website: not a number to call.
                if any(href.startswith(("tel:", "sms:")) or number.digits in href for href in links):
                    continue
                found.append(f"{path.relative_to(site)}: {number.text!r} in {text.strip()[:60]!r}")
    return found


def mislabelled_and_cut(site: Path) -> list[str]:
    names = set(protected_terms())
    problems = []
    for code in RTL:
        for path in pages(site / code):
            reader = read(path)
            for text, stack in reader.runs:
                marked = [(tag, attrs) for tag, attrs in stack if attrs.get("lang") == "en"]
                if not marked or not text.strip():
                    continue
                classes = " ".join(attrs.get("class", "") for _, attrs in stack)
                if any(part in classes for part in ENGLISH_PARTS):
                    continue
                if all(piece.strip() in names for piece in re.split(r",", text) if piece.strip()):
                    continue
                problems.append(f"{path.relative_to(site)}: {text.strip()[:40]!r} is marked English")
            for link_text, stack in reader.runs:
                for tag, attrs in stack:
                    if "md-select__link" in attrs.get("class", "") and attrs.get("lang") not in (None, "en") \
                            and any(a.get("lang") == "en" for _, a in stack):
                        problems.append(f"{path.relative_to(site)}: {link_text!r} in the language chooser is marked English")
            pieces = reader.boundaries
            for before, edge, after in zip(pieces, pieces[1:], pieces[2:]):
                if edge == "|" and re.search(f"[{LATIN}]$", before) and re.match(f"^[{LATIN}]", after):
                    problems.append(f"{path.relative_to(site)}: a word is cut: {before[-10:]!r}|{after[:10]!r}")
    return problems


@pytest.fixture(scope="module")
def fixture_built(tmp_path_factory) -> Path:
    from conftest import copy_fixture_site

    return build_site(copy_fixture_site(tmp_path_factory.mktemp("numbers") / "project"))


@pytest.mark.browser
def test_every_phone_number_on_the_real_site_is_a_link_to_call_or_text(site_dir):
    assert unlinked_numbers(site_dir) == []
    crisis = (site_dir / "ar" / "help-now" / "index.html").read_text(encoding="utf-8")
    assert 'href="sms:85258?body=SHOUT"' in crisis and 'href="tel:116123"' in crisis


@pytest.mark.build
def test_every_phone_number_on_the_fixture_site_is_a_link(fixture_built):
    assert unlinked_numbers(fixture_built) == []


@pytest.mark.browser
def test_no_non_english_text_is_marked_english_and_no_word_is_cut_on_right_to_left_pages(site_dir):
    assert mislabelled_and_cut(site_dir) == []
    home = (site_dir / "fa" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'lang="sq" dir="ltr"\s+class="md-select__link">Shqip</a>', home)
    assert re.search(r'lang="vi" dir="ltr"\s+class="md-select__link">Tiếng Việt</a>', home)


@pytest.mark.build
def test_the_fixture_site_right_to_left_pages_mark_no_other_language_english(fixture_built):
    assert mislabelled_and_cut(fixture_built) == []
