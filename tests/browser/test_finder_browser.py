"""The finder in Debian's Chromium, in en, ar and ti, with JavaScript on and off: its results are
checked against the model (content.finder.Answers.matches, Entitlement.fits), by keyboard, at
320 px, with axe, without cookies, storage or requests elsewhere, and within the weight budget."""

from __future__ import annotations

import itertools
import random

import pytest
from conftest import REPO
from portal.configuration import load_site
from portal.content import finder, languages
from portal.content.entitlements import AUDIENCES
from portal.content.finder import Answers
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.render.entitlements import state_text
from portal.render.finder import unsure_text
from support.browser import axe_violations

pytestmark = pytest.mark.browser

LANGS = ["en", "ar", "ti"]
CARDS = "#portal-finder-results ul.portal-finder__cards > li"

# Sets the form to each answer as a reader would (a change event per answer), and reads what it shows.
DRIVE_FORM = """(all) => {
  const form = document.getElementById('portal-finder-form');
  return all.map((answer) => {
    for (const name of ['who', 'helping', 'work', 'nrpf']) {
      form.querySelector(`input[name="${name}"][value="${answer[name]}"]`).checked = true;
    }
    form.elements.namedItem('age').value = answer.age;
    form.dispatchEvent(new Event('change', {bubbles: true}));
    return {
      ids: [...document.querySelectorAll('%s')].map((li) => li.dataset.entitlement),
      search: location.search.replace(/^[?]/, ''),
      count: document.getElementById('portal-finder-count').textContent,
      helping: !form.querySelector('[data-question="helping"]').hidden,
      unsure: [...document.querySelectorAll('%s')].map((li) =>
        [...li.querySelectorAll('[data-unsure]')].filter((p) => !p.hidden).map((p) => [p.dataset.unsure, p.textContent])),
    };
  });
}""" % (CARDS, CARDS)


@pytest.fixture(scope="module")
def offer():
    return load_content(load_site(REPO)).offer


def finder_url(lang: str) -> str:
    return "finder/" if lang == languages.DEFAULT.code else f"{lang}/finder/"


def sample(offer, lang: str, size: int = 60) -> list[Answers]:
    """Every answer to each question at least once, and a fixed random sample of the rest."""
    youngest, oldest = finder.age_choices(offer.entitlements(lang))
    ages = [None, *range(youngest, oldest + 1)]
    every = [Answers(who, helping, age, work, nrpf) for who, helping, age, work, nrpf in itertools.product(
        finder.WHO, finder.HELPING, ages, finder.WORK, finder.NRPF)]
    chosen = random.Random(11).sample(every, size)
    chosen += [Answers(who="professional", helping=h) for h in finder.HELPING]
    chosen += [Answers(age=age) for age in ages] + [Answers(work=w) for w in finder.WORK]
    chosen += [Answers(nrpf=w) for w in finder.NRPF] + [Answers()]
    chosen += [Answers(who="care-leavers", age=19, work=w, nrpf=n) for w in finder.WORK for n in finder.NRPF]
    return chosen


def expected_ids(offer, lang: str, answers: Answers) -> list[str]:
    return [e.id for e in answers.matches(offer.entitlements(lang))]


def count_text(offer, lang: str, ids: list[str]) -> str:
    words = strings(lang)
    total = len(offer.entitlements(lang))
    return words["finder_count"].format(count=len(ids), total=total) if ids else words["finder_count_none"]


