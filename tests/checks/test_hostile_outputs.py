"""Hostile input that reaches an output other than a page: every output is checked like a page.
The record behind the Atom feed, the contacts on the crisis page, the translators' term base and
the PO files they send back. (A failed audio run: audio/test_failed_runs.py.)"""

from __future__ import annotations

import csv
import html
import io
import os

import markdown
import pytest
from conftest import REPO
from portal.checks import check_all
from portal.checks.contacts import check_contacts
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.pages import load_content
from portal.content.settings import Contact
from portal.publish import Build, feed
from portal.render.contacts import contacts_markdown
from portal.translation import termbase
from portal.translation.exchange import export_po, import_po
from support.audio import snapshot
from support.translations import stamp_all

SITE_URL = "https://portal.example/"
WORDS = {"contacts_phone": "Phone", "contacts_hours": "Hours"}

# --- offer-changes.yml: checked entry by entry, and the feed made from it is valid Atom ---------

GOOD_ENTRY = {
    "date": "2026-01-01", "id": "free-bus-and-tram", "change": "added", "title": "Free bus and tram travel",
    "page": "offer/travel.md", "state": "available", "as_of": "2024-03", "audience": "[care-leavers]",
    "ages": "18-25", "conditions": "[]", "cost": "Free.", "source": "Fixture report, March 2024 (item 10)",
    "verified": "'2026-01-01'",
}


def with_first_entry(project, **changed) -> None:
    """A hand-edited entry before the record's own, so the offer and the record still agree after it:
    only the new checks can find it."""
    entry = {**GOOD_ENTRY, **changed}
    lines = [f"- {k}: {v}" if i == 0 else f"  {k}: {v}" for i, (k, v) in enumerate(entry.items())]
    record = project / "offer-changes.yml"
    header, _, entries = record.read_text(encoding="utf-8").partition("\n- ")
    record.write_text(header + "\n" + "\n".join(lines) + "\n- " + entries, encoding="utf-8")


HAND_EDITS = {  # case: (changed fields, field named, words the message holds)
    "an id that does not exist": ({"id": "free-money", "change": "removed"}, "id",
                                  "'free-money' is not an entitlement id in entitlements.yml"),
    "a state outside the schema": ({"state": "guaranteed"}, "entry free-bus-and-tram",
                                   "state: 'guaranteed' is not one of available, planned, pilot, aim, ended"),
    "an audience outside the schema": ({"audience": "[everyone]"}, "entry free-bus-and-tram",
                                       "audience: ['everyone'] must be a list of care-leavers"),
    "a month that is not a month": ({"as_of": "March"}, "entry free-bus-and-tram",
                                    "as_of: 'March' is not a month, YYYY-MM"),
    "an impossible date": ({"date": "2026-02-30"}, "entry", "has no 'date:' as YYYY-MM-DD"),
    "a verified date that is not a date": ({"verified": "'2026-13-01'"}, "entry free-bus-and-tram",
                                           "verified: '2026-13-01' is not a date"),
    "another page": ({"page": "'javascript:alert(1)'"}, "entry free-bus-and-tram",
                     "page: 'javascript:alert(1)' is not free-bus-and-tram's page"),
    "a control character": ({"title": '"Free\\x01 travel"'}, "entry free-bus-and-tram",
                            "title: holds a control character ('\\x01')"),
    "markup": ({"cost": '"<a href=x>Free</a>"'}, "entry free-bus-and-tram", "cost: holds markup ('<a')"),
    "words that are not words": ({"source": "{a: b}"}, "entry free-bus-and-tram", "source: must be words"),
}


@pytest.mark.parametrize("case", HAND_EDITS)
def test_a_hand_edit_of_the_offer_record_is_an_error_with_its_line(fixture_site, case):
    changed, field, words = HAND_EDITS[case]
    with_first_entry(fixture_site, **changed)
    found = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "offer-changes.yml"]
    assert [(p.line, p.field) for p in found] == [(4, field)], found
    assert words in found[0].message and "restore" in found[0].message


