"""Offline use in Debian's Chromium: the portal's service worker on the real site, served on loopback.

Playwright's context.set_offline cuts the network for the pages and their service worker alike.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from portal.content.ui_strings import strings
from portal.publish import offline
from support.browser import serve

pytestmark = pytest.mark.browser


# site_dir, origin and browser: the session's one build of the real site, its server and Chromium (conftest).


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, service_workers="allow")
    yield context
    context.close()


def poll(page, script: str, want=True, tries: int = 100, pause: int = 100):
    """Evaluate until it returns `want` (the pages' CSP forbids the string evaluation wait_for_function uses)."""
    for _ in range(tries):
        value = page.evaluate(script)
        if value == want:
            return value
        page.wait_for_timeout(pause)
    raise AssertionError(f"{script} returned {value!r}, not {want!r}")


def open_controlled(context, url: str):
    """A first visit: the page loads from the network, then the worker installs and takes it over."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    poll(page, "navigator.serviceWorker.controller !== null")
    return page


def heading(page) -> str:
    return page.inner_text("h1").strip()


def manifest(site_dir: Path) -> dict:
    return json.loads((site_dir / offline.MANIFEST).read_text(encoding="utf-8"))


def test_visited_pages_open_offline_and_link_to_each_other(context, origin):
    page = open_controlled(context, f"{origin}/offer/")
    offer = heading(page)
    page.click('article a[href$="money/"]')
    page.wait_for_load_state("load")
    money = heading(page)
    assert page.url == f"{origin}/offer/money/"

    context.set_offline(True)
    page.reload()
    assert heading(page) == money, "the second page did not open from its kept copy"
    page.goto(f"{origin}/offer/")
    assert heading(page) == offer, "the first page, loaded before the worker ran, was not kept"
    page.click('article a[href$="money/"]')
    page.wait_for_load_state("load")
    assert heading(page) == money
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "the kept stylesheet did not load"
    assert page.evaluate("document.styleSheets.length") >= 2


@pytest.mark.parametrize("lang", ["en", "ar", "ku"])
def test_an_unsaved_page_shows_the_offline_page_in_the_readers_language(context, origin, lang):
    prefix = "" if lang == "en" else f"{lang}/"
    open_controlled(context, f"{origin}/{prefix}")
    page = context.pages[0]
    context.set_offline(True)
    page.goto(f"{origin}/{prefix}pledge/")
    words = strings(lang)
    assert heading(page) == words["offline_title"]
    assert page.evaluate("document.documentElement.lang") == {"en": "en-GB", "ar": "ar", "ku": "ckb"}[lang]
    assert page.evaluate("document.documentElement.dir") == ("ltr" if lang == "en" else "rtl")
    assert page.url == f"{origin}/{prefix}pledge/", "the address must not change"
    # Its link leads to the language's home page, which was kept on the first visit.
    page.click(f'a:text("{words["offline_home"]}")')
    page.wait_for_load_state("load")
    assert page.url == f"{origin}/{prefix}"
    assert heading(page) != words["offline_title"]


def test_saving_a_language_opens_every_page_of_it_offline(context, origin, site_dir):
    page = open_controlled(context, f"{origin}/vi/")
    words = strings("vi")
    control = page.locator("[data-portal-offline]")
    assert control.is_visible()
    expected = offline.human_size(manifest(site_dir)["languages"]["vi"]["bytes"])
    assert expected in control.inner_text(), "the control does not say how much it downloads"
    page.click("[data-portal-offline-save]")
    poll(page, "document.querySelector('[data-portal-offline-status]').textContent", words["offline_saved"], tries=300)

    context.set_offline(True)
    pages = manifest(site_dir)["languages"]["vi"]["pages"]
    assert len(pages) >= 19
    for url in [url for url in pages if "/go/" not in url]:
        page.goto(f"{origin}/{url}")
        assert page.evaluate("document.documentElement.lang") == "vi", url
        assert heading(page) != words["offline_title"], f"{url} was not saved"
        assert page.locator("nav.portal-help-now").count() == 1, url
    # A short link from a poster redirects to its kept page.
    page.goto(f"{origin}/vi/go/bus/")
    page.wait_for_url(f"{origin}/vi/offer/travel/#free-bus-and-tram")
    assert heading(page) != words["offline_title"]
    # Audio was not asked for: no clip was kept.
    kept = page.evaluate("caches.keys().then(async names => (await (await caches.open(names[0])).keys()).map(r => r.url))")
    assert not [url for url in kept if url.endswith(".mp3")]


def test_a_played_clip_plays_again_offline_with_ranges(context, origin):
    page = open_controlled(context, f"{origin}/")
    clip = page.evaluate("document.querySelector('audio').src")
    page.click("h1")  # a reader's tap: Chromium plays only after one
    page.evaluate("document.querySelector('audio').play()")
    poll(page, "document.querySelector('audio').currentTime > 0.3", tries=100)
    poll(page, f"caches.keys().then(names => caches.open(names[0])).then(c => c.match({json.dumps(clip)})).then(r => !!r)")

    context.set_offline(True)
    page.reload()
    page.click("h1")
    page.evaluate("document.querySelector('audio').play()")
    poll(page, "document.querySelector('audio').currentTime > 0.3", tries=100)
    assert page.evaluate("document.querySelector('audio').error") is None
    response = page.evaluate(f"""fetch({json.dumps(clip)}, {{headers: {{Range: "bytes=100-199"}}}})
        .then(async r => [r.status, r.headers.get("Content-Range"), (await r.arrayBuffer()).byteLength])""")
    assert response[0] == 206 and response[2] == 100 and response[1].startswith("bytes 100-199/")


def test_a_new_deploy_replaces_the_kept_copy_and_the_old_cache(browser, site_dir, tmp_path):
    deployed = tmp_path / "site"
    shutil.copytree(site_dir, deployed, ignore=shutil.ignore_patterns("audio"))
    (deployed / "audio").symlink_to(site_dir / "audio")  # 70 MB of clips, the same in both deploys
    server, origin = serve(deployed)
    context = browser.new_context(viewport={"width": 390, "height": 800}, service_workers="allow")
    try:
        page = open_controlled(context, f"{origin}/offer/money/")
        first = manifest(deployed)["version"]
        assert poll(page, "caches.keys()", [f"portal-{first}"])

        # The deploy: one page's text changes, the worker's version with it.
        money = deployed / "offer" / "money" / "index.html"
        money.write_text(money.read_text(encoding="utf-8").replace("</h1>", " (updated)</h1>", 1), encoding="utf-8")
        second = offline.stamp(deployed)
        assert second != first
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        poll(page, "caches.keys()", [f"portal-{second}"], tries=200)

        context.set_offline(True)
        page.reload()
        assert heading(page).endswith("(updated)"), "the kept copy is the old page"
    finally:
        context.close()
        server.shutdown()


def test_materials_script_waits_until_the_reader_searches(browser, origin):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{origin}/vi/", wait_until="networkidle")
        page.keyboard.press("Tab")
        page.mouse.wheel(0, 400)
        page.click("h1")
        page.wait_for_timeout(300)
        assert not [url for url in requests if "/javascripts/" in url], "reading loaded Material's script"
        assert page.locator('input[name="query"]').is_visible(), "the search box is hidden until the script runs"
        page.keyboard.press("/")  # Material's search key, handed over once the script has loaded
        poll(page, "document.activeElement && document.activeElement.name", "query")
        page.keyboard.type("xe")
        poll(page, "document.querySelectorAll('.md-search-result__link').length > 0", tries=50)
        assert len([url for url in requests if "bundle." in url]) == 1
    finally:
        context.close()


WITHOUT_WORKERS = {
    "no service workers": "delete Navigator.prototype.serviceWorker;",
    "refused (private window)": "ServiceWorkerContainer.prototype.register = () => Promise.reject(new Error('refused'));",
}


@pytest.mark.parametrize("browser_kind", list(WITHOUT_WORKERS))
def test_without_service_workers_nothing_changes(browser, origin, browser_kind):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_init_script(WITHOUT_WORKERS[browser_kind])
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{origin}/ar/offer/travel/", wait_until="load")
        page.wait_for_timeout(300)
        assert page.locator("[data-portal-offline]").is_hidden(), "a save control that cannot work is shown"
        assert page.url == f"{origin}/ar/offer/travel/" and heading(page)
        assert page.locator(".portal-share a[data-portal-share]").count() > 0
        assert errors == []
    finally:
        context.close()
