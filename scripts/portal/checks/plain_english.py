"""Plain English on English pages: long sentences are warnings; a Flesch reading ease below
extra.portal.reading_ease_min is an error unless the page gives a reading_ease_exception with a
reason; a term in words/jargon.yml is an error unless linked to the glossary on the same line."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from ..content.errors import WARNING, Problem
from ..content.files import PACKAGE_DIR, read_text
from ..content.pages import SourcePage
from ..content.settings import SETTINGS_KEY
from ..content.yaml_loader import load as yaml_load
from .prose import Sentence, blocks, page_sentences, prose_lines

WORDS_DIR = Path(__file__).parent / "words"
JARGON_FILE = WORDS_DIR / "jargon.yml"
GLOSSARY = "glossary.md"

READING_EASE_MIN = 60          # default for extra.portal.reading_ease_min
READING_EASE_MIN_WORDS = 50    # Flesch means little on fewer words than this
SENTENCE_WORDS_MAX = 25        # default for extra.portal.sentence_words_max
EXCEPTION_REASON_MIN = 10      # characters in a reading_ease_exception reason
CONFIG = "mkdocs.yml"

FIELD_SENTENCE = "plain English"
FIELD_EASE = "reading ease"
FIELD_EXCEPTION = "reading_ease_exception"
FIELD_JARGON = "jargon"

@dataclass(frozen=True)
class StyleSettings:
    reading_ease_min: float = READING_EASE_MIN
    sentence_words_max: int = SENTENCE_WORDS_MAX


def style_settings(site) -> tuple[StyleSettings, list[Problem]]:
    problems = []
    ease = site.settings.reading_ease_min
    if isinstance(ease, bool) or not isinstance(ease, (int, float)) or not 0 <= ease <= 100:
        problems.append(Problem(CONFIG, 1, f"{SETTINGS_KEY}.reading_ease_min",
                                f"{ease!r} is not a number from 0 to 100; for example {READING_EASE_MIN}"))
        ease = READING_EASE_MIN
    longest = site.settings.sentence_words_max
    if isinstance(longest, bool) or not isinstance(longest, int) or longest < 5:
        problems.append(Problem(CONFIG, 1, f"{SETTINGS_KEY}.sentence_words_max",
                                f"{longest!r} is not a whole number of words of 5 or more; for example "
                                f"{SENTENCE_WORDS_MAX}"))
        longest = SENTENCE_WORDS_MAX
    return StyleSettings(float(ease), longest), problems




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
    data = yaml_load(read_text(path, PACKAGE_DIR)) or {}
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
