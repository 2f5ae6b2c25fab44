"""Phone first, in Debian's Chromium at 360 x 640 (a small phone), in every language, on each kind of
page: the title and the page's first words on the first screen, help one tap away, and on the
crisis page the 999 link and the first helplines before any scrolling."""

from __future__ import annotations

import pytest
from portal.content import languages
from portal.content.ui_strings import strings

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 640
# Home, a topic page, an entitlement page, the finder and the crisis page.
PAGE_TYPES = ["", "offer/", "offer/travel/", "finder/", "help-now/"]
CODES = [language.code for language in languages.LANGUAGES]

MEASURE = """() => {
  const article = document.querySelector('article');
  const h1 = article.querySelector('h1');
  const skip = '.portal-bar, .portal-notice, .portal-audio, details, .portal-share__status, .portal-fallback > h1';
  const first = [...article.querySelectorAll('p')].find(p => !p.closest(skip) && p.innerText.trim());
  const firstChild = [...article.children].find(e => e.offsetHeight > 0);
  const top = e => e && e.getBoundingClientRect().top;
  const player = article.querySelector('details[data-portal-listen]');
  return {
    h1: top(h1), first: top(first), scrollY: window.scrollY,
    h1First: !!firstChild && (firstChild === h1 || firstChild.querySelector('h1') === h1),
    tel999: (() => { const a = article.querySelector('a[href="tel:999"]'); return a && a.getBoundingClientRect().bottom; })(),
    tel111: (() => { const a = article.querySelector('a[href="tel:111"]'); return a && a.getBoundingClientRect().bottom; })(),
    player: player && {open: player.open, height: player.getBoundingClientRect().height,
                       preload: player.querySelector('audio').getAttribute('preload'),
                       name: player.querySelector('summary').innerText.trim()},
    help: (() => { const a = document.querySelector('header .portal-help-link');
                   return a && {text: a.innerText.trim(), href: a.getAttribute('href'),
                                visible: a.getBoundingClientRect().width > 0}; })(),
  };
}"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_the_first_screen_holds_the_title_and_the_first_words(phone, origin, code, path):
    prefix = "" if code == languages.DEFAULT.code else f"{code}/"
    phone.goto(f"{origin}/{prefix}{path}", wait_until="load")
    seen = phone.evaluate(MEASURE)
    assert seen["scrollY"] == 0
    assert seen["h1First"], "the title is the first thing in the main column"
    assert seen["h1"] is not None and seen["h1"] <= 200, f"the title starts at {seen['h1']} px"
    assert seen["first"] is not None and seen["first"] < HEIGHT, f"the first paragraph starts at {seen['first']} px"

    # Help one tap away, in the reader's language, to that language's crisis page.
    words = strings(code)
    assert seen["help"] == {"text": words["help_now_link"], "visible": True,
                            "href": seen["help"]["href"]}
    assert seen["help"]["href"].endswith(f"{prefix}help-now/")

    # The page's player is one compact control that loads nothing until it is pressed.
    if seen["player"]:
        assert seen["player"]["open"] is False and seen["player"]["height"] <= 56
        assert seen["player"]["preload"] == "none"
        assert seen["player"]["name"].startswith("▶")

    if path == "help-now/":
        assert seen["tel999"] is not None and seen["tel999"] <= HEIGHT, f"'Call 999' ends at {seen['tel999']} px"
        assert seen["tel111"] is not None and seen["tel111"] <= HEIGHT, f"NHS 111 ends at {seen['tel111']} px"


def test_the_listen_control_opens_for_speed_and_download_and_plays(browser, origin):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/ar/offer/travel/", wait_until="load")
    player = page.locator("details[data-portal-listen]")
    summary = player.locator("summary")
    assert not [r for r in requests if r.endswith(".mp3")], "nothing loads before the reader asks"
    assert not player.locator(".portal-speed").is_visible()
    summary.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")
    for _ in range(30):
        if player.locator("audio").evaluate("a => !a.paused"):
            break
        page.wait_for_timeout(100)
    playing = player.locator("audio").evaluate("a => !a.paused")
    speeds_visible = player.locator(".portal-speed").is_visible()
    download = player.locator(".portal-audio__download a").is_visible()
    share_top = page.locator(".portal-bar .portal-share").bounding_box()["y"]
    h1_bottom = page.evaluate("document.querySelector('article h1').getBoundingClientRect().bottom")
    page.keyboard.press("Enter")
    paused = player.locator("audio").evaluate("a => a.paused")
    context.close()
    assert outline != "none", "the control shows where the focus is"
    assert playing and speeds_visible and download and paused
    assert share_top > h1_bottom, "'Share this page' is beside the player, under the title"
