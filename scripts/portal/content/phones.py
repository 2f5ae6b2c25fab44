"""Phone numbers: the one parser that the checks, the page links and the speech text share.

A number is a UK number (0 and 10 or 11 digits, such as 020 7946 0000 or 0808 800 4444; 0800 and
0808 may be shorter, such as 0800 1111), a harmonised helpline (116 123) or one of the short codes
below. The checks refuse any other number in mkdocs.yml's contacts; a page links each number it
finds to tel: (or sms:), and its speech reads the digits one by one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SEPARATOR = r"[ \t.\-\u00a0]"
PHONE_UK = re.compile(r"(?<![\w+£$€])\(?0\d(?:[ \t.\-\u00a0]?\)?[ \t.\-\u00a0]?\d){6,9}(?!\w)")
PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|\b00)[ \t]?[1-9]\d{0,2}[ \t.\-\u00a0]?(?:\(0\)[ \t.\-\u00a0]?)?"
                                 r"\d(?:[ \t.\-\u00a0]?\d){5,13}(?!\w)")
PHONE_HELPLINE = re.compile(r"(?<![\w+£$€])116[ \t.\-\u00a0]?\d{3}(?!\w)")
EMERGENCY = {"999", "112"}
# Short codes the site may show, each with the service that publishes it (help-now.md, extra.contacts).
SHORT_CODES = {"999": "emergency services", "112": "emergency services", "111": "NHS 111", "85258": "Shout"}
# Codes that take a text message, and the word the service asks for: "text SHOUT to 85258".
SMS_CODES = {"85258": "SHOUT"}
# A short code standing alone: not part of a longer number, an amount, a date or an address.
SHORT_CODE = re.compile(r"(?<![\w+£$€.,:/\-])(" + "|".join(sorted(SHORT_CODES, key=len, reverse=True)) +
                        r")(?![\w£%]|[.,:/\-]\d)")


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


def is_uk_or_short_code(candidate: str) -> bool:
    """A number the site may publish and link: a UK number, a 116 helpline or a known short code."""
    if not re.fullmatch(r"[\d \t.\-\u00a0()+]+", candidate.strip() or "x"):
        return False
    number = national_number(candidate)
    return number in SHORT_CODES or (not number.startswith("+") and is_phone_number(number))


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    text: str  # as written
    address: str  # tel:116123, or sms:85258?body=SHOUT

    @property
    def digits(self) -> str:
        return digits_of(self.text)


def find_numbers(text: str) -> list[Number]:
    """Every UK number, 116 helpline and known short code in the text, in order, none overlapping.
    An international number is left alone: the checks refuse it on a page and in the contacts."""
    plain = ascii_digits(text)
    found: list[Number] = []
    for pattern in (PHONE_UK, PHONE_HELPLINE, SHORT_CODE):
        for match in pattern.finditer(plain):
            start, end = match.span()
            written = text[start:end]
            if written.startswith("("):
                continue  # "(020) ..." is not how the pages write numbers; the check names it instead
            if any(start < other.end and other.start < end for other in found):
                continue
            if pattern is not SHORT_CODE and not is_phone_number(written):
                continue
            digits = digits_of(written)
            address = f"sms:{digits}?body={SMS_CODES[digits]}" if digits in SMS_CODES else f"tel:{digits}"
            found.append(Number(start, end, written, address))
    return sorted(found, key=lambda number: number.start)
