"""The content audit's faults, held down on the real content: a state per thing and a label that
follows it, the old #work-and-careers address kept, contacts in the reader's language, the fact date
and the page-check date said apart, "the City" in its agreed form, and a finder that asks only what
changes the answer."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from conftest import REPO
from portal.checks.entitlements import check_entitlements
from portal.checks.state_labels import check_state_labels
from portal.checks.terms import check_terms
from portal.configuration import load_site
from portal.content import finder, offer_log
from portal.content.finder import Answers
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.render.page import RenderContext, render_markdown
from portal.translation.contact_words import contact_states

STATES = ("available", "planned", "pilot", "aim", "ended")


@pytest.fixture(scope="module")
def content():
    return load_content(load_site(REPO))


def copy_of_repo(tmp_path):
    """The real content, in a folder a test may break."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    for name in ("mkdocs.yml", "entitlements.yml", "offer-changes.yml", "services.yml"):
        shutil.copy(REPO / name, root / name)
    return root


def rendered(content, lang: str, rel: str) -> str:
    page = content.resolve(lang, rel)
    path = rel.removesuffix(".md").removesuffix("index").rstrip("/")
    return render_markdown(page.body, lang, f"{lang}/{path}/", RenderContext(content))


def test_no_entitlement_that_is_not_available_is_labelled_what_you_get(content):
    """On every page, in every language: the real content has no wrong label, and the label above
    each entitlement's details is the one for its state."""
    assert check_state_labels(content) == []
    for lang, pages in content.pages.items():
        words = strings(lang)
        for rel in pages:
            text = rendered(content, lang, rel)
            for entitlement in content.offer.on_page(lang, rel):
                section = re.search(rf'data-entitlement="{entitlement.id}".*?(?=data-entitlement=|\Z)', text, re.S)
                own = words[f"label_{entitlement.facts.state}"]
                if entitlement.facts.state != "available":
                    assert words["label_available"] not in section.group(0), (lang, rel, entitlement.id)
                    assert own in section.group(0), (lang, rel, entitlement.id)


def test_the_finder_never_says_what_you_get(content):
    for lang in content.site.language_codes:
        assert strings(lang)["label_available"] not in rendered(content, lang, "finder.md")


def test_a_plan_labelled_what_you_get_is_refused_with_file_line_field_and_fix(tmp_path):
    root = copy_of_repo(tmp_path)
    page = root / "docs/ar/offer/housing.md"
    page.write_text(page.read_text(encoding="utf-8").replace("**ما كان مخططًا له:**", "**ما تحصل عليه:**"),
                    encoding="utf-8")
    problems = check_state_labels(load_content(load_site(root)))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path.endswith("docs/ar/offer/housing.md") and problem.line > 1
    assert problem.field == "entitlement housing-offer: label"
    assert "planned" in problem.message and "**ما كان مخططًا له:**" in problem.message


def test_the_states_follow_the_brief(content):
    state = {e.id: e.facts.state for e in content.offer.entitlements("en")}
    assert {k: state[k] for k in ("careers-advice", "careers-festival-sessions", "work-options-sessions",
                                  "work-experience", "emergency-dentistry", "places-to-visit")} == {
        "careers-advice": "available", "careers-festival-sessions": "ended", "work-options-sessions": "planned",
        "work-experience": "aim", "emergency-dentistry": "ended", "places-to-visit": "planned"}
    assert "work-and-careers" not in state


def test_services_json_lists_only_available_services(content):
    from portal.publish import Build, services

    document = services.services_document(Build(content, content.site, REPO / "site", "https://example.org/", "P"))
    listed = yaml.safe_load((REPO / "services.yml").read_text(encoding="utf-8"))
    available = [i for i in listed if content.offer.get("en", i).facts.state == "available"]
    assert [s["name"] for s in document["contents"]] == [content.offer.get("en", i).title for i in available]
    assert "careers-advice" in available and "work-and-careers" not in listed
    assert all("assured_date" not in s for s in document["contents"]), "no service is confirmed yet"


def test_the_old_address_is_kept_in_every_language(content, tmp_path):
    assert check_entitlements(content) == []
    for lang in content.site.language_codes:
        anchors = [h for h in content.pages[lang]["offer/work.md"].headings() if h.anchor == "work-and-careers"]
        assert anchors and not anchors[0].is_entitlement, lang
    root = copy_of_repo(tmp_path)
    page = root / "docs/ti/offer/work.md"
    page.write_text(page.read_text(encoding="utf-8").replace(" {#work-and-careers}", ""), encoding="utf-8")
    problems = check_entitlements(load_content(load_site(root)))
    assert [(p.path.split("docs/")[-1], p.field) for p in problems] == [("ti/offer/work.md", "entitlement id")]
    assert "#work-and-careers" in problems[0].message


@pytest.mark.parametrize("lang", ["ar", "fa", "ps", "ku", "ti", "am", "sq", "vi"])
def test_the_crisis_page_names_every_contact_in_the_readers_language(content, lang):
    text = rendered(content, lang, "help-now.md")
    words = strings(lang)
    contacts = re.search(r'<div class="portal-contacts portal-contacts--help-now".*?</div>', text, re.S).group(0)
    for contact in (c for c in content.site.contacts if c.group == "help-now"):
        for field in ("name", "hours"):
            if getattr(contact, field):
                own = words[f"contact_{contact.id}_{field}"]
                assert own != getattr(contact, field) and own in contacts.replace("&#40;", "(").replace("&#41;", ")")
    assert 'lang="en"' not in re.sub(r'<a href="https://[^"]*" lang="en"', "", contacts), "only addresses stay English"
    assert words["contacts_draft"] in contacts, "marked as drafts, like the page"
    assert all(s.state == "current" for s in contact_states(content.site, lang))


