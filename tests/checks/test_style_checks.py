"""Style and safety checks: contact details, unsafe HTML, plain English, jargon, spelling, release blockers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from portal.checks import check_all, check_style, release_blockers
from portal.checks.plain_english import page_reading_ease, reading_ease, word_syllables
from portal.checks.prose import Sentence
from portal.cli import summary_markdown
from portal.configuration import load_site
from portal.content.errors import ERROR, WARNING, PortalError, errors
from portal.content.pages import load_content

STYLE = REPO / "tests" / "fixtures" / "style"
TODAY = dt.date(2026, 11, 24)

FRONT = """---
title: Money
description: Help with money.
audience: [care-leavers]
last_reviewed: 2026-11-01
review_every_months: 6
owner: Leaving care team
status: draft
---

"""
BODY = FRONT.count("\n") + 1  # the line number of the first body line


def english(body: str, front: str = FRONT) -> str:
    return front + body


def arabic(body: str) -> str:
    return '---\ntitle: مال\ndescription: مساعدة.\ntranslation:\n  source_hash: "000000000000"\n  status: draft\n---\n\n' + body


def style_problems(root: Path) -> list:
    return check_style(load_content(load_site(root)))


def set_portal(root: Path, **settings) -> None:
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    plugin = next(item for item in data["plugins"] if isinstance(item, dict) and "portal" in item)
    plugin["portal"].update(settings)
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def add_contact(root: Path, **contact) -> None:
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["extra"]["contacts"].append({"id": "team", "name": "Leaving care team", **contact})
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# (case, file under docs/, text, line, field, severity, words the message must contain)
BAD_PAGES = [
    # 1. Contact details, in any language, in the text and in link targets
    ("email in text", "en/money.md", english("Write to jane.smith@cityoflondon.gov.uk for help.\n"), BODY,
     "contact details", ERROR, "'jane.smith@cityoflondon.gov.uk' is an email address"),
    ("email in a mailto link", "en/money.md", english("[Email Jane](mailto:jane.smith@cityoflondon.gov.uk)\n"), BODY,
     "contact details", ERROR, "extra.contacts"),
    ("London landline", "en/money.md", english("Text.\n\nCall 020 7332 1535 today.\n"), BODY + 2,
     "contact details", ERROR, "'020 7332 1535' looks like a phone number"),
    ("mobile number", "en/money.md", english("Ring 07718 576035.\n"), BODY, "contact details", ERROR,
     "'07718 576035'"),
    ("international format", "en/money.md", english("Ring +44 20 7332 1535.\n"), BODY, "contact details", ERROR,
     "'+44 20 7332 1535'"),
    ("freephone helpline", "en/money.md", english("Childline: 0800 1111.\n"), BODY, "contact details", ERROR,
     "'0800 1111'"),
    ("tel link", "en/money.md", english("[Ring us](tel:+442073321535)\n"), BODY, "contact details", ERROR,
     "'+442073321535'"),
    ("number in a code block", "en/money.md", english("```\n07718 576035\n```\n"), BODY + 1, "contact details",
     ERROR, "direct phone line"),
    ("number in the description", "en/money.md", english("Text.\n", FRONT.replace("Help with money.",
     "Call 07718 576035.")), 3, "contact details", ERROR, "'07718 576035'"),
    ("number on a translation", "ar/index.md", arabic("اتصل بالرقم 020 7332 1535.\n"), 9, "contact details",
     ERROR, "'020 7332 1535'"),
    ("number in Arabic digits", "ar/index.md", arabic("اتصل ٠٧٧١٨ ٥٧٦٠٣٥\n"), 9, "contact details", ERROR,
     "'٠٧٧١٨ ٥٧٦٠٣٥'"),
    # 5. Unsafe HTML, in any language
    ("script tag", "en/money.md", english("Text.\n\n<script>alert(1)</script>\n"), BODY + 2, "unsafe HTML", ERROR,
     "`<script>` is not allowed"),
    ("iframe", "en/money.md", english('<iframe src="https://example.org"></iframe>\n'), BODY, "unsafe HTML", ERROR,
     "`<iframe>`"),
    ("object", "en/money.md", english('<object data="x.swf"></object>\n'), BODY, "unsafe HTML", ERROR, "`<object>`"),
    ("embed", "en/money.md", english('<embed src="x.swf">\n'), BODY, "unsafe HTML", ERROR, "`<embed>`"),
    ("style", "en/money.md", english("<style>body { display: none }</style>\n"), BODY, "unsafe HTML", ERROR,
     "`<style>`"),
    ("event attribute", "en/money.md", english('<img src="a.png"\n  onerror="alert(1)">\n'), BODY + 1,
     "unsafe HTML", ERROR, "`onerror=` is not allowed"),
    ("event attribute in attr_list", "en/money.md", english('## Money {#money onclick="alert(1)"}\n'), BODY,
     "unsafe HTML", ERROR, "`onclick=`"),
    ("javascript link", "en/money.md", english("[Click](javascript:alert(1))\n"), BODY, "unsafe HTML", ERROR,
     "`javascript:` runs code"),
    ("disguised javascript address", "en/money.md", english('<a href="&#106;avascript:alert(1)">x</a>\n'), BODY,
     "unsafe HTML", ERROR, "`javascript:`"),
    ("script on a translation", "ar/index.md", arabic("<script>alert(1)</script>\n"), 9, "unsafe HTML", ERROR,
     "`<script>`"),
    # 2. Plain English (English pages)
    ("long sentence", "en/money.md", english("Introduction.\n\n" + " ".join(["word"] * 25) + " and more words.\n"),
     BODY + 2, "plain English", WARNING, "has 28 words; split it into sentences of 25 words or fewer"),
    ("long sentence over two lines", "en/money.md",
     english("Short one. This sentence starts here and " + " ".join(["goes"] * 12) + "\non " + " ".join(
         ["and"] * 12) + " ends.\n"), BODY, "plain English", WARNING, "the sentence starting 'This sentence starts"),
    ("hard to read", "en/money.md", (STYLE / "hard.md").read_text(encoding="utf-8"), 1, "reading ease", ERROR,
     "must be at least 60"),
    ("short exception reason", "en/money.md", (STYLE / "hard.md").read_text(encoding="utf-8").replace(
        "status: draft", "status: draft\nreading_ease_exception: hard"), 9, "reading_ease_exception", ERROR,
     "at least 10 characters"),
    ("empty exception reason", "en/money.md", (STYLE / "hard.md").read_text(encoding="utf-8").replace(
        "status: draft", "status: draft\nreading_ease_exception:"), 9, "reading_ease_exception", ERROR,
     "give the reason"),
    # Jargon (English pages)
    ("jargon abbreviation", "en/money.md", english("Help for LAC and care leavers.\n"), BODY, "jargon", ERROR,
     "'LAC' is jargon that young people may not know. Write 'children in care' instead"),
    ("jargon phrase", "en/money.md", english("Text.\n\nHelp for looked after children.\n"), BODY + 2, "jargon",
     ERROR, "'looked after children' is jargon"),
    ("jargon with a glossary entry", "en/money.md", english("Help with your pathway plan.\n"), BODY, "jargon", ERROR,
     "link it to the glossary, like this: [pathway plan](glossary.md#pathway-plan)"),
    ("statutory", "en/offer/money.md", english("This is a statutory duty.\n"), BODY, "jargon", ERROR,
     "'statutory' is jargon"),
    ("NRPF", "en/money.md", english("If you have NRPF, ask us.\n"), BODY, "jargon", ERROR,
     "[NRPF](glossary.md#no-recourse-to-public-funds)"),
    # 4. Spelling (English pages)
    ("misspelling", "en/money.md", english("Text.\n\nYou will recieve money.\n"), BODY + 2, "spelling", ERROR,
     "'recieve' is not in the dictionary. If it is a mistake, correct it (did you mean 'receive'?)"),
    ("misspelling names the word list", "en/money.md", english("Go to Barbicen.\n"), BODY, "spelling", ERROR,
     "add it on a line of its own to scripts/portal/checks/words/words.txt"),
    ("misspelling in the title", "en/money.md", english("Text.\n", FRONT.replace("title: Money",
     "title: Mony")), 2, "spelling", ERROR, "'Mony'"),
    ("misspelling after a hyphen or quote", "en/money.md", english("An asylum-seekign child, 'Sampel' text.\n"), BODY,
     "spelling", ERROR, "'seekign' is not in the dictionary"),
    ("American spelling", "en/money.md", english("Pick a color.\n"), BODY, "spelling", ERROR,
     "'color' is the American spelling; write the British 'colour'"),
]


@pytest.mark.parametrize("case, rel, text, line, field, severity, words", BAD_PAGES, ids=[c[0] for c in BAD_PAGES])
def test_each_kind_of_problem_names_file_line_and_what_to_do(fixture_site, write_page, case, rel, text, line, field,
                                                             severity, words):
    write_page("en/glossary.md", (STYLE / "glossary.md").read_text(encoding="utf-8"))
    write_page(rel, text)
    found = [p for p in style_problems(fixture_site) if p.path == f"docs/{rel}" and p.field == field]
    assert found, f"no {field!r} problem in docs/{rel}"
    assert any(p.line == line and words in p.message and p.severity == severity for p in found), found


def test_the_clean_fixture_passes(fixture_site, write_page):
    write_page("en/glossary.md", (STYLE / "glossary.md").read_text(encoding="utf-8"))
    write_page("en/clean.md", (STYLE / "clean.md").read_text(encoding="utf-8"))
    found = check_all(load_content(load_site(fixture_site)), TODAY)
    assert [p for p in found if p.path in ("docs/en/clean.md", "docs/en/glossary.md")] == []
    assert page_reading_ease(load_content(load_site(fixture_site)).english()["clean.md"]) > 80


def test_the_real_content_passes_every_style_check():
    content = load_content(load_site(REPO))
    found = check_style(content)
    assert errors(found) == [], "\n".join(map(str, errors(found)))


def test_the_real_content_is_plain_english():
    site = load_site(REPO)
    minimum = site.settings.reading_ease_min
    scores = {rel: page_reading_ease(page) for rel, page in load_content(site).english().items()}
    assert all(score >= minimum for score in scores.values()), scores


@pytest.mark.parametrize("text", [
    "If someone is in danger now, call 999.",
    "In 2023 and 2024, 100 young people got £800 each, aged 16 to 25.",
    "It started on 1 November 2023, from 09.00-17.00, on 01/02/2024 or 2024-01-02.",
    "Check `jane` and 10 000 people and 3,000,000 pounds.",
])
def test_numbers_that_are_not_phone_numbers_pass(fixture_site, write_page, text):
    write_page("en/money.md", english(text + "\n"))
    assert [p for p in style_problems(fixture_site) if p.field == "contact details"] == []


def test_contacts_in_mkdocs_yml_may_appear_on_a_page(fixture_site, write_page):
    add_contact(fixture_site, phone="020 7332 1535", email="Team@CityOfLondon.gov.uk")
    write_page("en/money.md", english("Call +44 20 7332 1535 or 020 7332 1535, or write to "
                                      "[us](mailto:team@cityoflondon.gov.uk).\n"))
    assert [p for p in style_problems(fixture_site) if p.field == "contact details"] == []


def test_ignored_places_heading_ids_link_targets_and_code(fixture_site, write_page):
    write_page("en/statutory.md", english("Words.\n"))
    write_page("en/money.md", english(
        "## Money {#statutory-money}\n\n"
        "See [this page](statutory.md) and `LAC`.\n\n"
        "```\nNRPF recieve <script>\n```\n"))
    found = [p for p in style_problems(fixture_site) if p.path == "docs/en/money.md"]
    assert found == []


def test_a_jargon_term_linked_to_the_glossary_on_the_line_passes(fixture_site, write_page):
    write_page("en/glossary.md", (STYLE / "glossary.md").read_text(encoding="utf-8"))
    write_page("en/money.md", english("Make your [pathway plan](glossary.md#pathway-plan). Your pathway plan helps.\n"
                                      "\nYour [Pathway Plans](glossary.md#pathway-plan) matter.\n"))
    assert [p for p in style_problems(fixture_site) if p.field == "jargon"] == []


def test_the_glossary_page_may_use_jargon(fixture_site, write_page):
    write_page("en/glossary.md", (STYLE / "glossary.md").read_text(encoding="utf-8"))
    assert [p for p in style_problems(fixture_site) if p.field == "jargon"] == []


def test_english_only_checks_skip_translations(fixture_site, write_page):
    long = " ".join(["recieve LAC"] * 20) + "."
    write_page("ar/index.md", arabic(long + "\n"))
    found = [p for p in style_problems(fixture_site) if p.path == "docs/ar/index.md"]
    assert found == []


def test_a_reason_excuses_a_hard_page(fixture_site, write_page):
    text = (STYLE / "hard.md").read_text(encoding="utf-8").replace(
        "status: draft", "status: draft\nreading_ease_exception: the legal names of the services make the score low")
    write_page("en/hard.md", text)
    found = check_all(load_content(load_site(fixture_site)), TODAY)
    assert [p for p in found if p.path == "docs/en/hard.md"] == []


def test_the_threshold_comes_from_mkdocs_yml(fixture_site, write_page):
    write_page("en/hard.md", (STYLE / "hard.md").read_text(encoding="utf-8"))
    set_portal(fixture_site, reading_ease_min=0, sentence_words_max=5)
    found = [p for p in style_problems(fixture_site) if p.path == "docs/en/hard.md"]
    assert [p.field for p in found if p.field == "reading ease"] == []
    assert any(p.field == "plain English" and "of 5 words or fewer" in p.message for p in found)


def test_a_bad_threshold_is_reported_against_mkdocs_yml(fixture_site):
    set_portal(fixture_site, reading_ease_min=150)
    found = [p for p in style_problems(fixture_site) if p.path == "mkdocs.yml"]
    assert [(p.field, p.severity) for p in found] == [("plugins.portal.reading_ease_min", ERROR)]


def test_a_threshold_that_is_not_a_number_is_refused_by_the_settings_schema(fixture_site):
    set_portal(fixture_site, reading_ease_min="high")
    with pytest.raises(PortalError, match=r"^mkdocs.yml: plugins.portal.reading_ease_min: Expected type"):
        load_site(fixture_site)


def test_the_project_word_list_and_british_spellings_pass(fixture_site, write_page):
    write_page("en/money.md", english(
        "Use your Oyster photocard from TfL. The CiCC meets at the Barbican Centre and on Hampstead Heath.\n\n"
        "Your organisation, the colour of the programme, the travelling counsellor, the licence and your "
        "wellbeing. Children's carers' maths.\n"))
    assert [p for p in style_problems(fixture_site) if p.field == "spelling"] == []


def test_check_all_includes_the_style_checks(fixture_site, write_page):
    write_page("en/money.md", english("Write to jane.smith@example.org.\n"))
    found = check_all(load_content(load_site(fixture_site)), TODAY)
    assert any(p.field == "contact details" and p.path == "docs/en/money.md" for p in found)


def test_messages_read_well_in_the_pull_request_summary(fixture_site, write_page):
    for number, (_, rel, text, *_rest) in enumerate(BAD_PAGES):
        write_page(rel.replace(".md", f"-{number}.md"), text)
    found = style_problems(fixture_site)
    assert len(found) >= len(BAD_PAGES) - 2
    for problem in found:
        assert "|" not in problem.message and "\n" not in problem.message
        # HTML in a message is shown as code, so GitHub shows it instead of swallowing it
        outside_code = re.sub(r"`[^`]*`", "", problem.message)
        assert not re.search(r"<[a-z]", outside_code), problem.message
    summary = summary_markdown(found)
    assert summary.count("\n| `docs/") == len(found)


# Release blockers: only English pages that are draft or overdue


def test_release_blockers(fixture_site, write_page):
    write_page("ar/offer/travel.md", arabic("مسودة.\n"))  # a draft translation never blocks a release
    write_page("en/old.md", english("Old.\n").replace("status: draft", "status: approved\napproved_by: Head of "
                                                      "Service\napproved_on: 2026-01-01").replace(
        "last_reviewed: 2026-11-01", "last_reviewed: 2026-01-01"))
    found = release_blockers(load_content(load_site(fixture_site)), TODAY)
    where = sorted((p.path, p.line, p.field) for p in found)
    assert where == [
        ("docs/en/offer/travel.md", 8, "status"),        # draft
        ("docs/en/old.md", 5, "last_reviewed"),          # due 2026-07-01
    ]
    assert all(p.severity == ERROR for p in found)
    draft = next(p for p in found if p.field == "status")
    assert "is still a draft" in draft.message and "approved_by" in draft.message
    overdue = next(p for p in found if p.field == "last_reviewed")
    assert "was due on 2026-07-01" in overdue.message


# Reading ease arithmetic


def test_flesch_reading_ease_formula():
    sentence = Sentence(1, "The cat sat on the mat.", ("The", "cat", "sat", "on", "the", "mat"))
    assert reading_ease([sentence], min_words=1) == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    assert reading_ease([sentence]) is None  # too few words to judge


@pytest.mark.parametrize("word, count", [
    ("care", 1), ("leaver", 2), ("money", 2), ("people", 2), ("apprenticeship", 4), ("education", 4),
    ("available", 4), ("table", 2), ("statement", 2), ("asylum-seeking", 5), ("TfL", 3), ("25", 2),
])
def test_syllables(word, count):
    assert word_syllables(word) == count
