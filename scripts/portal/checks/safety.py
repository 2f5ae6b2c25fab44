"""Safety checks in every language: contact details that are not configured contacts, and raw
HTML that could run code or load something from elsewhere."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from ..content.errors import Problem
from ..content.pages import SourcePage
from ..content.syntax import fenced_blocks, walk
from .prose import EMAIL, INLINE_CODE, published_fields, raw_lines

FIELD_CONTACT = "contact details"
FIELD_HTML = "unsafe HTML"

PHONE_UK = re.compile(r"(?<![\w+£$€])\(?0\d(?:[ \t.\-\u00a0]?\)?[ \t.\-\u00a0]?\d){6,9}(?!\w)")
PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|\b00)[ \t]?[1-9]\d{0,2}[ \t.\-\u00a0]?(?:\(0\)[ \t.\-\u00a0]?)?"
                                 r"\d(?:[ \t.\-\u00a0]?\d){5,13}(?!\w)")
PHONE_HELPLINE = re.compile(r"(?<![\w+£$€])116[ \t.\-\u00a0]?\d{3}(?!\w)")
TEL_LINK = re.compile(r"\btel:([^\s)\"'>]+)", re.IGNORECASE)
EMERGENCY = {"999", "112"}


def digits_of(text: str) -> str:
    """The digits of a number, in ASCII, whatever script they are written in."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if unicodedata.decimal(ch, None) is not None)


