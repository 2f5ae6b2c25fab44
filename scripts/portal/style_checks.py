"""Style and safety checks: contact details, unsafe HTML, plain English, jargon, spelling; release blockers.

Every problem is worded for the member of staff who edits the page: what is wrong, and how to fix it.

- Contact details (every language): email addresses and phone numbers that are not in mkdocs.yml
  under extra.contacts are errors, in the text and in link targets (mailto:, tel:).
- Unsafe HTML (every language): raw HTML that could run code or load something from elsewhere.
- Plain English (English pages): long sentences are warnings; a page whose Flesch reading ease is
  below extra.portal.reading_ease_min is an error, unless its front matter gives a
  reading_ease_exception with a reason.
- Jargon (English pages): a term in words/jargon.yml is an error unless a link to the glossary on
  the same line has the term in its text. The glossary page itself is where terms are explained.
- Spelling (English pages): pyspellchecker's English dictionary, British spellings of the words it
  knows, and the project's own words in words/words.txt; American spellings in words/american.yml
  are errors.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from markdown.extensions.toc import slugify

from .content import FENCE, SourcePage
from .problems import WARNING, Problem

WORDS_DIR = Path(__file__).parent / "words"
WORD_LIST = WORDS_DIR / "words.txt"
JARGON_FILE = WORDS_DIR / "jargon.yml"
AMERICAN_FILE = WORDS_DIR / "american.yml"
GLOSSARY = "glossary.md"

READING_EASE_MIN = 60          # default for extra.portal.reading_ease_min
READING_EASE_MIN_WORDS = 50    # Flesch means little on fewer words than this
SENTENCE_WORDS_MAX = 25        # default for extra.portal.sentence_words_max
EXCEPTION_REASON_MIN = 10      # characters in a reading_ease_exception reason
CONFIG = "mkdocs.yml"

FIELD_CONTACT = "contact details"
FIELD_HTML = "unsafe HTML"
FIELD_SENTENCE = "plain English"
FIELD_EASE = "reading ease"
FIELD_EXCEPTION = "reading_ease_exception"
FIELD_JARGON = "jargon"
FIELD_SPELLING = "spelling"


# ---------------------------------------------------------------------------------------------
# Entry points


def check_style(content) -> list[Problem]:
    """Every style and safety problem in the content (a checks.Content)."""
    site = content.site
    settings, problems = style_settings(site)
    glossary = content.english().get(GLOSSARY)
    for lang, pages in content.pages.items():
        for page in pages.values():
            problems += check_contact_details(page, site.contacts)
            problems += check_unsafe_html(page)
            if lang == site.default_language:
                problems += check_plain_english(page, settings)
                problems += check_jargon(page, glossary)
                problems += check_spelling(page)
    return problems


@dataclass(frozen=True)
class StyleSettings:
    reading_ease_min: float = READING_EASE_MIN
    sentence_words_max: int = SENTENCE_WORDS_MAX


def style_settings(site) -> tuple[StyleSettings, list[Problem]]:
    portal = (site.extra or {}).get("portal") or {}
    problems = []
    ease = portal.get("reading_ease_min", READING_EASE_MIN)
    if isinstance(ease, bool) or not isinstance(ease, (int, float)) or not 0 <= ease <= 100:
        problems.append(Problem(CONFIG, 1, "extra.portal.reading_ease_min",
                                f"{ease!r} is not a number from 0 to 100; for example {READING_EASE_MIN}"))
        ease = READING_EASE_MIN
    longest = portal.get("sentence_words_max", SENTENCE_WORDS_MAX)
    if isinstance(longest, bool) or not isinstance(longest, int) or longest < 5:
        problems.append(Problem(CONFIG, 1, "extra.portal.sentence_words_max",
                                f"{longest!r} is not a whole number of words of 5 or more; for example "
                                f"{SENTENCE_WORDS_MAX}"))
        longest = SENTENCE_WORDS_MAX
    return StyleSettings(float(ease), longest), problems


# ---------------------------------------------------------------------------------------------
# Reading a page: raw lines, published front matter, and the words a reader reads


def raw_lines(page: SourcePage, include_code: bool):
    """(line number, text) for every body line; fenced code only when include_code."""
    in_fence = False
    for offset, text in enumerate(page.body.splitlines()):
        if FENCE.match(text):
            in_fence = not in_fence
            if include_code:
                yield page.body_start_line + offset, text
            continue
        if include_code or not in_fence:
            yield page.body_start_line + offset, text


def published_fields(page: SourcePage):
    """(line number, text) for the front matter readers see: title and description."""
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str):
            yield page.line_of(key), value


INLINE_CODE = re.compile(r"(`+)(.+?)\1")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
ATTR_BLOCK = re.compile(r"\{:?\s*[#.:\w][^{}]*\}")
PLACEHOLDER = re.compile(r"\[\[[^\]]*\]\]")
IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
INLINE_LINK = re.compile(r"\[([^\]]*)\]\(((?:[^()\s]|\([^)]*\))*)(?:\s+\"[^\"]*\")?\)")
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
AUTOLINK = re.compile(r"<(?:https?|mailto|tel):[^>]*>", re.IGNORECASE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
UNCLOSED_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?$")
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*")
HEADING_MARK = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
QUOTE_MARK = re.compile(r"^\s*(?:>\s?)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
EMPHASIS = re.compile(r"(?<![^\W_])[*_~]+|[*_~]+(?![^\W_])")


@dataclass
class ProseLine:
    line: int
    text: str                  # what a reader reads on the line
    glossary_terms: list[str]  # the text of each link to the glossary on the line
    starts_block: bool         # a new paragraph, list item, heading or table cell starts here
    cells: list[str] | None = None


def prose_lines(page: SourcePage) -> list[ProseLine]:
    """The words a reader reads, line by line: no code, link targets, {#id} blocks or HTML tags."""
    result: list[ProseLine] = []
    previous_blank = True
    in_comment = in_tag = False
    for number, raw in raw_lines(page, include_code=False):
        text = raw
        if in_comment:
            if "-->" not in text:
                continue
            text = text.split("-->", 1)[1]
            in_comment = False
        if in_tag:  # the rest of an HTML tag that started on an earlier line
            if ">" not in text:
                continue
            text = text.split(">", 1)[1]
            in_tag = False
        if "<!--" in text and "-->" not in text.split("<!--", 1)[1]:
            text = text.split("<!--", 1)[0]
            in_comment = True
        open_tag = UNCLOSED_TAG.search(text)
        if open_tag:
            text = text[:open_tag.start()]
            in_tag = True
        if not text.strip():
            previous_blank = True
            continue
        if REFERENCE_DEFINITION.match(text) or TABLE_RULE.match(text):
            previous_blank = True
            continue
        glossary = [m.group(1) for m in INLINE_LINK.finditer(INLINE_CODE.sub(" ", text))
                    if _is_glossary_link(m.group(2))]
        starts = previous_blank
        heading = HEADING_MARK.match(text)
        if heading:
            text, starts = heading.group(2), True
        admonition = ADMONITION.match(text)
        if admonition:
            text, starts = ADMONITION.sub("", text), True
        if QUOTE_MARK.match(text):
            text = QUOTE_MARK.sub("", text)
        if LIST_MARK.match(text):
            text, starts = LIST_MARK.sub("", text), True
        cleaned = clean_inline(text)
        previous_blank = False
        cells = None
        if text.lstrip().startswith("|") or text.count(" | ") >= 1:
            cells = [cell for cell in (c.strip() for c in cleaned.split("|")) if cell]
            starts = True
            previous_blank = True  # each row is its own set of blocks
        if heading or admonition:
            previous_blank = True  # a heading or an admonition's title stands alone
        result.append(ProseLine(number, cleaned, glossary, starts, cells))
    return result


def clean_inline(text: str) -> str:
    text = INLINE_CODE.sub(" ", text)
    text = HTML_COMMENT.sub(" ", text)
    text = ATTR_BLOCK.sub(" ", text)
    text = PLACEHOLDER.sub(" ", text)
    text = IMAGE.sub(lambda m: m.group(1), text)
    text = INLINE_LINK.sub(lambda m: m.group(1), text)
    text = REFERENCE_LINK.sub(lambda m: m.group(1), text)
    text = AUTOLINK.sub(" ", text)
    text = HTML_TAG.sub(" ", text)
    text = URL.sub(" ", text)
    text = EMAIL.sub(" ", text)
    text = html.unescape(text)
    text = EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_glossary_link(target: str) -> bool:
    parts = urlsplit(target)
    return not parts.scheme and posixpath.basename(parts.path) == GLOSSARY and bool(parts.fragment)


@dataclass
class Block:
    """A paragraph, list item, heading or table cell: its text and the line each part starts on."""

    text: str
    starts: list[tuple[int, int]]  # (offset in text, line number)

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


def blocks(page: SourcePage) -> list[Block]:
    found: list[Block] = []
    current: Block | None = None
    for prose in prose_lines(page):
        if prose.cells is not None:
            found += [Block(cell, [(0, prose.line)]) for cell in prose.cells]
            current = None
            continue
        if not prose.text:
            continue
        if prose.starts_block or current is None:
            current = Block(prose.text, [(0, prose.line)])
            found.append(current)
        else:
            current.starts.append((len(current.text) + 1, prose.line))
            current.text += " " + prose.text
    return found


SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[^\W_a-z]|\s*$)")
NOT_AN_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|e\.g|i\.e))[.]$", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str
    words: tuple[str, ...]


