"""Spelling on English pages: pyspellchecker's English dictionary, British spellings of the
words it knows, the project's words in words/words.txt; American spellings in words/american.yml
are errors."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..content.errors import Problem
from ..content.files import PACKAGE_DIR, read_text
from ..content.pages import SourcePage
from ..content.yaml_loader import load as yaml_load
from .plain_english import jargon_terms
from .prose import clean_inline, prose_lines, published_fields

WORDS_DIR = Path(__file__).parent / "words"
WORD_LIST = WORDS_DIR / "words.txt"
WORD_LIST_SHOWN = WORD_LIST.relative_to(PACKAGE_DIR.parents[1]).as_posix()  # as staff find it in the repository
AMERICAN_FILE = WORDS_DIR / "american.yml"


FIELD_SPELLING = "spelling"

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
    data = yaml_load(read_text(path, PACKAGE_DIR)) or {}
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
                                        f"{WORD_LIST_SHOWN}"))
    return problems