def ascii_digits(text: str) -> str:
    """The same text with digits of any script (٠٢٠, ۰۲۰) written as 0-9, so every offset stays put."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def national_number(number: str) -> str:
    """+44 20 7332 1535, 0044 (0)20..., 020 7332 1535 all become 02073321535."""
    plus = number.lstrip().startswith("+")
    digits = digits_of(number)
    if plus or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        if digits.startswith("44"):
            rest = digits[2:]
            return "0" + (rest[1:] if rest.startswith("0") else rest)
        return "+" + digits
    return digits


def is_phone_number(candidate: str) -> bool:
    number = national_number(candidate)
    if number.startswith("+"):
        return 8 <= len(number) - 1 <= 15
    if number.startswith("116"):
        return len(number) == 6
    if not number.startswith("0") or number.startswith("00"):
        return False
    if number.startswith(("0800", "0808", "0500")):
        return 8 <= len(number) <= 11
    return len(number) in (10, 11)


def check_contact_details(page: SourcePage, contacts) -> list[Problem]:
    allowed_phones = {national_number(c.phone) for c in contacts if c.phone}
    allowed_emails = {c.email.strip().lower() for c in contacts if c.email}
    problems, seen = [], set()
    lines = list(published_fields(page)) + list(raw_lines(page, include_code=True))
    for number, text in lines:
        original = unquote(text)
        plain = ascii_digits(original)
        for match in EMAIL.finditer(plain):
            email = match.group(0).rstrip(".")
            if email.lower() not in allowed_emails and (number, email.lower()) not in seen:
                seen.add((number, email.lower()))
                problems.append(Problem(page.display_path, number, FIELD_CONTACT, _email_message(email)))
        found = []
        for pattern in (PHONE_INTERNATIONAL, PHONE_UK, PHONE_HELPLINE):
            for match in pattern.finditer(plain):
                if any(match.start() < end and start < match.end() for start, end, _ in found):
                    continue
                if is_phone_number(match.group(0)):
                    found.append((match.start(), match.end(), original[match.start():match.end()].strip()))
        for match in TEL_LINK.finditer(plain):
            value = match.group(1)
            if any(start <= match.start(1) < end for start, end, _ in found):
                continue
            if digits_of(value) and digits_of(value) not in EMERGENCY:
                found.append((match.start(1), match.end(1), original[match.start(1):match.end(1)]))
        for _, _, phone in sorted(found):
            key = national_number(ascii_digits(phone))
            if key in allowed_phones or (number, key) in seen:
                continue
            seen.add((number, key))
            problems.append(Problem(page.display_path, number, FIELD_CONTACT, _phone_message(phone)))
    return problems


CONTACTS_RULE = ("Contact details live once, in mkdocs.yml under extra.contacts, and a page shows them with the "
                 "line `[[contacts]]`. Never put a person's own email address or direct phone line on a page")


def _email_message(email: str) -> str:
    return (f"'{email}' is an email address that is not one of the site's contacts. Remove it. {CONTACTS_RULE}; "
            "if a team's shared email address is missing, ask the portal team to add it there")


def _phone_message(phone: str) -> str:
    return (f"'{phone}' looks like a phone number that is not one of the site's contacts. Remove it. "
            f"{CONTACTS_RULE}; if a public service number is missing, ask the portal team to add it there")


# ---------------------------------------------------------------------------------------------
# Unsafe HTML


DANGEROUS_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|base|meta|link)\b",
                           re.IGNORECASE)
ANY_TAG = re.compile(r"<[A-Za-z][^<>]*>", re.DOTALL)
ATTRIBUTE_LIST = re.compile(r"\{:?[^{}\n]*\}")
EVENT_ATTRIBUTE = re.compile(r"(?:^|[\s/\"'{:])(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_ADDRESS = re.compile(r"(javascript|vbscript|livescript):|data:text/html", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\u00ad\u200b-\u200d\ufeff]")


def _code_blanked_body(page: SourcePage) -> str:
    """The body with code blanked out, keeping every line in its place. The words of an
    ```entitlement block are published, so they are checked like the rest of the page."""
    published = {number for block in fenced_blocks(page.body, 1, "entitlement")
                 for number in range(block.line + 1, block.end_line)}
    lines = []
    for number, text, is_code in walk(page.body):
        if is_code and number not in published:
            lines.append("")
        else:
            lines.append(INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text))
    return "\n".join(lines)


def check_unsafe_html(page: SourcePage) -> list[Problem]:
    body = _code_blanked_body(page)

    def line_of(offset: int) -> int:
        return page.body_start_line + body.count("\n", 0, offset)

    found: set[tuple[int, str]] = set()
    for match in DANGEROUS_TAG.finditer(body):
        found.add((line_of(match.start()), _tag_message(match.group(1).lower())))
    for container in (ANY_TAG, ATTRIBUTE_LIST):
        for tag in container.finditer(body):
            for event in EVENT_ATTRIBUTE.finditer(tag.group(0)):
                found.add((line_of(tag.start() + event.start(1)), _event_message(event.group(1).lower())))
    address_lines = set()
    for offset, text in enumerate(body.splitlines()):
        decoded = INVISIBLE.sub("", html.unescape(unquote(text)))
        match = SCRIPT_ADDRESS.search(decoded)
        if match:
            address_lines.add(page.body_start_line + offset)
            found.add((page.body_start_line + offset, _address_message(match.group(0).lower())))
    for tag in ANY_TAG.finditer(body):  # browsers ignore line breaks inside an address: java<newline>script:
        first, last = line_of(tag.start()), line_of(tag.end())
        match = SCRIPT_ADDRESS.search(INVISIBLE.sub("", html.unescape(unquote(tag.group(0)))))
        if match and not address_lines & set(range(first, last + 1)):
            found.add((first, _address_message(match.group(0).lower())))
    return [Problem(page.display_path, number, FIELD_HTML, message) for number, message in sorted(found)]


def _tag_message(tag: str) -> str:
    return (f"the HTML tag `<{tag}>` is not allowed on a page: it can run code or load things from other "
            "websites. Remove it and write the page in plain Markdown; for anything else, ask the portal team")


def _event_message(attribute: str) -> str:
    return (f"`{attribute}=` is not allowed: it runs code when someone uses the page. Remove it, and write the "
            "page in plain Markdown")


def _address_message(scheme: str) -> str:
    return (f"an address starting `{scheme}` runs code instead of opening a page. Remove it; a link must start "
            "https:// or mailto:, or point to a page's .md file")
