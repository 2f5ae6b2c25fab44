"""Shared fixtures: a copy of the small fixture site, a way to write pages into it, speech engines
that make silence offline (and `python -m portal audio` using them), and for the
browser tests the real site, built once per session, served on loopback, and Debian's Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.audio import cli_with_engines, silent_engines
from support.browser import CHROMIUM, add_checkers, serve

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



@pytest.fixture
def engines(tmp_path):
    """Google unreachable, espeak-ng speaking silence (a module that needs other engines defines its own)."""
    return silent_engines(tmp_path)


@pytest.fixture
def fake_audio(monkeypatch, engines):
    """`python -m portal audio` with the test's engines instead of Google and espeak-ng."""
    return cli_with_engines(monkeypatch, engines)


# The browser tests: every module shares one build of the real site, one server and one browser.


# What a fresh clone holds: the sources, the audio lock and human recordings, no generated clip.
PROJECT_FOLDERS = ("docs", "overrides", "translations", "audio/recordings")
PROJECT_FILES = ("mkdocs.yml", "entitlements.yml", "offer-changes.yml", "services.yml", "audio/lock.json")


def copy_real_project(target: Path) -> Path:
    for name in PROJECT_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    for name in PROJECT_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    return target


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real site as `make build` makes it in a fresh clone, its voices standing in: the audio
    first (silent, offline), then MkDocs with the portal plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from portal.audio.generator import make_generator
    from portal.configuration import load_site
    from portal.content.pages import load_content

    scratch = tmp_path_factory.mktemp("browser")
    project = copy_real_project(scratch / "project")
    site = load_site(project)
    voiced = ("en", "ar", "fa", "ti", "am", "sq", "vi")  # the languages a voice speaks today
    make_generator(site, silent_engines(scratch, voiced)).generate(load_content(site))
    target = scratch / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(target)))
    return add_checkers(target)


@pytest.fixture(scope="session")
def origin(site_dir):
    server, address = serve(site_dir)
    yield address
    server.shutdown()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session: a second sync_playwright() inside it is refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright):
    """One Chromium for every page test; a test that needs other flags launches its own."""
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-quic",
              # Audio tests play clips without a click, and nothing is heard on the test machine.
              "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
    )
    yield chromium
    chromium.close()
