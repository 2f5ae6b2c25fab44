"""Numbers you can tap: one parser (content/phones.py) finds them; the page's article links each to
tel: or sms: (render/phone_links.py); the checks refuse a contact number that is not a UK number
or a known short code."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from portal.checks.contacts import check_contacts
from portal.configuration import load_site
from portal.content.phones import SMS_CODES, find_numbers, is_uk_or_short_code
from portal.render.phone_links import link_phone_numbers

FOUND = [
    ("Call 999. Ask for the police.", [("999", "tel:999")]),
    ("Call NHS 111, or use 111 online.", [("111", "tel:111"), ("111", "tel:111")]),
    ("call 116 123. It is free", [("116 123", "tel:116123")]),
    ("text SHOUT to 85258. It is free", [("85258", "sms:85258?body=SHOUT")]),
    ("if you are under 19, call 0800 1111.", [("0800 1111", "tel:08001111")]),
    ("on 0808 800 4444. It is free.", [("0808 800 4444", "tel:08088004444")]),
    ("اتصل بالرقم 999. اطلب الشرطة", [("999", "tel:999")]),
    ("اتصل بالرقم ١١٦ ١٢٣.", [("١١٦ ١٢٣", "tel:116123")]),
    ("ናብ 0800 1111 ደውሉ።", [("0800 1111", "tel:08001111")]),
    # Amounts, years, dates, ages, counts and parts of longer numbers are not numbers to call.
    ("Saves about £800 a year; 36 care leavers (67%) in 2024, ages 18-25, on 2026-11-30.", []),
    ("1,111 people, 111.5 km, 9999 and 1999, 85258a, page 111/2", []),
]


@pytest.mark.parametrize("text, expected", FOUND)
def test_the_parser_finds_uk_numbers_helplines_and_known_short_codes_only(text, expected):
    assert [(number.text, number.address) for number in find_numbers(text)] == expected


ARTICLE = ('<header><p>999</p></header><article class="md-content__inner md-typeset">{}</article>'
           '<footer>Call 999</footer>')


def test_numbers_in_the_article_become_links_with_digits_only_in_the_address():
    page = ARTICLE.format("<p>Samaritans: call 116 123. Text SHOUT to 85258.</p>")
    linked = link_phone_numbers(page)
    assert '<a href="tel:116123" class="portal-number" dir="ltr">116 123</a>' in linked
    assert '<a href="sms:85258?body=SHOUT" class="portal-number" dir="ltr">85258</a>' in linked
    assert linked.startswith("<header><p>999</p></header>") and linked.endswith("<footer>Call 999</footer>")


def test_links_code_and_attributes_are_left_alone():
    body = ('<p><a href="https://111.nhs.uk/">NHS 111 online</a> <code>999</code> '
            '<span title="999">x</span> <pre>0800 1111</pre> then 999</p>')
    linked = link_phone_numbers(ARTICLE.format(body))
    assert linked.count("tel:999") == 1 and "NHS 111 online</a>" in linked
    assert "<code>999</code>" in linked and '<pre>0800 1111</pre>' in linked and 'title="999"' in linked


def test_a_page_without_an_article_is_unchanged():
    assert link_phone_numbers("<p>Call 999</p>") == "<p>Call 999</p>"


@pytest.mark.parametrize("phone, ok", [
    ("999", True), ("111", True), ("116 123", True), ("0800 1111", True), ("0808 800 4444", True),
    ("020 7946 0000", True), ("+44 20 7946 0000", True),
    ("12345", False), ("+33 1 23 45 67 89", False), ("0800 11", False), ("call 999", False), ("", False),
])
def test_a_number_the_site_may_link_is_uk_or_a_known_short_code(phone, ok):
    assert is_uk_or_short_code(phone) is ok


@pytest.mark.parametrize("phone", ["+33 1 23 45 67 89", "12345", "0800 11"])
def test_make_check_refuses_a_contact_number_that_is_not_uk_or_a_known_short_code(fixture_site, phone):
    site = load_site(fixture_site)
    contact = site.contacts[0]
    contact.phone = phone
    found = [p for p in check_contacts(site) if p.field == f"extra.contacts ({contact.id}): phone"]
    assert len(found) == 1, found
    assert f"'{phone}' does not look like a UK phone number or a known short code" in found[0].message
    assert str(found[0]).startswith("mkdocs.yml:") and "0808 800 4444" in found[0].message


def test_the_real_contacts_are_all_numbers_that_can_be_linked():
    site = load_site(REPO)
    assert [p for p in check_contacts(site) if p.field.endswith(": phone")] == []


def test_the_text_message_word_is_the_one_the_contacts_and_crisis_page_give():
    site = load_site(REPO)
    notes = " ".join(c.note or "" for c in site.contacts)
    page = (REPO / "docs" / "en" / "help-now.md").read_text(encoding="utf-8")
    for code, word in SMS_CODES.items():
        assert re.search(rf"\b[Tt]ext {word} to {code}\b", notes) and f"text {word} to {code}" in page
