"""The finder: answers from the address, Entitlement.fits with what the person said is not true,
the cards made from the model, and a full build of the fixture site with the finder in en, ar, vi."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import REPO
from portal.audio.published import PublishedClip
from portal.configuration import load_site
from portal.content import finder
from portal.content.finder import Answers
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.publish.headers import inline_scripts
from portal.render.finder import _Links, card_html, finder_html, unsure_key, unsure_text
from portal.render.players import voice_text

FINDER_PAGE = """---
title: What can I get?
description: Answer a few questions to see what may fit you.
audience: [care-leavers]
last_reviewed: 2026-11-01
review_every_months: 12
owner: Leaving care team
status: draft
---

Answer the questions to see what may fit you.

[[finder]]
"""
TRANSLATED_FINDER_PAGE = """---
title: {title}
description: {title}
translation:
  source_hash: "000000000000"
  status: draft
---

[[finder]]
"""


@pytest.fixture
def offer(fixture_site):
    return load_content(load_site(fixture_site)).offer


@pytest.mark.parametrize(("query", "audience", "age", "lacks"), [
    ("", None, None, frozenset()),
    ("who=care-leavers&age=19&work=working", "care-leavers", 19, {"in-education"}),
    ("?who=children-in-care&nrpf=no", "children-in-care", None, {"no-recourse-to-public-funds"}),
    ("?who=children-in-care&london=no", "children-in-care", None, frozenset()),  # an old link: harmless
    ("who=professional&helping=kinship-carers&work=neither", "kinship-carers", None, {"in-work", "in-education"}),
    ("who=professional", None, None, frozenset()),  # helping someone, not sure whom
    ("helping=care-leavers", None, None, frozenset()),  # "helping" counts only for a professional
    ("who=nobody&age=nineteen&work=sometimes&nrpf=maybe", None, None, frozenset()),  # unknown: not sure
    ("age=-3", None, None, frozenset()),
    ("age=%D9%A1%D9%A9", None, None, frozenset()),  # Arabic-Indic digits: not what the form sends
    ("work=studying&nrpf=yes", None, None, {"in-work"}),
])
def test_answers_from_the_address(query, audience, age, lacks):
    answers = Answers.from_query(query)
    assert (answers.audience, answers.age, answers.lacks) == (audience, age, frozenset(lacks))


@pytest.mark.parametrize(("answers", "query"), [
    (Answers(), ""),
    (Answers(who="care-leavers", age=19, work="working"), "who=care-leavers&age=19&work=working"),
    (Answers(who="care-leavers", helping="children-in-care"), "who=care-leavers"),
    (Answers(who="professional", helping="children-in-care", nrpf="no"),
     "who=professional&helping=children-in-care&nrpf=no"),
])
def test_answers_make_a_stable_address(answers, query):
    assert answers.query() == query
    assert Answers.from_query(query) == Answers.from_query(answers.query())


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"free-bus-and-tram", "english-classes"}),
    ("who=care-leavers&age=17", {"english-classes"}),
    ("who=care-leavers&age=26", set()),
    ("who=kinship-carers", set()),
    ("who=professional&helping=care-leavers&age=19", {"free-bus-and-tram", "english-classes"}),
    # English classes need English as a second language, which the finder never asks: still shown.
    ("who=care-leavers&age=19&work=neither&nrpf=no", {"free-bus-and-tram", "english-classes"}),
])
def test_what_fits_the_fixture_offer(offer, query, expected):
    assert {e.id for e in Answers.from_query(query).matches(offer.entitlements("en"))} == expected


@pytest.mark.parametrize(("conditions", "lacks", "fits"), [
    ((), {"in-work"}, True),  # no conditions: nothing to rule out
    (("in-work", "no-recourse-to-public-funds"), {"in-work"}, True),  # the other may still be true
    (("in-work", "no-recourse-to-public-funds"), {"in-work", "no-recourse-to-public-funds"}, False),
    (("lives-in-london",), {"lives-in-london"}, False),
    (("lives-in-london",), set(), True),
])
def test_fits_rules_out_only_what_the_person_said_is_not_true(offer, conditions, lacks, fits):
    import dataclasses

    base = offer.get("en", "free-bus-and-tram")
    entitlement = dataclasses.replace(base, facts=dataclasses.replace(base.facts, conditions=conditions))
    assert entitlement.fits(lacks=frozenset(lacks)) is fits
    assert entitlement.fits() is True


def test_every_real_age_gives_the_same_results_as_its_choice(offer):
    entitlements = offer.entitlements("en")
    youngest, oldest = finder.age_choices(entitlements)
    assert (youngest, oldest) == (15, 26)
    for age in range(0, 100):
        chosen = min(max(age, youngest), oldest)
        assert [e.id for e in Answers(age=age).matches(entitlements)] == \
               [e.id for e in Answers(age=chosen).matches(entitlements)]


def test_the_data_block_carries_the_facts_the_script_filters_by(offer):
    data = finder.data(offer.entitlements("en"))
    assert data["entitlements"] == [
        {"id": "free-bus-and-tram", "audience": ["care-leavers"], "ages": [18, 25], "conditions": []},
        {"id": "english-classes", "audience": ["care-leavers"], "ages": [16, 25],
         "conditions": ["english-second-language"]},
    ]
    assert data["work"]["neither"] == ["in-work", "in-education"] and data["professional"] == "professional"


def links(lang="en", clip=lambda lang, ident: None):
    return _Links(lang, "en", f"{'' if lang == 'en' else lang + '/'}finder/", "https://example.org/", clip)


@pytest.mark.parametrize(("lang", "ident", "expected", "absent"), [
    ("en", "english-classes", [
        '<li class="portal-card portal-card--planned" data-entitlement="english-classes">',
        '<h4 class="portal-card__title"><a href="../offer/travel/#english-classes">English classes</a></h4>',
        "<strong>Planned in March 2024. Ask your personal adviser whether it is running now.</strong>",
        '<p class="portal-summary">English classes for young people whose first language is not English.</p>',
        "<li>Ask your personal adviser whether the classes are running now.</li>",
    ], ["<audio", 'lang="en"', "data-portal-share", "data-unsure", "Shown because"]),
    ("ar", "free-bus-and-tram", [
        'portal-card--available',
        "السفر المجاني بالحافلة والترام</a></h4>",
        '<p class="portal-summary">سفر مجاني في حافلات لندن والترام.</p>',
        '<a href="../../ar/offer/travel/#free-bus-and-tram">',
    ], ["<audio", 'lang="en"', "data-portal-share", "data-unsure"]),
    # Vietnamese has no translation of the travel page: the English words, marked as English.
    ("vi", "free-bus-and-tram", [
        '<h4 class="portal-card__title"><a href="../../vi/offer/travel/#free-bus-and-tram" lang="en" dir="ltr">'
        "Free bus and tram travel</a></h4>",
        '<p class="portal-summary" lang="en" dir="ltr">Free travel on London buses and trams.</p>',
        '<ol lang="en" dir="ltr">',
    ], ["<audio"]),
])
def test_a_card_is_made_from_the_model(offer, lang, ident, expected, absent):
    card = card_html(offer.get(lang, ident), lang, strings(lang), links(lang), 4,
                     english_title=ident not in offer.by_language.get(lang, {}) and lang != "en")
    for text in expected:
        assert text in card, text
    for text in absent:
        assert text not in card, text


@pytest.mark.parametrize(("clip", "lang", "src", "voice"), [
    (PublishedClip("audio/ab12.mp3", "en", "computer", "", 12.0, 9000), "en", "../audio/ab12.mp3",
     "Read by a computer voice"),
    (PublishedClip("/audio/ab12.mp3", "en", "computer", "", 12.0, 9000), "ar", "../../audio/ab12.mp3", None),
    (PublishedClip("audio/cd34.mp3", "en", "recording", "personal-adviser", 12.0, 9000), "en",
     "../audio/cd34.mp3", "personal adviser"),
])
def test_a_card_plays_its_own_clip_with_the_entitlement_player(offer, clip, lang, src, voice):
    words = strings(lang)
    card = card_html(offer.get(lang, "free-bus-and-tram"), lang, words,
                     links(lang, clip=lambda _, ident: clip if ident == "free-bus-and-tram" else None), 4)
    assert f'<audio controls preload="none" src="{src}"' in card
    assert f'data-portal-speed-label="{words["audio_speed"]}"' in card, "portal.js makes the speed buttons from it"
    assert voice_text(clip.voice, clip.role, words) in card
    if voice:
        assert voice in card
    if lang != clip.voice_lang:
        assert 'lang="en"' in card.split("<audio", 1)[1].split(">", 1)[0], "an English clip is marked English"


def test_the_finder_block(offer):
    made = finder_html(offer, "ar", "ar/finder/", "https://example.org/", strings("ar"))
    words = strings("ar")
    assert inline_scripts(made) == [], "the data block is data, not a script the CSP must allow"
    data = json.loads(re.search(r'<script type="application/json" id="portal-finder-data">(.*?)</script>',
                                made, re.S).group(1))
    assert data == finder.data(offer.entitlements("ar"))
    assert '<script src="../../assets/finder.js" defer></script>' in made
    assert '<link rel="stylesheet" href="../../assets/finder.css">' in made
    # Without JavaScript: the form is hidden and the full list, grouped by audience, is there.
    assert re.search(r'<form id="portal-finder-form"[^>]* hidden>', made)
    assert '<h3 id="for-care-leavers">' + words["audience_care-leavers"] + "</h3>" in made
    assert made.count('data-entitlement="free-bus-and-tram"') == 1
    assert words["finder_none_for"] in made  # no entitlement for kinship carers in the fixture
    # Every question offers "not sure", chosen at first.
    for name in ("who", "helping", "work", "nrpf"):
        assert re.search(rf'name="{name}" value="not-sure" checked>', made), name
    assert '<option value="">' + words["finder_not_sure"] + "</option>" in made
    assert '<option value="15">' + words["finder_age_under"].format(age=16) + "</option>" in made
    assert '<a id="portal-finder-share" href="https://example.org/ar/finder/"' in made


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_what_a_result_adds_is_written_once_for_the_page(offer, lang):
    """The share link and the reasons for a "Not sure" answer are not on the cards of the full list:
    finder.js copies them from one <template>, each sentence once, found by the facts it names."""
    words = strings(lang)
    made = finder_html(offer, lang, "finder/" if lang == "en" else f"{lang}/finder/", "", words)
    template = re.search(r'<template id="portal-finder-words">(.*?)</template>', made, re.S).group(1)
    cards = re.search(r'<section id="portal-finder-all".*?</section>', made, re.S).group(0)
    assert cards.count('data-entitlement="') == len(offer.entitlements(lang))
    assert "data-unsure" not in cards and "data-portal-share" not in cards
    assert template.count(f'class="portal-share__link">{words["share_entitlement"]}</a>') == 1
    sentences = re.findall(r'<p class="portal-finder__unsure" data-unsure="(\w+)" data-key="([^"]*)">([^<]*)</p>',
                           template)
    assert len(sentences) == len({(reason, key) for reason, key, _ in sentences}), "each sentence once"
    found = {(reason, key): html.unescape(text) for reason, key, text in sentences}
    for entitlement in offer.entitlements(lang):
        for reason in Answers().unsure(entitlement):
            assert found[reason, unsure_key(entitlement, reason)] == unsure_text(entitlement, reason, words)
    # The fixture: care leavers only, aged 18 to 25, or 16 to 25 with a condition no question asks about.
    assert found["age", "18-25"] == words["finder_unsure_age"].format(low=18, high=25)
    assert found["who", "care-leavers"] == words["finder_unsure_who"].format(audience=words["audience_care-leavers"])
    assert not any(reason == "conditions" for reason, _ in found)


def test_the_finder_as_heard_has_no_form_or_script(offer):
    heard = finder_html(offer, "en", "finder/", "", strings("en"), for_speech=True)
    assert "<form" not in heard and "<script" not in heard and "<a " not in heard
    for entitlement in offer.entitlements("en"):
        assert heard.count(f"<li>{entitlement.title}</li>") == 1
        # Its words are heard from its own clip (on its card and its section), not again in the page's.
        assert entitlement.words.summary not in heard
    assert "Planned in" not in heard


def test_every_language_has_the_finder_words():
    from portal.content import languages
    from portal.content.ui_strings import missing_keys

    for language in languages.LANGUAGES:
        assert [k for k in missing_keys(language.code) if k.startswith("finder_")] == [], language.code


@pytest.mark.build
def test_a_fixture_build_has_the_finder_in_every_language(fixture_site, write_page):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_page("en/finder.md", FINDER_PAGE)
    for lang, title in (("ar", "ماذا يمكنني أن أحصل عليه؟"), ("vi", "Tôi có thể nhận được gì?")):
        write_page(f"{lang}/finder.md", TRANSLATED_FINDER_PAGE.format(title=title))
    site = fixture_site / "site"
    build(load_config(str(fixture_site / "mkdocs.yml"), site_dir=str(site)))
    offer = load_content(load_site(fixture_site)).offer
    shipped = (site / "assets" / "finder.js").read_text(encoding="utf-8")
    source = (REPO / "overrides" / "assets" / "finder.js").read_text(encoding="utf-8")
    assert "Answers.matches" in source and "Answers.matches" not in shipped, "shipped without its comments"
    assert len(shipped) < 0.8 * len(source) and "replaceState" in shipped
    for lang, direction in (("en", "ltr"), ("ar", "rtl"), ("vi", "ltr")):
        page = Path(site, "" if lang == "en" else lang, "finder", "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<body[^>]* dir="{direction}"', page)
        ids = re.findall(r'<li class="portal-card [^"]*" data-entitlement="([^"]+)">', page)
        assert ids == [e.id for e in offer.entitlements(lang) if "care-leavers" in e.facts.audience]
        assert strings(lang)["state_planned"].split("{")[0] in page, "the plan is shown as planned"
        # The data block is not hashed into the policy; finder.js is a file from the site itself.
        policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
        assert "unsafe-inline" not in policy
        assert 'src="../' in page and "assets/finder.js" in page
        assert "<script>" not in page.split('id="portal-finder-data"')[1].split("</div>")[0]
        # Search answers with an entitlement's own section, not the finder's copy of it.
        prefix = "" if lang == "en" else f"{lang}/"
        docs = json.loads((site / prefix / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        finder_docs = [d for d in docs if d["location"].split("#")[0] in ("finder/", f"{prefix}finder/")]
        assert finder_docs, [d["location"] for d in docs]
        assert not any("portal-card" in d["text"] or offer.entitlements(lang)[0].words.summary
                                        in d["text"] for d in finder_docs)
