"""What every browser test needs: a built site served on loopback with the checkers beside it, and
axe's verdict on a page. The session's one Chromium and the real site's build are in conftest."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe rules switched off, each with the reason; empty means every WCAG A and AA rule runs.
AXE_EXCLUSIONS: dict[str, str] = {}
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def add_checkers(site: Path) -> Path:
    """axe and the text-spacing sheet under site/__test__/: served from the site's own origin, so the
    pages' CSP allows them without weakening anything."""
    (site / "__test__").mkdir(exist_ok=True)
    shutil.copyfile(AXE, site / "__test__" / "axe.min.js")
    (site / "__test__" / "text-spacing.css").write_text(TEXT_SPACING_CSS, encoding="utf-8")
    return site


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A server for the folder on 127.0.0.1, and its origin; the caller shuts it down."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def axe_violations(page, origin: str) -> list[str]:
    """axe-core on the page, WCAG 2.0, 2.1 and 2.2, A and AA: each violation with its first targets."""
    page.add_script_tag(url=f"{origin}/__test__/axe.min.js")
    return page.evaluate(
        """async ([tags, off]) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
             rules: Object.fromEntries(off.map(id => [id, {enabled: false}]))})).violations
           .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)""",
        [WCAG_TAGS, list(AXE_EXCLUSIONS)],
    )