def built_feed(project) -> tuple[Build, object]:
    content = load_content(load_site(project))
    site_dir = project / "site"
    site_dir.mkdir(exist_ok=True)
    return Build(content, content.site, site_dir, SITE_URL, "Fixture portal"), site_dir / feed.FILE_NAME


@pytest.mark.parametrize("case", ["an id that does not exist", "a control character", "an impossible date"])
def test_a_build_never_publishes_a_feed_from_a_hand_edited_record(fixture_site, case):
    with_first_entry(fixture_site, **HAND_EDITS[case][0])
    build, published = built_feed(fixture_site)
    with pytest.raises(PortalError, match=r"offer-changes.yml:4: "):
        feed.write(build)
    assert not published.exists()


def test_a_feed_that_is_not_valid_atom_fails_the_build(fixture_site, monkeypatch):
    build, published = built_feed(fixture_site)
    document = feed.feed_document

    def without_updated(build, changes):
        made = document(build, changes)
        made.remove(made.find(f"{{{feed.ATOM}}}updated"))
        return made

    monkeypatch.setattr(feed, "feed_document", without_updated)
    with pytest.raises(PortalError) as refused:
        feed.write(build)
    assert "offer-changes.atom was not published" in str(refused.value)
    assert all(p.field == "feed" and "would not be valid Atom" in p.message for p in refused.value.problems)
    assert not published.exists()


def test_bytes_that_are_not_xml_are_named_not_a_traceback():
    with pytest.raises(PortalError, match=r"^offer-changes.yml:1: feed: offer-changes.atom would not be XML"):
        feed.validate_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'><title>\x01</title></feed>",
                           "offer-changes.yml")


# --- Contacts: plain text on the crisis page, whatever mkdocs.yml says --------------------------

CONTACT_TEXT = [  # field, value, what the check calls it
    ("note", "[Call us now](javascript:alert(1))", "a Markdown link"),
    ("note", "![x](https://evil.example/t.gif)", "a Markdown link"),
    ("hours", "<a href='https://evil.example'>Always</a>", "HTML"),
    ("name", "Help &#106;avascript", "HTML"),
    ("instead", "Go to https://evil.example until then.", "an address"),
    ("note", "Open www.evil.example now.", "an address"),
    ("hours", "javascript:alert(1)", "an address"),
    ("instead", "Write to help@evil.example.", "an email address"),
]


@pytest.mark.parametrize("field, value, what", CONTACT_TEXT)
def test_a_contact_text_field_holding_a_link_html_or_an_address_is_an_error(fixture_site, field, value, what):
    site = load_site(fixture_site)
    contact = site.contacts[0]
    setattr(contact, field, value)
    found = [p for p in check_contacts(site) if p.field == f"extra.contacts ({contact.id}): {field}"]
    assert len(found) == 1 and f"holds {what}" in found[0].message and "url:, email: or phone:" in found[0].message


def test_the_real_contacts_are_plain_text():
    assert [p for p in check_contacts(load_site(REPO)) if "holds" in p.message] == []


@pytest.mark.parametrize("field, value", [
    ("note", "[Call us now](javascript:alert(1))"),
    ("hours", "![x](https://evil.example/t.gif)"),
    ("name", "**Loud** and `code` and {: onclick=alert(1) }"),
])
def test_an_unchecked_contact_is_rendered_as_the_words_it_holds_never_as_a_link(field, value):
    contact = Contact(id="trap", name="Trap", group="help-now", confirmed=False, instead="Wait.")
    setattr(contact, field, value)
    rendered = markdown.markdown(contacts_markdown([contact], "help-now", WORDS),
                                 extensions=["md_in_html", "attr_list", "tables"])
    assert "<a " not in rendered and "<img" not in rendered and "<strong>Loud" not in rendered
    assert "<code>" not in rendered and "onclick=" not in rendered.replace("onclick=alert", "")
    assert value in html.unescape(rendered), rendered


# --- The term base: a cell is never a spreadsheet formula ---------------------------------------

