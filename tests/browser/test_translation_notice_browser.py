"""The section notice "the English for this part has changed", in Chromium: in place, right to left,
accessible (axe), and no wider than 320 px."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest
from conftest import REPO, copy_fixture_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support.translations import edit, stamp_all

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    project = copy_fixture_site(tmp_path_factory.mktemp("notice") / "project")
    stamp_all(project)
    edit(project / "docs/en/offer/travel.md", "  - Apply for the photocard.", "  - Apply online for the photocard.")
    site = project / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    (site / "__test__").mkdir()
    shutil.copyfile(AXE, site / "__test__" / "axe.min.js")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
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
        page.add_script_tag(url=f"{origin}/__test__/axe.min.js")
        violations = page.evaluate(
            """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
               .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)""",
            WCAG_TAGS)
        assert violations == []
    finally:
        page.close()
