"""The offer as data: ```entitlement blocks, the model built from them, and what readers see."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from portal.checks import check_all, release_blockers
from portal.configuration import load_site
from portal.content import languages
from portal.content.offer import build_offer
from portal.content.pages import load_content
from portal.content.syntax import (
    fenced_blocks,
    placeholders,
    replace_placeholders,
    walk,
)
from portal.content.ui_strings import strings
from portal.render.entitlements import month_name

GOOD = {
    "summary": "Free travel on London buses and trams.",
    "audience": "[care-leavers]",
    "ages": "18-25",
    "conditions": "[]",
    "cost": "Free.",
    "state": "available",
    "as_of": "2024-03",
    "source": "Fixture report, March 2024 (item 10)",
    "verified": "2026-01-10",
    "steps": "\n  - Talk to your personal adviser.",
}


def block(**changes) -> str:
    fields = {**GOOD, **changes}
    body = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"```entitlement\n{body}\n```\n"


def english_travel(block_text: str) -> str:
    return ("---\ntitle: Travel\ndescription: Free bus and tram travel for care leavers.\naudience: [care-leavers]\n"
            "last_reviewed: 2026-01-10\nreview_every_months: 24\nowner: Leaving care team\nstatus: draft\n---\n\n"
            "Getting around London.\n\n## Free bus and tram travel {#free-bus-and-tram .entitlement}\n\n"
            + block_text + "\n## English classes {#english-classes .entitlement}\n\n" + block(state="planned"))


# Line 13 is the heading; the block's fence opens on line 15, so its first field is on line 16.
CASES = [
    ("no block", "", 13, "entitlement free-bus-and-tram", "has no ```entitlement block"),
    ("unknown state", block(state="running"), 21, "entitlement free-bus-and-tram: state", "one of available"),
    ("planned without a month", block(as_of="March 2024"), 22, "entitlement free-bus-and-tram: as_of", "YYYY-MM"),
    ("misspelt field", block(cots="Free."), 27, "entitlement free-bus-and-tram: cots", "not a field"),
    ("missing source", block(source=None), 15, "entitlement free-bus-and-tram: source", "is missing"),
    ("unknown audience", block(audience="[students]"), 17, "entitlement free-bus-and-tram: audience",
     "care-leavers"),
    ("ages not a range", block(ages="eighteen"), 18, "entitlement free-bus-and-tram: ages", "18-25"),
    ("unknown condition", block(conditions="[rich]"), 19, "entitlement free-bus-and-tram: conditions",
     "in-work"),
    ("impossible date", block(verified="2026-02-30"), 15, "entitlement free-bus-and-tram", "impossible date"),
    ("summary too long", block(summary="x" * 141), 16, "entitlement free-bus-and-tram: summary", "140"),
    ("no steps", block(steps="[]"), 25, "entitlement free-bus-and-tram: steps", "short steps"),
    ("not closed", block().rstrip("`\n"), 15, "entitlement free-bus-and-tram", "not closed"),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_block_names_file_line_field_and_fix(fixture_site, write_page, name, text, line, field, words):
    write_page("en/offer/travel.md", english_travel(text))
    problems = [p for p in check_all(load_content(load_site(fixture_site))) if p.field.startswith(field)]
    assert any(p.path == "docs/en/offer/travel.md" and p.line == line and words in p.message for p in problems), \
        [str(p) for p in problems]


def test_every_problem_in_one_run(fixture_site, write_page):
    write_page("en/offer/travel.md", english_travel(block(state="running", cost=None, ages="old")))
    fields = {p.field for p in check_all(load_content(load_site(fixture_site)))}
    assert {"entitlement free-bus-and-tram: state", "entitlement free-bus-and-tram: cost",
            "entitlement free-bus-and-tram: ages"} <= fields


def test_a_translation_gives_only_words_and_inherits_the_facts(fixture_site):
    offer = load_content(load_site(fixture_site)).offer
    english, arabic = offer.get("en", "english-classes"), offer.get("ar", "english-classes")
    assert arabic.facts == english.facts and arabic.facts.state == "planned"
    assert arabic.lang == "ar" and arabic.words.summary.startswith("دروس")
    assert offer.get("vi", "english-classes").lang == "en"  # no Vietnamese page: English words, marked so


def test_a_translation_may_not_restate_a_fact(fixture_site):
    path = fixture_site / "docs/ar/offer/travel.md"
    path.write_text(path.read_text(encoding="utf-8").replace("cost: مجاني.", "cost: مجاني.\nstate: available"),
                    encoding="utf-8")
    found = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "docs/ar/offer/travel.md"]
    assert any(p.field == "entitlement free-bus-and-tram: state" and "takes from the English page" in p.message
               for p in found), [str(p) for p in found]


@pytest.mark.parametrize(("audience", "age", "conditions", "expected"), [
    (None, None, None, {"free-bus-and-tram", "english-classes"}),
    ("care-leavers", 17, None, {"english-classes"}),
    ("care-leavers", 19, {"in-work"}, {"free-bus-and-tram"}),
    ("care-leavers", 19, {"english-second-language"}, {"free-bus-and-tram", "english-classes"}),
    ("kinship-carers", None, None, set()),
])
def test_who_an_entitlement_fits(fixture_site, audience, age, conditions, expected):
    offer = load_content(load_site(fixture_site)).offer
    assert {e.id for e in offer.entitlements("en") if e.fits(audience, age, conditions)} == expected


def test_the_real_offer_has_a_state_and_source_for_every_entitlement():
    from conftest import REPO

    content = load_content(load_site(REPO))
    offer = content.offer
    ids = {e.id for e in offer.entitlements("en")}
    registered = set((REPO / "entitlements.yml").read_text(encoding="utf-8").split())
    assert ids and {f"{i}:" for i in ids} <= registered
    for entitlement in offer.entitlements("en"):
        assert entitlement.facts.state and entitlement.facts.source
    # The brief marks these as plans or aims: never shown as available.
    assert offer.get("en", "english-and-maths").facts.state == "planned"
    assert offer.get("en", "housing-offer").facts.state == "planned"
    assert offer.get("en", "educational-bursaries").facts.state == "aim"


def test_unconfirmed_contacts_block_a_release_by_name(fixture_site):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "    - id: out-of-hours\n      name: Out-of-hours team\n      confirmed: false\n"
        "      instead: Call 999 if someone is in danger.\n"), encoding="utf-8")
    blockers = release_blockers(load_content(load_site(fixture_site)))
    assert [p.field for p in blockers if "contacts" in p.field] == ["extra.contacts (out-of-hours)"]
    assert "'Out-of-hours team' is not confirmed" in str(blockers[-1])


@pytest.mark.parametrize(("entry", "field", "words"), [
    ("    - id: pa\n      name: Adviser\n      phone: \"07700 900123\"\n", "extra.contacts (pa): phone", "mobile"),
    ("    - id: pa\n      name: Mrs Smith\n", "extra.contacts (pa): name", "names a person"),
    ("    - id: pa\n      name: Adviser\n      email: jane.smith@example.org\n", "extra.contacts (pa): email",
     "person's own address"),
])
def test_personal_data_in_contacts_is_refused(fixture_site, entry, field, words):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + entry, encoding="utf-8")
    found = [p for p in check_all(load_content(load_site(fixture_site))) if p.field == field]
    assert found and words in found[0].message


def test_a_protected_term_written_wrongly_is_caught(fixture_site, write_page):
    english = fixture_site / "docs/en/index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("You can travel free.",
                       "The City of London Corporation pays."), encoding="utf-8")
    arabic = fixture_site / "docs/ar/index.md"
    wrong = arabic.read_text(encoding="utf-8") + "\nمدينة لندن تدفع.\n"
    arabic.write_text(wrong, encoding="utf-8")
    found = [p for p in check_all(load_content(load_site(fixture_site))) if p.field == "protected term"]
    assert [p.path for p in found] == ["docs/ar/index.md", "docs/vi/index.md"]
    assert "'City of London Corporation'" in found[0].message
    arabic.write_text(wrong + "\nCity of London Corporation (مؤسسة).\n", encoding="utf-8")
    found = [p for p in check_all(load_content(load_site(fixture_site))) if p.field == "protected term"]
    assert [p.path for p in found] == ["docs/vi/index.md"]


# --------------------------------------------------------------------------------------------
# One parser per syntax


def test_fences_and_placeholders():
    text = "a\n```entitlement\nx: 1\n```\n[[contacts: help-now]]\n````\n[[contacts]]\n````\n[[site-status]]\n"
    assert [(b.info, b.line, b.text) for b in fenced_blocks(text)] == [("entitlement", 2, "x: 1"), ("", 6, "[[contacts]]")]
    assert [(p.name, p.argument, p.line) for p in placeholders(text)] == [("contacts", "help-now", 5),
                                                                          ("site-status", None, 9)]
    assert [n for n, _, code in walk(text) if code] == [2, 3, 4, 6, 7, 8]
    assert replace_placeholders("x\n[[site-status]]\n", lambda p: "S") == "x\nS\n"


# --------------------------------------------------------------------------------------------
# What readers see, in every language of a full build


@pytest.mark.build
def test_every_entitlement_shows_its_state_and_a_plan_is_labelled_as_planned(tmp_path):
    from conftest import copy_fixture_site
    from support.builds import build_site

    project = copy_fixture_site(tmp_path / "project")
    site_dir = build_site(project)
    offer = build_offer(load_content(load_site(project)))
    for lang in ("en", "ar", "vi"):
        tag = languages.get(lang).babel_locale
        page = (site_dir / ("" if lang == "en" else lang) / "offer/travel/index.html").read_text(encoding="utf-8")
        for entitlement in offer.entitlements(lang):
            box = re.search(rf'<div class="portal-facts[^"]*" data-entitlement="{entitlement.id}" '
                            rf'data-state="(\w+)">(.*?)</div>', page, re.S)
            assert box, (lang, entitlement.id)
            assert box.group(1) == entitlement.facts.state
            label = strings(lang)[f"state_{entitlement.facts.state}"].format(
                month=month_name(entitlement.facts.as_of, tag))
            assert htmllib.escape(label) in box.group(2), (lang, entitlement.id, label)
        planned = re.search(r'data-entitlement="english-classes" data-state="planned">(.*?)</div>', page, re.S)
        label = strings(lang)["state_planned"].format(month=month_name(offer.get(lang, "english-classes").facts.as_of,
                                                                         tag))
        assert planned and htmllib.escape(label) in planned.group(1)


def test_no_page_makes_a_promise_the_sources_do_not_make():
    from conftest import REPO

    promises = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "docs" / "en").rglob("*.md"))
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "will help" in line.lower()]
    assert promises == []


def test_the_crisis_page_exists_in_every_language_as_a_draft():
    from conftest import REPO

    site = load_site(REPO)
    content = load_content(site)
    for lang in site.language_codes:
        page = content.pages[lang].get("help-now.md")
        assert page is not None, lang
        status = page.meta.get("status") if lang == "en" else page.meta["translation"]["status"]
        assert status == "draft", lang
        assert "[[contacts: help-now]]" in page.body, lang


def test_an_unchanged_page_is_not_checked_again_but_an_edited_one_is(fixture_site, monkeypatch):
    import portal.checks as checks

    first = check_all(load_content(load_site(fixture_site)))
    monkeypatch.setattr(checks, "check_spelling", lambda page: pytest.fail(f"checked again: {page.display_path}"))
    assert check_all(load_content(load_site(fixture_site))) == first
    travel = fixture_site / "docs/en/offer/travel.md"
    travel.write_text(travel.read_text(encoding="utf-8") + "\nA new sentance.\n", encoding="utf-8")
    seen = []
    monkeypatch.setattr(checks, "check_spelling", lambda page: seen.append(page.rel) or [])
    check_all(load_content(load_site(fixture_site)))
    assert seen == ["offer/travel.md"]