def test_a_contact_word_not_translated_is_english_marked_so_and_counts_as_untranslated(content, monkeypatch):
    from portal.render.contacts import contacts_markdown

    words = {k: v for k, v in strings("vi").items() if k != "contact_shelter_name"}
    made = contacts_markdown(content.site.contacts, "help-now", words, translated=True)
    assert '<span lang="en" dir="ltr">Shelter emergency helpline' in made
    shelter = next(c for c in content.site.contacts if c.id == "shelter")
    assert shelter.hours is None and shelter.cost == "Free to call."
    monkeypatch.setattr("portal.translation.contact_words.strings", lambda lang: words)
    assert [s.unit.key for s in contact_states(content.site, "vi") if s.state == "new"] == ["shelter/name"]


def test_facts_date_and_page_check_are_two_statements_and_never_the_same_date(content):
    for lang in ("en", "ar"):
        words = strings(lang)
        text = rendered(content, lang, "offer/travel.md")
        assert words["facts_from"].split("{")[0] in text and words["facts_not_verified"] in text
        assert words["last_reviewed"].split("{")[0] != words["facts_from"].split("{")[0]
    assert strings("en")["last_reviewed"].startswith("Page checked:")
    for entitlement in content.offer.entitlements("en"):
        reviewed = content.english()[entitlement.rel].meta["last_reviewed"]
        assert entitlement.facts.verified != reviewed, entitlement.id


def test_the_open_data_carries_the_two_dates_under_their_own_names(content):
    from types import SimpleNamespace

    from portal.publish import open_data

    build = SimpleNamespace(content=content, site=content.site, site_url="https://example.org/", pages=[],
                            audio=None, clips=set(), site_name="Portal")
    document = open_data.offer_document(build, "ar", SimpleNamespace(lock={}))
    for item in document["entitlements"]:
        assert item["facts"]["verified"] is None
        assert item["facts_from"]["as_of"] == item["facts"]["as_of"] and item["facts_from"]["label"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["page_checked"])
        assert "last_verified" not in item
    assert document["last_verified"] is None


def test_the_everyday_word_for_city_is_refused_where_the_city_belongs(tmp_path):
    root = copy_of_repo(tmp_path)
    page = root / "docs/am/finder.md"
    page.write_text(page.read_text(encoding="utf-8").replace("በምክር ቤቱ ድጋፍ", "በከተማው ድጋፍ"), encoding="utf-8")
    problems = [p for p in check_terms(load_content(load_site(root))) if p.path.endswith("am/finder.md")]
    assert [p.field for p in problems] == ["protected term", "protected term"]
    assert any("'በከተማው' is the everyday word" in p.message for p in problems)


def test_every_finder_question_changes_the_result_for_a_care_leaver_aged_19(content):
    """For each question: some answer to it, the other answers held, shows a different set of
    entitlements to a typical care leaver aged 19 (or to whom a professional helps)."""
    offer = content.offer.entitlements("en")

    def ids(answers):
        return {e.id for e in answers.matches(offer)}

    assert set(finder.FIELDS) == {"who", "helping", "age", "work", "nrpf"}
    changes = {
        "who": {frozenset(ids(Answers(who=w, age=19))) for w in finder.WHO},
        "helping": {frozenset(ids(Answers(who="professional", helping=h, age=19))) for h in finder.HELPING},
        "age": {frozenset(ids(Answers(who="care-leavers", age=a))) for a in (15, 19, 26)},
        "work": {frozenset(ids(Answers(who="care-leavers", age=19, work=w, nrpf="no"))) for w in finder.WORK},
        "nrpf": {frozenset(ids(Answers(who="care-leavers", age=19, work="studying", nrpf=n))) for n in finder.NRPF},
    }
    for question, results in changes.items():
        assert len(results) > 1, f"the answer to {question!r} never changes the result"
    in_work = ids(Answers(who="care-leavers", age=19, work="working", nrpf="no"))
    assert "health-card-and-prescriptions" in in_work
    assert "health-card-and-prescriptions" not in ids(Answers(who="care-leavers", age=19, work="studying", nrpf="no"))


def test_the_finder_says_why_a_card_is_shown_when_the_answer_was_not_sure(content):
    card = content.offer.get("en", "health-card-and-prescriptions")
    assert Answers(who="care-leavers", age=19).unsure(card) == ("conditions",)
    assert Answers(who="care-leavers", age=19, work="working").unsure(card) == ()
    assert Answers(who="care-leavers", age=19, work="studying", nrpf="yes").unsure(card) == ()
    assert Answers().unsure(content.offer.get("en", "free-bus-and-tram")) == ("who", "age")
    text = rendered(content, "en", "finder.md")
    assert 'data-unsure="conditions" data-key="in-work no-recourse-to-public-funds">Shown because you chose' in text
    assert "london" not in text and 'name="nrpf"' in text


def test_the_record_of_changes_is_written_without_yaml_aliases(tmp_path, content):
    path = tmp_path / "offer-changes.yml"
    today = __import__("datetime").date(2026, 12, 4)
    offer_log.append(path, offer_log.pending([], content.offer.entitlements("en"), today))
    assert "&id" not in path.read_text(encoding="utf-8")
    changes, problems = offer_log.read_log(path, "offer-changes.yml")
    assert problems == [] and changes[0].facts["verified"] is None


def test_every_state_has_a_label_in_every_language(content):
    for lang in content.site.language_codes:
        labels = [strings(lang)[f"label_{s}"] for s in STATES]
        assert len(set(labels)) == len(STATES), lang