def sentences(block: Block) -> list[Sentence]:
    found = []
    start = 0
    text = block.text
    ends = [m.end() for m in SENTENCE_END.finditer(text) if not NOT_AN_END.search(text[:m.end()])]
    if not ends or ends[-1] < len(text.rstrip()):
        ends.append(len(text))
    for end in ends:
        piece = text[start:end].strip()
        if piece:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            words = tuple(WORD.findall(piece))
            if words:
                found.append(Sentence(block.line_at(start + lead), piece, words))
        start = end
    return found


def page_sentences(page: SourcePage) -> list[Sentence]:
    return [s for block in blocks(page) for s in sentences(block)]


# ---------------------------------------------------------------------------------------------
# Contact details


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
    """The body with fenced and inline code blanked out, keeping every line in its place."""
    lines = page.body.splitlines()
    in_fence = False
    for index, text in enumerate(lines):
        if FENCE.match(text):
            in_fence = not in_fence
            lines[index] = ""
        elif in_fence:
            lines[index] = ""
        else:
            lines[index] = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
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


# ---------------------------------------------------------------------------------------------
# Plain English: long sentences and reading ease


def check_plain_english(page: SourcePage, settings: StyleSettings) -> list[Problem]:
    found = page_sentences(page)
    problems = []
    for sentence in found:
        if len(sentence.words) > settings.sentence_words_max:
            start = " ".join(sentence.words[:6])
            problems.append(Problem(page.display_path, sentence.line, FIELD_SENTENCE,
                                    f"the sentence starting '{start} ...' has {len(sentence.words)} words; split "
                                    f"it into sentences of {settings.sentence_words_max} words or fewer", WARNING))
    problems += check_reading_ease(page, found, settings)
    return problems


