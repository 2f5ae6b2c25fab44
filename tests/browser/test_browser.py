"""Every built page in every language, in Debian's Chromium: axe, reflow, keyboard, lang, privacy."""

from __future__ import annotations

import subprocess

import pytest
from conftest import REPO
from portal.content import languages
from portal.content.ui_strings import strings
from support.browser import VNU, axe_violations

pytestmark = pytest.mark.browser

def built_pages() -> list[str]:
    """Every page of the real site, found from the content: each English page in every language."""
    from portal.configuration import load_site
    from portal.content.pages import load_content, page_url

    site = load_site(REPO)
    content = load_content(site)
    urls = []
    for rel in sorted(content.english()):
        path = page_url(rel)
        for lang in site.language_codes:
            urls.append(path if lang == site.default_language else f"{lang}/{path}")
    return urls


PAGES = built_pages()


def language_of(url: str) -> languages.Language:
    head = url.split("/", 1)[0]
    return languages.BY_CODE.get(head, languages.DEFAULT) if head in languages.BY_CODE else languages.DEFAULT


@pytest.fixture
def open_page(browser, origin):
    contexts = []

    def open_(url: str, width: int = 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{origin}/{url}", wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("url", PAGES)
def test_page_is_accessible_private_and_reflows(open_page, origin, url):
    page = open_page(url)
    language = language_of(url)

    # Privacy: nothing leaves the site, no cookies, no audio until the reader asks.
    assert [r for r in page.requests if not r.startswith(origin)] == []
    assert not any(r.endswith(".mp3") for r in page.requests)
    assert not any("sitemap.xml" in r for r in page.requests), "Material's language switch fetches sitemaps"
    assert page.context.cookies() == [] and page.evaluate("document.cookie") == ""
    assert page.errors == []

    # Language and direction, and English fallback text marked as English.
    assert page.evaluate("document.documentElement.lang") == language.tag.split("-")[0] if language.code == "en" \
        else page.evaluate("document.documentElement.lang") == language.tag
    assert page.evaluate("document.body.dir") == language.direction
    for fallback in page.query_selector_all(".portal-fallback"):
        assert (fallback.get_attribute("lang"), fallback.get_attribute("dir")) == ("en", "ltr")

    # axe-core, WCAG 2.0, 2.1 and 2.2, A and AA.
    violations = axe_violations(page, origin)
    assert violations == []

    # Reflow at 320 CSS px (400% zoom), with WCAG 1.4.12 text spacing, and at 200% zoom of a 1280 px screen.
    for width, spacing in ((320, False), (320, True), (640, False)):
        page.set_viewport_size({"width": width, "height": 800})
        if spacing:
            page.add_style_tag(url=f"{origin}/__test__/text-spacing.css")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{scroll} px wide at {width} px{' with text spacing' if spacing else ''}"
        clipped = page.evaluate("""() => [...document.querySelectorAll('article *')].filter(e => {
            const s = getComputedStyle(e);
            return (s.overflow === 'hidden' || s.overflowX === 'hidden') && e.scrollWidth > e.clientWidth + 1;
        }).map(e => e.tagName + '.' + e.className)""")
        assert clipped == []


KEYBOARD_PAGES = [url for url in PAGES if url.rstrip("/").split("/")[-1] in ("", "travel") or url in
                  [f"{code}/" for code in languages.BY_CODE]]


@pytest.mark.parametrize("url", KEYBOARD_PAGES)
def test_keyboard_skip_link_visible_focus_and_every_control_reachable(open_page, url):
    page = open_page(url)
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className")
    assert "md-skip" in first, f"the first Tab stop is {first!r}, not the skip link"
    assert page.evaluate("getComputedStyle(document.activeElement).transform") == "none" or \
        page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    reached, invisible = [], []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
                || e.tagName === 'AUDIO';
            return {tag: e.tagName, cls: String(e.className), href: e.getAttribute('href') || '', visible}; }""")
        if focused["tag"] == "BODY":
            break
        reached.append(focused)
        if not focused["visible"]:
            invisible.append(focused)
    assert invisible == []
    assert any("md-select__link" in f["cls"] for f in reached), "the language chooser is not reachable"
    if page.query_selector("audio"):  # the page's player opens from its "Listen" control
        assert any(f["tag"] == "AUDIO" or "portal-listen" in f["cls"] for f in reached), "the audio player is not reachable"
    chooser = page.query_selector(".md-select__link")
    chooser.focus()
    # Polled from here: the page's CSP rightly forbids the string evaluation wait_for_function uses.
    for _ in range(30):
        if page.evaluate("getComputedStyle(document.querySelector('.md-select__inner')).opacity") == "1":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-select__inner')).opacity") == "1"


def test_every_page_is_valid_html(site_dir):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "text", "--skip-non-html",
         *map(str, site_dir.glob("**/*.html"))],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SEARCHES = [("", "bus"), ("ar/", "الحافلات"), ("am/", "ትምህርት"), ("vi/", "xe"), ("fa/", "ترام")]


@pytest.mark.parametrize("url, word", SEARCHES)
def test_search_loads_on_demand_and_stays_in_the_language(browser, origin, url, word):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/{url}", wait_until="load")
    page.wait_for_timeout(300)
    assert not [r for r in requests if "search_index" in r], "the index is fetched before anyone searches"
    page.fill('input[name="query"]', word)
    for _ in range(40):
        links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
        if links:
            break
        page.wait_for_timeout(100)
    context.close()
    assert [r for r in requests if "search_index" in r] == [f"{origin}/{url}search/search_index.json"]
    assert links and all(link.startswith(f"{origin}/{url}") for link in links)
    if url == "":
        assert not any(link.startswith(tuple(f"{origin}/{code}/" for code in languages.BY_CODE)) for link in links)


def test_share_copies_the_exact_entitlement_link_and_says_so(browser, origin):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(f"{origin}/ar/offer/travel/", wait_until="load")
    has_share_sheet = page.evaluate("typeof navigator.share === 'function'")
    link = page.locator('.portal-share a[data-portal-share][href$="#free-bus-and-tram"]')
    expected = link.get_attribute("href")
    link.click()
    status = page.locator("#portal-share-status")
    for _ in range(30):
        if status.inner_text():
            break
        page.wait_for_timeout(100)
    said = status.inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    url_after = page.url
    context.close()
    assert not has_share_sheet, "this test expects desktop Chromium, which copies instead of sharing"
    assert said == strings("ar")["share_copied"]
    assert copied == expected and expected.endswith("/ar/offer/travel/#free-bus-and-tram")
    assert url_after == f"{origin}/ar/offer/travel/", "the click copied the link instead of following it"
