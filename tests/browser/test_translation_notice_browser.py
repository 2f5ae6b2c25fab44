"""The section notice "the English for this part has changed", in Chromium: in place, right to left,
accessible (axe), and no wider than 320 px."""

from __future__ import annotations

import pytest
from conftest import copy_fixture_site
from support.browser import add_checkers, axe_violations, serve
from support.builds import build_site
from support.translations import edit, stamp_all

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    project = copy_fixture_site(tmp_path_factory.mktemp("notice") / "project")
    stamp_all(project)
    edit(project / "docs/en/offer/travel.md", "  - Apply for the photocard.", "  - Apply online for the photocard.")
    server, address = serve(add_checkers(build_site(project)))
    yield address
    server.shutdown()


def test_the_changed_section_alone_carries_the_notice(origin, browser):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    try:
        page.goto(f"{origin}/ar/offer/travel/", wait_until="load")
        notices = page.query_selector_all("article .portal-notice--part")
        assert len(notices) == 1
        assert page.query_selector_all(".portal-notice--stale:not(.portal-notice--part)") == []
        # It follows the changed section's heading and comes before the next section's heading.
        order = page.evaluate("""() => [...document.querySelectorAll('article h2, article .portal-notice--part')]
            .map(e => e.id || 'notice')""")
        assert order.index("notice") == order.index("free-bus-and-tram") + 1
        link = notices[0].query_selector("a")
        assert link.get_attribute("hreflang") == "en"
        assert link.get_attribute("href").endswith("offer/travel/#free-bus-and-tram")
        assert page.evaluate("document.body.dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        violations = axe_violations(page, origin)
        assert violations == []
    finally:
        page.close()
