"""Full MkDocs builds of a project into its own folder, and reading what they wrote."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def build_site(project: Path) -> Path:
    site_dir = project / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


def out(site: Path, lang: str, page: str) -> str:
    prefix = "" if lang == "en" else f"{lang}/"
    return (site / prefix / page).read_text(encoding="utf-8")