def check_reading_ease(page: SourcePage, found: list[Sentence], settings: StyleSettings) -> list[Problem]:
    problems = []
    excused = False
    if FIELD_EXCEPTION in page.meta:
        reason = page.meta[FIELD_EXCEPTION]
        if isinstance(reason, str) and len(reason.strip()) >= EXCEPTION_REASON_MIN:
            excused = True
        else:
            problems.append(Problem(page.display_path, page.line_of(FIELD_EXCEPTION), FIELD_EXCEPTION,
                                    f"give the reason the reading-ease check is wrong for this page, in at least "
                                    f"{EXCEPTION_REASON_MIN} characters, for example 'reading_ease_exception: "
                                    "the legal names of services make the score low'; or remove the line"))
    score = reading_ease(found)
    if score is None or excused:
        return problems
    score = min(100.0, max(0.0, score))  # the formula can go past both ends of its 0 to 100 scale
    if score >= settings.reading_ease_min:
        return problems
    problems.append(Problem(page.display_path, 1, FIELD_EASE,
                            f"the page is hard to read: its reading-ease score is {score:.0f} out of 100 "
                            f"(higher is easier) and must be at least {settings.reading_ease_min:g}. Use shorter "
                            "sentences and everyday words. If the score is wrong for this page, add a line "
                            f"'{FIELD_EXCEPTION}: the reason' to the front matter"))
    return problems


def reading_ease(found: list[Sentence], min_words: int = READING_EASE_MIN_WORDS) -> float | None:
    """Flesch reading ease: 206.835 - 1.015 x words per sentence - 84.6 x syllables per word.

    Higher is easier: 60 to 70 is plain English, 80 and above is easy. None under min_words words.
    """
    words = [word for sentence in found for word in sentence.words]
    if len(words) < max(1, min_words) or not found:
        return None
    total = sum(word_syllables(word) for word in words)
    return 206.835 - 1.015 * (len(words) / len(found)) - 84.6 * (total / len(words))


def page_reading_ease(page: SourcePage) -> float | None:
    return reading_ease(page_sentences(page), min_words=1)