@pytest.mark.parametrize("cell, shown", [
    ('=HYPERLINK("https://evil.example","Click")', '\'=HYPERLINK("https://evil.example","Click")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
])
def test_a_term_base_cell_that_would_be_a_formula_is_written_as_text(monkeypatch, cell, shown):
    monkeypatch.setattr(termbase, "termbase_rows", lambda content: [["en", "ar"], [cell, cell]])
    rows = list(csv.reader(io.StringIO(termbase.termbase_csv(None), newline="")))
    assert rows == [["en", "ar"], [shown, shown]]


def test_a_cell_starting_with_a_carriage_return_is_text_too():
    assert termbase.inert("\r=1+1") == "'\r=1+1"


def test_words_that_only_hold_a_sign_are_left_as_they_are():  # a guard: nothing else is changed
    assert [termbase.inert(c) for c in ("Pathway plan", "Care = help", "leaving-care")] == \
        ["Pathway plan", "Care = help", "leaving-care"]


def test_a_glossary_heading_in_the_term_base_is_not_a_formula(fixture_site, write_page):
    write_page("en/glossary.md", "---\ntitle: Words\ndescription: Words we use.\n---\n\n"
                                 '## =HYPERLINK("https://evil.example","x") {#trap}\n\nA trap.\n')
    csv_text = termbase.termbase_csv(load_content(load_site(fixture_site)))
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert '\'=HYPERLINK("https://evil.example","x")' in [row[0] for row in rows]
    assert not any(cell.startswith(termbase.FORMULA_STARTS) for row in rows for cell in row)


# --- PO files: into the language they are in, and no longer than a translation can be -----------

def vietnamese_marked_arabic(project, tmp_path, name: str, team: str | None) -> object:
    """A Vietnamese translator's file whose Language header says Arabic."""
    stamp_all(project)
    po = export_po(load_content(load_site(project)), "vi")
    entry = next(e for e in po if e.msgctxt == "index.md#title")
    entry.msgstr = "Chào mừng"
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.metadata["Language"] = "ar"
    if team is not None:
        po.metadata["Language-Team"] = team
    path = tmp_path / name
    po.save(str(path))
    return path


@pytest.mark.parametrize("name, team, says", [
    ("vi.po", "Vietnamese translators", "the file name says vi (Vietnamese)"),
    ("vi-reviewed.po", None, "the file name says vi (Vietnamese)"),
    ("translation.po", None, "the Language-Team header says vi (Vietnamese)"),
    ("from-agency.po", "Vietnamese <team@agency.example>", "the Language-Team header says vi (Vietnamese)"),
])
def test_a_po_file_whose_language_header_disagrees_with_the_file_is_refused(fixture_site, tmp_path, name, team,
                                                                           says):
    path = vietnamese_marked_arabic(fixture_site, tmp_path, name, team)
    before = snapshot(fixture_site / "docs")
    with pytest.raises(PortalError) as refused:
        import_po(load_content(load_site(fixture_site)), path)
    message = str(refused.value)
    assert f"{path.name}:" in message and "Language: the header says ar (Arabic)" in message and says in message
    assert "nothing was written" in message
    assert snapshot(fixture_site / "docs") == before


@pytest.mark.parametrize("size, refused", [(10, False), (207, False), (208, True), (1_000_000, True)])
def test_a_translation_far_longer_than_its_english_is_refused(fixture_site, tmp_path, size, refused):
    stamp_all(fixture_site)
    po = export_po(load_content(load_site(fixture_site)), "ar")
    entry = next(e for e in po if e.msgctxt == "index.md#title")  # "Welcome": 7 characters
    entry.msgstr = "م" * size
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(tmp_path / "ar.po"))
    page = fixture_site / "docs/ar/index.md"
    before = page.read_bytes()
    if not refused:
        import_po(load_content(load_site(fixture_site)), tmp_path / "ar.po")
        assert "م" * size in page.read_text(encoding="utf-8")
        return
    with pytest.raises(PortalError) as raised:
        import_po(load_content(load_site(fixture_site)), tmp_path / "ar.po")
    assert (f"unit index.md#title: the translation is {size} characters for 7 of English, over the limit of 207 "
            "(3 times the English, or the English and 200 characters, whichever is more)") in str(raised.value)
    assert page.read_bytes() == before and os.path.getsize(page) < 10_000