@pytest.fixture
def new_page(browser, origin):
    contexts = []

    def new(javascript: bool = True, width: int = 320):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield new
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_finder_with_javascript_shows_what_the_model_says_fits(new_page, origin, offer, lang):
    page = new_page()
    # A shared address: "what a 19-year-old care leaver in work can get".
    shared = Answers(who="care-leavers", age=19, work="working")
    page.goto(f"{origin}/{finder_url(lang)}?{shared.query()}", wait_until="load")
    page.wait_for_selector(CARDS)
    ids = [li.get_attribute("data-entitlement") for li in page.query_selector_all(CARDS)]
    assert ids and ids == expected_ids(offer, lang, shared)
    assert page.inner_text("#portal-finder-count") == count_text(offer, lang, ids)
    assert page.get_attribute("#portal-finder-count", "aria-live") == "polite"
    assert page.is_visible("#portal-finder-form") and not page.is_visible("#portal-finder-all")
    share = page.get_attribute("#portal-finder-share", "href")
    assert share.endswith(f"/{finder_url(lang)}?{shared.query()}")

    # Planned and other not-yet states are labelled as such on the cards.
    for li in page.query_selector_all(CARDS):
        entitlement = offer.get(lang, li.get_attribute("data-entitlement"))
        assert li.query_selector(".portal-state").inner_text() == state_text(entitlement, lang, strings(lang))
        assert li.query_selector("h3.portal-card__title"), "the cards' headings sit under the results' h2"
        # Each result ends with its own share link, to the section its title links to.
        link = li.query_selector(":scope > p.portal-share:last-child > a[data-portal-share]")
        assert link.inner_text() == strings(lang)["share_entitlement"]
        assert link.get_attribute("href") == li.query_selector("h3 a").get_attribute("href")

    # Many answers through the form: the same cards, in the same order, and an address that says so.
    answers = sample(offer, lang)
    form_values = [{"who": a.who, "helping": a.helping, "age": "" if a.age is None else str(a.age),
                    "work": a.work, "nrpf": a.nrpf} for a in answers]
    shown = page.evaluate(DRIVE_FORM, form_values)
    for answer, seen in zip(answers, shown):
        want = expected_ids(offer, lang, answer)
        assert seen["ids"] == want, answer
        assert seen["search"] == answer.query(), answer
        assert seen["count"] == count_text(offer, lang, want)
        assert seen["helping"] == (answer.who == "professional")
        # Why each card is shown while an answer is "Not sure": as Answers.unsure says, in the words the
        # Python makes (finder.js copies them from the page's template).
        assert seen["unsure"] == [[[reason, unsure_text(offer.get(lang, i), reason, strings(lang))]
                                   for reason in answer.unsure(offer.get(lang, i))] for i in want], answer
        assert Answers.from_query(seen["search"]).matches(offer.entitlements(lang)) == \
               answer.matches(offer.entitlements(lang)), "the address gives back the same result"

    # A link to a group of the full list answers "who" when JavaScript shows the questions.
    page.goto("about:blank")  # a fresh visit: from the finder itself this would be a jump within the page
    page.goto(f"{origin}/{finder_url(lang)}#for-children-in-care", wait_until="load")
    page.wait_for_selector(CARDS)
    assert [li.get_attribute("data-entitlement") for li in page.query_selector_all(CARDS)] == \
           expected_ids(offer, lang, Answers(who="children-in-care"))
    assert page.evaluate("location.search + location.hash") == "?who=children-in-care#for-children-in-care"

    # Reflow at 320 px, privacy, and axe on a result.
    page.goto(f"{origin}/{finder_url(lang)}?who=professional&helping=care-leavers&london=yes&nrpf=no", wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate("document.body.dir") == languages.get(lang).direction
    assert [r for r in page.requests if not r.startswith(origin)] == []
    assert page.context.cookies() == [] and page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.errors == []
    violations = axe_violations(page, origin)
    assert violations == []


@pytest.mark.parametrize("lang", LANGS)
def test_finder_without_javascript_lists_everything_by_who_it_is_for(new_page, origin, offer, lang):
    page = new_page(javascript=False)
    page.goto(f"{origin}/{finder_url(lang)}?who=care-leavers&age=19", wait_until="load")
    assert not page.is_visible("#portal-finder-form") and not page.is_visible("#portal-finder-results")
    assert page.is_visible("#portal-finder-all")
    words = strings(lang)
    for audience in AUDIENCES:
        ids = [li.get_attribute("data-entitlement")
               for li in page.query_selector_all(f"#for-{audience} + ul.portal-finder__cards > li")]
        assert ids == [e.id for e in offer.entitlements(lang) if e.fits(audience)], audience
        if not ids:
            assert page.inner_text(f"#for-{audience} + p") == words["finder_none_for"]
        for li in page.query_selector_all(f"#for-{audience} + ul.portal-finder__cards > li"):
            entitlement = offer.get(lang, li.get_attribute("data-entitlement"))
            assert li.query_selector(".portal-state").inner_text() == state_text(entitlement, lang, words)
            assert "portal-card--" + entitlement.facts.state in li.get_attribute("class")
            section = li.query_selector(".portal-card__title a").get_attribute("href")
            assert section.endswith(f"#{entitlement.id}")
            # No answer to explain and no second link to the same section: those come with the script.
            assert li.query_selector("[data-unsure], [data-portal-share]") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert [r for r in page.requests if not r.startswith(origin)] == []


def wait_for_count(page, text: str) -> None:
    """Until the live region says `text` (polled from outside: the page's CSP forbids eval)."""
    for _ in range(50):
        if page.evaluate("() => document.getElementById('portal-finder-count').textContent") == text:
            return
        page.wait_for_timeout(100)
    assert page.evaluate("() => document.getElementById('portal-finder-count').textContent") == text


def test_finder_by_keyboard_only(new_page, origin, offer):
    page = new_page(width=390)
    page.goto(f"{origin}/{finder_url('ar')}", wait_until="load")
    page.wait_for_selector(CARDS)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "who":
            break
    assert page.evaluate("document.activeElement.name") == "who", "the questions are reachable by Tab"
    page.keyboard.press("ArrowDown")  # from "not sure", the last choice, round to the first
    assert page.evaluate("document.activeElement.value") == "care-leavers"
    want = expected_ids(offer, "ar", Answers(who="care-leavers"))
    wait_for_count(page, count_text(offer, "ar", want))
    assert page.evaluate("location.search") == "?who=care-leavers"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "age":
            break
    assert page.evaluate("document.activeElement.name") == "age"
    page.keyboard.press("ArrowDown")  # "not sure" -> the youngest choice
    age = int(page.evaluate("document.activeElement.value"))
    want = expected_ids(offer, "ar", Answers(who="care-leavers", age=age))
    wait_for_count(page, count_text(offer, "ar", want))
    assert [li.get_attribute("data-entitlement") for li in page.query_selector_all(CARDS)] == want
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "reset":
            break
    page.keyboard.press("Enter")  # "Start again": every answer back to "not sure", the address too
    everything = expected_ids(offer, "ar", Answers())
    wait_for_count(page, count_text(offer, "ar", everything))
    assert page.evaluate("location.search") == ""
    assert page.errors == []


def test_finder_pages_keep_the_weight_budget(browser, site_dir):
    import budget

    server, address = budget.serve(site_dir)
    try:
        sizes = {language.code: budget.first_load(browser, f"{address}/{finder_url(language.code)}")[0]
                 for language in languages.LANGUAGES}
    finally:
        server.shutdown()
    over = {code: size for code, size in sizes.items() if size > budget.BYTES_BUDGET}
    assert over == {}, f"over {budget.BYTES_BUDGET} bytes compressed on a first load: {over}"