SYLLABLE_SUBTRACT = [re.compile(p) for p in (
    r"cial", r"tia", r"cius", r"cious", r"giu", r"ion", r"iou", r"sia$", r".ely$", r"[^td]ed$", r"ves$",
    r"^some.", r"[^aeiouy]e(?:ment|ful|less|ness|ship|line|lines)$",
)]
SYLLABLE_ADD = [re.compile(p) for p in (
    r"ia", r"riet", r"dien", r"iu", r"io", r"ii", r"[aeiouym]bl$", r"[aeiou]{3}", r"^mc", r"ism$",
    r"([^aeiouy])\1l$", r"[^l]lien", r"^coa[dglx].", r"[^gq]ua[^auieo]", r"dnt$", r"eo",
)]
SYLLABLE_WORDS = {"the": 1, "every": 2, "people": 2, "business": 2, "area": 3, "idea": 3, "being": 2,
                  "wellbeing": 3, "create": 2, "created": 3, "ones": 1, "lives": 1}


def word_syllables(word: str) -> int:
    """Syllables in one word, by the usual English spelling rules (Lingua::EN::Syllable's method)."""
    if "-" in word:
        return sum(word_syllables(part) for part in word.split("-") if part)
    if any(ch.isdigit() for ch in word):
        return max(1, sum(ch.isdigit() for ch in word))
    letters = re.sub(r"[^a-z]", "", word.lower().replace("’", "'").split("'")[0])
    if not letters:
        return 1
    if len(letters) > 1 and sum(ch.isupper() for ch in word) >= 2 and len(word) <= 5:
        return len(letters)  # an abbreviation, read letter by letter: TfL, CiCC, UK
    if letters in SYLLABLE_WORDS:
        return SYLLABLE_WORDS[letters]
    trimmed = letters[:-1] if letters.endswith("e") and not re.search(r"[^aeiou]le$", letters) else letters
    count = len(re.findall(r"[aeiouy]+", trimmed))
    count -= sum(bool(p.search(letters)) for p in SYLLABLE_SUBTRACT)
    count += sum(bool(p.search(letters)) for p in SYLLABLE_ADD)
    return max(1, count)


# ---------------------------------------------------------------------------------------------
# Jargon


@dataclass(frozen=True)
class Jargon:
    term: str
    plain: str
    glossary: str          # the id of its glossary entry, if it has one
    pattern: re.Pattern


