"""Shared fixtures: a copy of the small fixture site, a way to write pages into it, and for the
browser tests the real site, built once per session, served on loopback, and Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "site"


def copy_fixture_site(target: Path) -> Path:
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("mkdocs.yml.in", "site"))
    template = (FIXTURE / "mkdocs.yml.in").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(template.replace("@REPO@", str(REPO)), encoding="utf-8")
    return target


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    return copy_fixture_site(tmp_path / "project")


@pytest.fixture
def write_page(fixture_site: Path):
    def write(rel: str, text: str) -> Path:
        path = fixture_site / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# The browser tests: every module shares one build of the real site, one server and one browser.
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


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    target = tmp_path_factory.mktemp("browser") / "site"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(target)))
    # Served from the site's own origin, so the pages' CSP allows it without weakening anything.
    (target / "__test__").mkdir()
    shutil.copyfile(AXE, target / "__test__" / "axe.min.js")
    (target / "__test__" / "text-spacing.css").write_text(TEXT_SPACING_CSS, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def origin(site_dir):
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic",
                  # Audio tests play clips without a click, and nothing is heard on the test machine.
                  "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
        )
        yield chromium
        chromium.close()
