"""Shared fixtures: a copy of the small fixture site, and a way to write pages into it."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session: Playwright's sync API allows one instance at a time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield chromium
        chromium.close()