@functools.lru_cache(maxsize=None)
def jargon_terms(path: Path = JARGON_FILE) -> tuple[Jargon, ...]:
    """words/jargon.yml: 'term: plain words', or 'term: {plain: plain words, glossary: entry-id}'."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = []
    for term, value in data.items():
        term = str(term)
        plain, entry = (value.get("plain", ""), value.get("glossary", "")) if isinstance(value, dict) else (value, "")
        words = [re.escape(w) for w in re.split(r"[\s\-]+", term.strip())]
        body = r"[\s\-]+".join(words)
        exact = term.isupper()  # LAC, NRPF: capitals only, so 'lac' inside a name is not jargon
        pattern = re.compile(rf"(?<![^\W_]){body}(?:s|es|'s|’s)?(?![^\W_])", 0 if exact else re.IGNORECASE)
        terms.append(Jargon(term, str(plain), str(entry or slugify(term, "-")), pattern))
    return tuple(terms)


def check_jargon(page: SourcePage, glossary: SourcePage | None) -> list[Problem]:
    if page.rel == GLOSSARY:
        return []  # the glossary is where these words are explained
    glossary_by_line = {p.line: p.glossary_terms for p in prose_lines(page)}
    anchors = glossary.anchors() if glossary else set()
    up = "../" * page.rel.count("/")
    problems, seen = [], set()
    for block in blocks(page):
        matches = [(match, jargon) for jargon in jargon_terms() for match in jargon.pattern.finditer(block.text)]
        taken: list[tuple[int, int]] = []
        # The longest term wins where terms overlap: 'looked after children', not also 'looked after'.
        for match, jargon in sorted(matches, key=lambda m: (m[0].start() - m[0].end(), m[0].start())):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            line = block.line_at(match.start())
            if any(jargon.pattern.search(text) for text in glossary_by_line.get(line, [])):
                continue
            if (line, jargon.term) in seen:
                continue
            seen.add((line, jargon.term))
            if jargon.glossary in anchors:
                link = f"link it to the glossary, like this: [{match.group(0)}]({up}{GLOSSARY}#{jargon.glossary})"
            else:
                link = f"explain it in {GLOSSARY} and link to it there"
            problems.append(Problem(page.display_path, line, FIELD_JARGON,
                                    f"'{match.group(0)}' is jargon that young people may not know. Write "
                                    f"'{jargon.plain}' instead, or {link}"))
    return problems


# ---------------------------------------------------------------------------------------------
# Spelling


SPELL_TOKEN = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)*(?!\w)")
# The dictionary leans American: a word it lacks is accepted when its American form is known.
BRITISH_TO_KNOWN = (
    (re.compile(r"our"), "or"),                          # colour, favour, behaviour
    (re.compile(r"is(?=e|ing|ation|a|i)"), "iz"),        # organise, organisation, recognising
    (re.compile(r"ys(?=e|ing)"), "yz"),                  # analyse, paralysed
    (re.compile(r"(?<=[^aeiou])re(?=s?$)"), "er"),       # centre, theatre, fibre
    (re.compile(r"ogue(?=s?$)"), "og"),                  # catalogue
    (re.compile(r"ll(?=ed|ing|er|or)"), "l"),            # travelled, counsellor
    (re.compile(r"^(lic|def|off|pret)ence"), r"\1ense"),  # licence, defence, offence
    (re.compile(r"^programme"), "program"),              # programme
    (re.compile(r"ae"), "e"),                            # paediatric, anaemia
    (re.compile(r"oe"), "e"),                            # manoeuvre, oestrogen
    (re.compile(r"gement"), "gment"),                    # judgement, acknowledgement
)


@functools.lru_cache(maxsize=1)
def _spell_checker():
    try:
        from spellchecker import SpellChecker
    except ImportError as error:  # pragma: no cover - requirements.lock installs it
        raise RuntimeError("the spelling check needs the package pyspellchecker; install requirements.lock "
                           "(make does this)") from error
    return SpellChecker(language="en", distance=2)


@functools.lru_cache(maxsize=None)
def project_words(path: Path = WORD_LIST) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.lower())
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def american_spellings(path: Path = AMERICAN_FILE) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k).lower(): str(v) for k, v in data.items()}


@functools.lru_cache(maxsize=None)
def is_known(word: str) -> bool:
    """True for a word of the dictionary, the project's word list, or a British spelling of either."""
    word = word.lower().replace("’", "'")
    if word in project_words():
        return True
    checker = _spell_checker()
    if word in checker:
        return True
    if word.endswith("'s") and is_known(word[:-2]):
        return True
    if word.endswith("s'") and is_known(word[:-1]):
        return True
    american = word
    for pattern, replacement in BRITISH_TO_KNOWN:
        changed = pattern.sub(replacement, word)
        if changed != word and changed in checker:
            return True
        american = pattern.sub(replacement, american)
    return american != word and american in checker


@functools.lru_cache(maxsize=None)
def suggestion(word: str) -> str | None:
    try:
        guess = _spell_checker().correction(word.lower())
    except Exception:  # a suggestion is a help, never a reason to fail the check
        return None
    return guess if guess and guess != word.lower() else None


def check_spelling(page: SourcePage) -> list[Problem]:
    american = american_spellings()
    jargon = {j.term for j in jargon_terms() if " " not in j.term and "-" not in j.term}  # the jargon check names these
    lines = [(n, clean_inline(text)) for n, text in published_fields(page)]
    lines += [(p.line, p.text) for p in prose_lines(page)]
    problems, seen = [], set()
    for number, text in lines:
        for match in SPELL_TOKEN.finditer(text):
            word = match.group(0)
            if len(word) < 2 or (number, word.lower()) in seen:
                continue
            lower = word.lower().replace("’", "'")
            if word in jargon or lower in jargon:
                continue
            if lower in american:
                seen.add((number, word.lower()))
                problems.append(Problem(page.display_path, number, FIELD_SPELLING,
                                        f"'{word}' is the American spelling; write the British '{american[lower]}'"))
            elif not is_known(word):
                seen.add((number, word.lower()))
                guess = suggestion(word)
                hint = f" (did you mean '{guess}'?)" if guess else ""
                problems.append(Problem(page.display_path, number, FIELD_SPELLING,
                                        f"'{word}' is not in the dictionary. If it is a mistake, correct it{hint}. "
                                        "If it is a real name or term, add it on a line of its own to "
                                        "scripts/portal/words/words.txt"))
    return problems
